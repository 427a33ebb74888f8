// What the kiosk shows at this moment: the whole state of a resident
// session, read by the UI every frame. Texts are message keys (translated
// from assets/), never words: the session knows no language.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "session/application_state.h"
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
  take_ticket,       // 取号: choose the service line, then the number printed
};
const char* screen_key(Screen s);

// The application in progress (application_state.h) is part of it: its
// item is also the guide being read.
struct View : ApplicationState {
  Screen screen = Screen::attract;
  std::string lang = "zh-CN";
  bool elder = false;
  // The resident's choice of voice guidance for this session (the speaker
  // button); none: the terminal's default (voice.mode, on in elder mode).
  std::optional<bool> voice;

  // Browsing.
  ListKind list_kind = ListKind::power;
  Browse filter;
  std::string search_text;
  std::vector<const catalog::Item*> results;

  std::optional<ProgressAnswer> progress;
  bool progress_pending = false;

  // Queue tickets: the hall's service lines (none: no 取号 on home).
  std::vector<domain::QueueLine> lines;
  std::optional<TicketIssued> ticket;
  bool ticket_pending = false;

  // Status and notices.
  bool reader_present = true;
  std::string notice;  // message key, e.g. "card.read_failed"; empty for none
  int countdown = -1;  // seconds left before the session ends, -1 when not counting down
};

}  // namespace bianmin::session
