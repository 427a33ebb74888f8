#include <gtest/gtest.h>

#include "catalog/parse.h"
#include "domain/application.h"
#include "domain/device_health.h"
#include "domain/id_number.h"
#include "domain/masking.h"
#include "domain/time_limit.h"
#include "store_fixture.h"

namespace bianmin::domain {
namespace {

TEST(IdNumber, Mod112CheckDigit) {
  EXPECT_EQ(check_id_number("620702199003071232"), IdNumberProblem::none);
  EXPECT_EQ(check_id_number("620702199003071233"), IdNumberProblem::bad_check_digit);
  EXPECT_EQ(check_id_number("11010519491231002X"), IdNumberProblem::none);
  EXPECT_EQ(check_id_number("11010519491231002x"), IdNumberProblem::none);
  // 2023 foreign permanent resident cards use the same algorithm (NIA samples).
  EXPECT_EQ(check_id_number("932682198501010017"), IdNumberProblem::none);
  EXPECT_EQ(check_id_number("911124198108030024"), IdNumberProblem::none);
  EXPECT_EQ(check_id_number("62070219900307123"), IdNumberProblem::wrong_length);
  EXPECT_EQ(check_id_number("6207021990030712A2"), IdNumberProblem::not_digits);
  EXPECT_EQ(check_id_number("620702199002301234"), IdNumberProblem::bad_birth_date);
  EXPECT_EQ(birth_date_of("620702199003071232"), "1990-03-07");
}

TEST(Masking, NamesIdsPhones) {
  EXPECT_EQ(mask_name("张三"), "张*");
  EXPECT_EQ(mask_name("张三丰"), "张**");
  EXPECT_EQ(mask_name("欧阳娜娜"), "欧阳**");
  EXPECT_EQ(mask_name("王"), "王*");
  EXPECT_EQ(mask_name("JOHN SMITH"), "J*** S****");
  EXPECT_EQ(mask_id_number("620702199003071232"), "620702********1232");
  EXPECT_EQ(mask_phone("13909360001"), "139****0001");
}

TEST(Phone, MobileAndLandline) {
  EXPECT_TRUE(is_mobile_number("13909360001"));
  EXPECT_FALSE(is_mobile_number("12909360001"));
  EXPECT_FALSE(is_mobile_number("1390936000"));
  EXPECT_TRUE(is_phone_number("0936-8212345"));
  EXPECT_TRUE(is_phone_number("12345"));
  EXPECT_FALSE(is_phone_number("8212345"));
}

TEST(ApplicantJson, StrictAboutShapeAndKeys) {
  auto a = parse_applicant_json(R"({"name":"李四","id_number":"11010519491231002x","phone":"13900000000"})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->id_number, "11010519491231002X");
  EXPECT_EQ(a->id_type, "resident");
  for (const char* bad : {"", "[]", "{\"name\": 5}", "{\"name\": 1e999}", "{\"nmae\": \"typo\"}", "{\"name\": \"x\"", "\"x\""}) {
    auto r = parse_applicant_json(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "input_invalid");
  }
  auto form = parse_form_json(R"({"n": 3, "s": "x", "z": null})");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ((*form)["n"], "3");
  EXPECT_EQ(form->count("z"), 0u);
  EXPECT_FALSE(parse_form_json(R"({"a": [1]})").ok());
}

class Validate : public ::testing::Test {
 protected:
  catalog::Catalog cat = catalog::parse_catalog(testing::read_file(testing::fixture("mini-catalog.json")))->catalog;
  ApplicationDraft draft() {
    ApplicationDraft d;
    d.item = cat.find("T-QR-0001");
    d.applicant = testing::test_applicant();
    d.form = {{"phone", "0936-8212345"}, {"reason", "有效期满"}};
    d.material_ids = {"m1"};
    apply_prefill(*d.item, d.applicant, d.form);
    return d;
  }
  std::vector<std::string> rules(const ApplicationDraft& d) {
    std::vector<std::string> out;
    for (const auto& i : validate(d)) out.push_back(i.field + ":" + i.rule);
    return out;
  }
};

TEST_F(Validate, ValidDraftPassesAndPrefillWorks) {
  auto d = draft();
  EXPECT_TRUE(validate(d).empty()) << describe(validate(d));
  EXPECT_EQ(d.form["name"], "张三丰");
  EXPECT_EQ(d.form["id_number"], "620702199003071232");
}

TEST_F(Validate, EveryRuleNamesFieldAndRuleInBothLanguages) {
  auto d = draft();
  d.applicant.phone = "12345";
  d.applicant.id_number = "620702199003071233";
  d.form["reason"] = "想换";
  d.form["household_size"] = "三口";
  d.form["expected_date"] = "2026-02-30";
  d.form["spouse_id"] = "123";
  d.form["note"] = std::string(51 * 3, 'a');
  d.form["bogus"] = "x";
  d.form.erase("phone");
  d.material_ids = {"m9"};
  auto got = rules(d);
  for (const char* want :
       {"applicant.phone:mobile_format", "applicant.id_number:id_check_digit", "form.reason:select_option",
        "form.household_size:number_format", "form.expected_date:date_format", "form.spouse_id:id_length",
        "form.note:max_length", "form.bogus:unknown_field", "form.phone:required", "materials.m9:unknown_material",
        "materials.m1:required"})
    EXPECT_NE(std::find(got.begin(), got.end(), want), got.end()) << want;
  for (const auto& i : validate(d)) {
    EXPECT_FALSE(i.zh.empty());
    EXPECT_FALSE(i.en.empty());
  }
}

TEST_F(Validate, ChannelRules) {
  auto d = draft();
  d.item = cat.find("T-XK-0002");
  d.form.clear();
  d.material_ids.clear();
  auto got = rules(d);
  EXPECT_NE(std::find(got.begin(), got.end(), "item:not_kiosk_submittable"), got.end());
  d.channel = Channel::window;
  got = rules(d);
  EXPECT_NE(std::find(got.begin(), got.end(), "clerk_id:required"), got.end());
  d.clerk_id = "clerk-7";
  EXPECT_TRUE(validate(d).empty()) << describe(validate(d));
}

TEST_F(Validate, BirthDateMustMatchTheIdNumber) {
  auto d = draft();
  d.applicant.birth_date = "1991-03-07";
  auto got = rules(d);
  EXPECT_NE(std::find(got.begin(), got.end(), "applicant.birth_date:birth_date_mismatch"), got.end());
}

// The heartbeat speaks a small vocabulary; every driver state lands in it.
TEST(DeviceHealth, DriverStatesMapToTheHeartbeatVocabulary) {
  EXPECT_EQ(heartbeat_state(Device::printer, "paper_out"), "paper_out");
  EXPECT_EQ(heartbeat_state(Device::printer, "paper_low"), "paper_low");
  EXPECT_EQ(heartbeat_state(Device::printer, "cover_open"), "error");
  EXPECT_EQ(heartbeat_state(Device::printer, "offline"), "error");
  EXPECT_EQ(heartbeat_state(Device::printer, "unknown"), "") << "not queried yet: nothing to report";
  EXPECT_EQ(heartbeat_state(Device::camera, "streaming"), "ok");
  EXPECT_EQ(heartbeat_state(Device::camera, "unplugged"), "error");
  EXPECT_EQ(heartbeat_state(Device::camera, "paper_out"), "error") << "only printers run out of paper";
  EXPECT_EQ(heartbeat_state(Device::id_reader, "absent"), "absent");
  EXPECT_EQ(heartbeat_state(Device::scanner, "ok"), "ok");
  EXPECT_EQ(health_setting_key(Device::id_reader), "device.id_reader.status");
}

TEST(TimeLimit, ZeroWorkingDaysIsSaidAsOnTheSpot) {
  EXPECT_EQ(time_limit_zh(0), "即办");
  EXPECT_EQ(time_limit_zh(5), "5个工作日");
  EXPECT_EQ(time_limit_en(0), "immediately");
  EXPECT_EQ(time_limit_en(1), "1 working day");
  EXPECT_EQ(time_limit_en(20), "20 working days");
}

}  // namespace
}  // namespace bianmin::domain
