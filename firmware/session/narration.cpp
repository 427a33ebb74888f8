#include "session/narration.h"

namespace bianmin::session {
namespace {

// The countdown is spoken once, when at most this many seconds are left.
constexpr int kSayCountdownAt = 15;

std::optional<Prompt> on_screen(const Moment& before, const Moment& after) {
  switch (after.screen) {
    case Screen::home:
      if (before.screen == Screen::attract) return Prompt{"welcome", {}};
      return std::nullopt;
    case Screen::item_guide: return Prompt{"guide", {}};
    case Screen::place_card: return Prompt{"place_card", {}};
    case Screen::confirm_identity: return Prompt{"card_read", {}};
    case Screen::form:
      if (before.screen == Screen::confirm_identity || before.screen == Screen::place_card) return Prompt{"fill_form", {}};
      return std::nullopt;
    case Screen::materials:
      if (before.screen != Screen::form) return std::nullopt;
      if (!after.next_material.empty()) return Prompt{"capture", {{"material", after.next_material}}};
      return Prompt{"materials_done", {}};
    case Screen::review: return Prompt{"review", {}};
    case Screen::receipt: return Prompt{"submitted", {}};
    case Screen::rating:
      // The receipt just came out: both in one sentence (a second prompt
      // would cut the first off).
      if (before.screen == Screen::receipt && after.print == PrintState::printed) return Prompt{"receipt_and_rate", {}};
      return Prompt{"rate", {}};
    case Screen::done: return Prompt{"thanks", {}};
    case Screen::progress_query: return Prompt{"scan_receipt", {}};
    case Screen::complaint_done: return Prompt{"complaint_done", {}};
    case Screen::take_ticket: return Prompt{"choose_line", {}};
    default: return std::nullopt;
  }
}

}  // namespace

const std::vector<PromptInfo>& prompt_catalogue() {
  static const std::vector<PromptInfo> kPrompts = {
      {"welcome", {}},          {"guide", {}},           {"place_card", {}},        {"card_read", {}},
      {"card_failed", {}},      {"fill_form", {}},       {"fill_field", {"field"}}, {"fix_form", {}},
      {"capture", {"material"}}, {"page_captured", {"pages"}}, {"materials_done", {}}, {"review", {}},
      {"submitted", {}},        {"take_receipt", {}},    {"print_failed", {}},      {"receipt_and_rate", {}},
      {"rate", {}},             {"session_ending", {"seconds"}}, {"thanks", {}},    {"scan_receipt", {}},
      {"complaint_done", {}},   {"choose_line", {}},     {"ticket_taken", {"number", "ahead"}},
      {"call_ticket", {"number", "window"}},
  };
  return kPrompts;
}

Moment moment_of(const View& v) {
  Moment m;
  m.screen = v.screen;
  m.notice = v.notice;
  m.issues = v.issues.size();
  if (v.item && !v.issues.empty() && v.issues.front().field.rfind("form.", 0) == 0) {
    const std::string key = v.issues.front().field.substr(5);
    for (const auto& f : v.item->form)
      if (f.key == key) m.first_issue_label = f.label;
  }
  m.pages = v.pages.size();
  if (v.item)
    for (const auto& mat : v.item->materials)
      if (mat.required && v.pages_of(mat.id) == 0) {
        m.next_material = mat.name;
        break;
      }
  m.print = v.print;
  if (v.ticket && v.ticket->ticket) {
    m.ticket = v.ticket->ticket->number;
    m.ticket_ahead = v.ticket->ticket->ahead;
  }
  m.countdown = v.countdown;
  return m;
}

std::optional<Prompt> narrate(const Moment& before, const Moment& after) {
  if (after.screen != before.screen) {
    if (auto p = on_screen(before, after)) return p;
  }
  if (after.notice != before.notice && after.notice == "card.read_failed") return Prompt{"card_failed", {}};
  // A check of the form found something: name the first field to fix.
  if (after.screen == Screen::form && after.issues > 0 && after.issues != before.issues) {
    if (!after.first_issue_label.empty()) return Prompt{"fill_field", {{"field", after.first_issue_label}}};
    return Prompt{"fix_form", {}};
  }
  if (after.screen == Screen::materials && after.pages > before.pages) {
    const Prompt captured{"page_captured", {{"pages", std::to_string(after.pages)}}};
    if (after.next_material.empty()) return before.next_material.empty() ? captured : Prompt{"materials_done", {}};
    if (after.next_material != before.next_material) return Prompt{"capture", {{"material", after.next_material}}};
    return captured;
  }
  if (after.print != before.print) {
    if (after.print == PrintState::printed) return Prompt{"take_receipt", {}};
    if (after.print == PrintState::failed) return Prompt{"print_failed", {}};
  }
  if (!after.ticket.empty() && after.ticket != before.ticket)
    return Prompt{"ticket_taken", {{"number", after.ticket}, {"ahead", std::to_string(after.ticket_ahead)}}};
  const auto counting = [](int c) { return c > 0 && c <= kSayCountdownAt; };
  // After "goodbye" the ending goes unsaid.
  if (counting(after.countdown) && !counting(before.countdown) && after.screen != Screen::done)
    return Prompt{"session_ending", {{"seconds", std::to_string(after.countdown)}}};
  return std::nullopt;
}

Prompt call_ticket(const domain::Ticket& t) { return Prompt{"call_ticket", {{"number", t.number}, {"window", t.window_no}}}; }

}  // namespace bianmin::session
