// What the kiosk shows at this moment: the whole state of a resident
// session, read by the UI every frame. Texts are message keys (translated
// from assets/), never words: the session knows no language.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "domain/application.h"
#include "domain/identity_card.h"
#include "outbox/submit.h"
#include "session/inputs.h"

namespace bianmin::session {

enum class Screen {
  attract,           // idle loop, "touch to start"
  home,              // 我要办事, 三张清单, 进度查询, 服务评价, 投诉建议
  lists,             // browse the published lists / search results
  item_guide,        // 办事指南 of one item
  place_card,        // 请放置身份证
  confirm_identity,  // the card's data, masked where others can see
  form,              // the item's form, pre-filled
  materials,         // capture each required material
  review,            // everything at a glance before submitting
  submitting,        // durable commit in progress
  receipt,           // printing / printed / print failed
  rating,            // 好差评
  done,              // thank you
  progress_query,    // scan a receipt or type its number
  progress_result,   // status timeline
  complaint,         // 投诉建议 form
  complaint_done,
};
const char* screen_key(Screen s);

enum class PrintState { none, printing, printed, failed };

struct View {
  Screen screen = Screen::attract;
  std::string lang = "zh-CN";
  bool elder = false;

  // Browsing.
  ListKind list_kind = ListKind::power;
  Browse filter;
  std::string search_text;
  std::vector<const catalog::Item*> results;
  const catalog::Item* item = nullptr;

  // The resident's data: wiped when the session ends.
  std::optional<domain::IdentityCard> card;
  domain::Applicant applicant;
  domain::FormValues form;
  std::vector<outbox::MaterialFile> pages;  // in capture order
  std::vector<domain::ValidationIssue> issues;

  bool capturing = false;
  std::optional<Submitted> submitted;
  PrintState print = PrintState::none;
  std::string printer_state;  // "paper_out", … when printing failed
  std::optional<ProgressAnswer> progress;
  bool progress_pending = false;

  // Status and notices.
  bool reader_present = true;
  std::string notice;  // message key, e.g. "card.read_failed"; empty for none
  int countdown = -1;  // seconds left before the session ends, -1 when not counting down

  int pages_of(const std::string& material_id) const;
};

}  // namespace bianmin::session
