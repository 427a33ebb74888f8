// Voice guidance chosen by the session (issue 14): the prompts a resident
// hears through a whole journey, in order, by id and by words, and none of
// them carries the applicant's name, number or phone.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "catalog/parse.h"
#include "session/narration.h"
#include "session/resident_session.h"
#include "session_fixtures.h"
#include "store_fixture.h"

namespace bianmin::session {
namespace {

using namespace std::chrono_literals;

// The kiosk's words for a prompt (assets/i18n), placeholders filled.
std::string words(const Prompt& p, const std::string& lang) {
  static const auto texts = [] {
    std::map<std::string, nlohmann::json> t;
    for (const char* l : {"zh-CN", "en"})
      t[l] = nlohmann::json::parse(testing::read_file(std::string(BIANMIN_ASSETS_DIR) + "/i18n/" + l + ".json"));
    return t;
  }();
  std::string s = texts.at(lang).value("voice." + p.id, "");
  for (const auto& [k, v] : p.args) {
    const std::string mark = "{" + k + "}";
    if (auto at = s.find(mark); at != std::string::npos) s.replace(at, mark.size(), v);
  }
  return s;
}

class Narration : public ::testing::Test {
 protected:
  catalog::Catalog cat = catalog::parse_catalog(testing::read_file(testing::fixture("mini-catalog.json")))->catalog;
  ResidentSession s{&cat, SessionConfig{}};
  Clock::time_point now = Clock::time_point{} + 1000s;
  std::vector<Prompt> heard;

  void in(const Input& i) {
    const Moment before = moment_of(s.view());
    s.handle(i);
    if (auto p = narrate(before, moment_of(s.view()))) heard.push_back(*p);
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& p : heard) out.push_back(p.id);
    return out;
  }
};

TEST_F(Narration, AJourneyIsSpokenStepByStepAndNothingPersonalIsSaid) {
  in(Tick{now});
  in(Touch{});
  in(SearchText{"sfz"});
  in(OpenItem{"T-QR-0001"});
  in(StartApply{});
  in(card_event(domain::IdCardEventKind::read_failed));
  in(card_event(domain::IdCardEventKind::card_read));
  in(ConfirmIdentity{});
  in(EditField{"applicant.phone", "13909360001"});
  in(FormNext{});  // phone and reason missing: the first is named
  in(EditField{"phone", "0936-8212345"});
  in(EditField{"reason", "有效期满"});
  in(FormNext{});
  in(CapturePage{"m1"});
  in(PageCaptured{"m1", "JPEG", "image/jpeg", 1});
  in(CapturePage{"m2"});
  in(PageCaptured{"m2", "JPEG", "image/jpeg", 1});
  in(MaterialsNext{});
  in(SubmitNow{});
  in(Submitted{"cid-1", "K01-20261122-0001", "2026-11-22T09:30:00+08:00"});
  in(Printed{});
  in(Rate{5, {}});
  for (int i = 0; i < 400 && s.view().countdown != 0 && s.view().screen != Screen::attract; ++i) {
    now += 1s;
    in(Tick{now});
  }

  const std::vector<std::string> expected = {"welcome",     "guide",          "place_card",     "card_failed",
                                             "card_read",   "fill_form",      "fill_field",     "capture",
                                             "materials_done", "page_captured", "review",       "submitted",
                                             "receipt_and_rate", "thanks"};
  EXPECT_EQ(ids(), expected);
  ASSERT_EQ(heard.size(), expected.size());
  EXPECT_EQ(words(heard[2], "zh-CN"), "请将身份证放在感应区");
  EXPECT_EQ(words(heard[6], "zh-CN"), "请填写联系电话") << "the first field to fix, by its label";
  EXPECT_EQ(words(heard[7], "zh-CN"), "请把原居民身份证放在高拍仪下，点击拍摄");
  EXPECT_EQ(words(heard[7], "en"), "Please place 原居民身份证 under the document camera and tap Capture.");
  for (const auto& p : heard) {
    const std::string said = words(p, "zh-CN");
    EXPECT_FALSE(said.empty()) << p.id << " has words";
    EXPECT_EQ(said.find('{'), std::string::npos) << said;
    for (const char* secret : {"张三丰", "620702199003071232", "13909360001", "0936-8212345"})
      EXPECT_EQ(said.find(secret), std::string::npos) << p.id << ": " << said;
  }
}

TEST_F(Narration, TheEndOfASessionIsAnnouncedOnceAndATicketByItsNumber) {
  in(Tick{now});
  in(Touch{});
  heard.clear();
  for (int i = 0; i < 400 && s.view().screen != Screen::attract; ++i) {
    now += 1s;
    in(Tick{now});
  }
  ASSERT_EQ(ids(), std::vector<std::string>{"session_ending"});
  EXPECT_LE(std::stoi(heard[0].args.at(0).second), 15);

  domain::Ticket t;
  t.number = "A023";
  t.window_no = "3";
  EXPECT_EQ(words(call_ticket(t), "zh-CN"), "请A023号到3号窗口办理");
  EXPECT_EQ(words(call_ticket(t), "en"), "Number A023, please go to window 3.");
}

TEST(PromptCatalogue, EveryPromptHasWordsInBothLanguagesWithItsPlaceholders) {
  for (const char* lang : {"zh-CN", "en"}) {
    auto texts = nlohmann::json::parse(testing::read_file(std::string(BIANMIN_ASSETS_DIR) + "/i18n/" + lang + ".json"));
    for (const auto& info : prompt_catalogue()) {
      const std::string key = std::string("voice.") + info.id;
      ASSERT_TRUE(texts.contains(key)) << lang << " " << key;
      const std::string text = texts[key];
      for (const char* ph : info.placeholders)
        EXPECT_NE(text.find(std::string("{") + ph + "}"), std::string::npos) << lang << " " << key;
    }
  }
}

}  // namespace
}  // namespace bianmin::session
