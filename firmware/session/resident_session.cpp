#include "session/resident_session.h"

#include <algorithm>

#include "base/bytes.h"
#include "catalog/search.h"
#include "domain/masking.h"

namespace bianmin::session {

const char* screen_key(Screen s) {
  switch (s) {
    case Screen::attract: return "attract";
    case Screen::home: return "home";
    case Screen::lists: return "lists";
    case Screen::item_guide: return "item_guide";
    case Screen::place_card: return "place_card";
    case Screen::confirm_identity: return "confirm_identity";
    case Screen::form: return "form";
    case Screen::materials: return "materials";
    case Screen::review: return "review";
    case Screen::submitting: return "submitting";
    case Screen::receipt: return "receipt";
    case Screen::rating: return "rating";
    case Screen::done: return "done";
    case Screen::progress_query: return "progress_query";
    case Screen::progress_result: return "progress_result";
    case Screen::complaint: return "complaint";
    case Screen::complaint_done: return "complaint_done";
    case Screen::take_ticket: return "take_ticket";
  }
  return "?";
}

namespace {

template <class T>
constexpr bool kIsWorkerEvent =
    std::is_same_v<T, Tick> || std::is_same_v<T, IdCard> || std::is_same_v<T, PageCaptured> ||
    std::is_same_v<T, CaptureFailed> || std::is_same_v<T, Submitted> || std::is_same_v<T, SubmitFailed> ||
    std::is_same_v<T, Printed> || std::is_same_v<T, PrintFailed> || std::is_same_v<T, ProgressAnswer> ||
    std::is_same_v<T, FeedbackStored> || std::is_same_v<T, TicketIssued>;
template <class T>
constexpr bool kIsResidentAction = !kIsWorkerEvent<T>;

}  // namespace

ResidentSession::ResidentSession(const catalog::Catalog* catalog, SessionConfig config)
    : catalog_(catalog),
      index_(catalog ? std::make_unique<catalog::SearchIndex>(*catalog) : nullptr),
      config_(std::move(config)),
      flow_(view_, view_.notice, domain::Channel::kiosk) {
  view_.lines = config_.lines;
}

void ResidentSession::set_catalog(const catalog::Catalog* catalog) {
  catalog_ = catalog;
  index_ = catalog_ ? std::make_unique<catalog::SearchIndex>(*catalog_) : nullptr;
  // Pointers into the old catalogue must not survive it.
  const std::string code = view_.item ? view_.item->code : "";
  view_.item = catalog_ && !code.empty() ? catalog_->find(code) : nullptr;
  if (!code.empty() && !view_.item && (view_.screen == Screen::item_guide || in_apply_flow())) go(Screen::home);
  refresh_results();
}

std::vector<Effect> ResidentSession::handle(const Input& input) {
  out_.clear();
  // A resident acting (a touch, a scanned code) restarts the idle timer;
  // workers reporting back do not. A notice stands until the resident
  // acts: the clock's tick must not take it off the screen.
  const bool resident_acted = std::visit([](const auto& in) { return kIsResidentAction<std::decay_t<decltype(in)>>; }, input);
  if (resident_acted) {
    view_.notice.clear();
    idle_.activity(now_);
    view_.countdown = -1;
    start_session_if_idle();
  }
  std::visit([this](const auto& in) { on(in); }, input);
  flow_.move_effects_to(out_);
  return std::move(out_);
}

// ---- navigation ----

void ResidentSession::go(Screen s) { view_.screen = s; }

void ResidentSession::start_session_if_idle() {
  if (active_) return;
  active_ = true;
  out_.push_back(DoAudit{"session_start", ""});
  if (view_.screen == Screen::attract) go(Screen::home);
}

void ResidentSession::on(const Touch&) {}

void ResidentSession::on(const GoHome&) {
  if (in_apply_flow() || view_.screen == Screen::complaint) wipe_resident_data();
  view_.item = nullptr;
  go(Screen::home);
}

void ResidentSession::on(const GoBack&) {
  switch (view_.screen) {
    case Screen::lists: return go(Screen::home);
    case Screen::item_guide: return go(view_.results.empty() ? Screen::home : Screen::lists);
    case Screen::place_card: return go(Screen::item_guide);
    case Screen::confirm_identity: wipe_resident_data(); return go(Screen::place_card);
    case Screen::form: return go(Screen::confirm_identity);
    case Screen::materials: return go(Screen::form);
    case Screen::review: return go(view_.item && !view_.item->materials.empty() ? Screen::materials : Screen::form);
    case Screen::progress_query:
    case Screen::progress_result:
    case Screen::complaint:
    case Screen::take_ticket: return go(Screen::home);
    default: return;  // submitting, receipt, rating, done: no way back
  }
}

void ResidentSession::on(const OpenLists& o) {
  view_.list_kind = o.kind;
  view_.filter = {};
  view_.search_text.clear();
  refresh_results();
  go(Screen::lists);
}

void ResidentSession::on(const Browse& b) {
  view_.filter = b;
  refresh_results();
  go(Screen::lists);
}

void ResidentSession::on(const SearchText& s) {
  view_.search_text = s.text;
  refresh_results();
  go(Screen::lists);
}

void ResidentSession::refresh_results() {
  view_.results.clear();
  if (!index_ || view_.list_kind == ListKind::funds) return;
  catalog::SearchQuery q;
  q.text = view_.search_text;
  q.category = view_.filter.category;
  q.department = view_.filter.department;
  q.limit = 1000;
  for (const auto& hit : index_->search(q)) {
    // The duty list (责任清单) shows the items that state responsibilities.
    if (view_.list_kind == ListKind::duty && hit.item->responsibilities.empty()) continue;
    view_.results.push_back(hit.item);
  }
}

void ResidentSession::on(const OpenItem& o) {
  view_.item = catalog_ ? catalog_->find(o.code) : nullptr;
  if (!view_.item) {
    view_.notice = "item.not_found";
    return;
  }
  go(Screen::item_guide);
}

// ---- applying ----

bool ResidentSession::in_apply_flow() const {
  switch (view_.screen) {
    case Screen::place_card:
    case Screen::confirm_identity:
    case Screen::form:
    case Screen::materials:
    case Screen::review:
      return true;
    default:
      return false;
  }
}

void ResidentSession::on(const StartApply&) {
  if (view_.screen != Screen::item_guide || !view_.item) return;
  if (!view_.item->kiosk_submittable) {
    view_.notice = "item.counter_only";
    return;
  }
  wipe_resident_data();
  go(Screen::place_card);
}

void ResidentSession::on(const IdCard& e) {
  using K = domain::IdCardEventKind;
  switch (e.event.kind) {
    case K::reader_present: view_.reader_present = true; return;
    case K::reader_absent: view_.reader_present = false; return;
    case K::read_failed:
      if (view_.screen == Screen::place_card) view_.notice = "card.read_failed";
      return;
    case K::card_read:
      if (view_.screen != Screen::place_card || !e.event.card) return;  // not asked for: ignore
      idle_.activity(now_);
      flow_.take_card(*e.event.card);
      go(Screen::confirm_identity);
      return;
    case K::card_removed:
      // The resident walked away with the card: nothing of theirs may stay.
      if (in_apply_flow() && view_.screen != Screen::place_card) end_session("session.card_removed");
      return;
  }
}

void ResidentSession::on(const ConfirmIdentity&) {
  if (view_.screen != Screen::confirm_identity || !view_.item) return;
  flow_.prefill();
  go(Screen::form);
}

void ResidentSession::on(const EditField& f) {
  if (view_.screen == Screen::form) flow_.edit(f);
}

void ResidentSession::on(const FormNext&) {
  if (view_.screen != Screen::form || !flow_.check_form()) return;
  go(view_.item->materials.empty() ? Screen::review : Screen::materials);
}

void ResidentSession::on(const CapturePage& c) {
  if (view_.screen == Screen::materials) flow_.start_capture(c.material_id);
}

void ResidentSession::on(const PageCaptured& p) {
  if (view_.screen != Screen::materials) return;  // a late page after the session ended
  if (flow_.page_captured(p)) idle_.activity(now_);
}

void ResidentSession::on(const CaptureFailed& f) { flow_.capture_failed(f); }

void ResidentSession::on(const RemoveLastPage& r) { flow_.remove_last_page(r.material_id); }

void ResidentSession::on(const MaterialsNext&) {
  if (view_.screen == Screen::materials && flow_.check_materials()) go(Screen::review);
}

void ResidentSession::on(const SubmitNow&) {
  if (view_.screen == Screen::review && flow_.submit()) go(Screen::submitting);
}

void ResidentSession::on(const Submitted& s) {
  if (view_.screen != Screen::submitting) return;
  idle_.activity(now_);
  flow_.submitted(s);
  go(Screen::receipt);
}

void ResidentSession::on(const SubmitFailed& f) {
  if (view_.screen != Screen::submitting) return;
  flow_.submit_failed(f);
  go(Screen::review);
}

void ResidentSession::on(const Printed&) {
  if (!flow_.printed()) return;
  idle_.activity(now_);
  if (view_.screen == Screen::receipt) go(Screen::rating);
}

void ResidentSession::on(const PrintFailed& f) { flow_.print_failed(f); }

void ResidentSession::on(const ReprintReceipt&) {
  if (view_.screen == Screen::receipt) flow_.reprint();
}

void ResidentSession::on(const Rate& r) {
  const bool rating_screen = view_.screen == Screen::rating || (view_.screen == Screen::receipt && view_.print == PrintState::failed);
  if (!rating_screen && view_.screen != Screen::home) return;
  if (r.level < 1 || r.level > 5) return;
  // 不满意 and 非常不满意 must say why, so the hall can act on it.
  if (r.level <= 2 && r.tags.empty()) {
    view_.notice = "rating.reason_required";
    return;
  }
  DoStoreRating rating;
  rating.level = r.level;
  rating.tags = r.tags;
  if (view_.submitted) rating.client_id = view_.submitted->client_id;
  if (view_.item) rating.item_code = view_.item->code;
  out_.push_back(std::move(rating));
  go(Screen::done);
}

void ResidentSession::on(const SkipRating&) {
  if (view_.screen == Screen::rating || view_.screen == Screen::receipt) go(Screen::done);
}

void ResidentSession::on(const Finish&) {
  if (view_.screen == Screen::done || view_.screen == Screen::complaint_done ||
      view_.screen == Screen::progress_result || (view_.screen == Screen::take_ticket && view_.ticket))
    end_session("");
}

// ---- progress, complaints ----

void ResidentSession::on(const StartProgressQuery&) {
  view_.progress.reset();
  go(Screen::progress_query);
}

void ResidentSession::on(const QueryReceipt& q) {
  if (view_.screen != Screen::progress_query) return;
  view_.progress_pending = true;
  out_.push_back(DoQueryProgress{q.receipt_no, ""});
}

void ResidentSession::on(const CodeScanned& c) {
  if (!c.is_receipt) {
    view_.notice = "code.not_a_receipt";
    return;
  }
  // A receipt shown anywhere outside a flow means "where is my application?".
  if (in_apply_flow() || view_.screen == Screen::submitting || view_.screen == Screen::complaint) return;
  view_.progress.reset();
  view_.progress_pending = true;
  out_.push_back(DoQueryProgress{c.receipt_no, c.token});
  go(Screen::progress_query);
}

void ResidentSession::on(const ProgressAnswer& a) {
  if (!view_.progress_pending) return;
  view_.progress_pending = false;
  view_.progress = a;
  go(Screen::progress_result);
}

void ResidentSession::on(const StartComplaint&) { go(Screen::complaint); }

void ResidentSession::on(const SubmitComplaint& c) {
  if (view_.screen != Screen::complaint) return;
  view_.issues.clear();
  if (c.text.empty() || utf8_length(c.text) > 500)
    view_.issues.push_back({"complaint.text", "required", "请填写投诉或建议内容（500字以内）",
                            "please describe the complaint (at most 500 characters)"});
  if (!c.phone.empty() && !domain::is_mobile_number(c.phone))
    view_.issues.push_back({"complaint.phone", "mobile_format", "手机号码格式不正确", "not a valid mobile number"});
  if (c.about != "service" && c.about != "staff" && c.about != "fee" && c.about != "other")
    view_.issues.push_back({"complaint.about", "about", "请选择投诉类别", "choose what the complaint is about"});
  if (!view_.issues.empty()) return;
  DoStoreComplaint complaint{c.about, c.text, std::nullopt};
  if (!c.phone.empty()) complaint.contact_phone = c.phone;
  out_.push_back(std::move(complaint));
  out_.push_back(DoWakeSync{});
  go(Screen::complaint_done);
}

void ResidentSession::on(const FeedbackStored&) {}

void ResidentSession::on(const SetLanguage& l) {
  if (l.lang == "zh-CN" || l.lang == "en") view_.lang = l.lang;
}

void ResidentSession::on(const SetElderMode& e) { view_.elder = e.on; }
void ResidentSession::on(const SetVoice& v) { view_.voice = v.on; }

// ---- queue tickets (取号) ----

void ResidentSession::on(const TakeTicket&) {
  if (view_.lines.empty() || view_.screen != Screen::home) return;
  view_.ticket.reset();
  go(Screen::take_ticket);
  // One line in this hall: nothing to choose.
  if (view_.lines.size() == 1) on(ChooseLine{view_.lines.front().letter});
}

void ResidentSession::on(const ChooseLine& c) {
  if (view_.screen != Screen::take_ticket || view_.ticket_pending || view_.ticket) return;
  for (const auto& line : view_.lines) {
    if (line.letter != c.letter) continue;
    view_.ticket_pending = true;
    out_.push_back(DoIssueTicket{line});
    return;
  }
}

void ResidentSession::on(const TicketIssued& t) {
  if (!view_.ticket_pending) return;
  view_.ticket_pending = false;
  if (!t.ticket) {
    view_.notice = "ticket.failed";
    return;
  }
  idle_.activity(now_);
  view_.ticket = t;
  // The number stands on the screen: a resident can note it down.
  if (!t.printed) view_.notice = "ticket.print_failed";
}

// ---- time ----

std::chrono::seconds ResidentSession::idle_limit() const {
  return view_.elder ? config_.idle_timeout * config_.elder_timeout_factor : config_.idle_timeout;
}

void ResidentSession::on(const Tick& t) {
  now_ = t.now;
  if (!idle_.started()) idle_.activity(now_);
  if (!active_ || view_.screen == Screen::attract) return;
  // Never walk away from a commit or a print in progress.
  if (view_.screen == Screen::submitting || view_.print == PrintState::printing || view_.capturing ||
      view_.ticket_pending) {
    view_.countdown = -1;
    return;
  }
  const auto countdown = view_.elder ? config_.countdown * config_.elder_timeout_factor : config_.countdown;
  const IdleTimer::State idle = idle_.at(now_, idle_limit(), countdown);
  if (idle.expired) {
    end_session("session.timed_out");
    return;
  }
  view_.countdown = idle.countdown;
}

// ---- ending ----

void ResidentSession::wipe_resident_data() { view_.wipe_applicant(); }

void ResidentSession::end_session(const char* notice) {
  wipe_resident_data();
  const std::string lang = "zh-CN";
  const bool reader = view_.reader_present;
  view_ = View{};
  view_.lang = lang;
  view_.reader_present = reader;
  view_.lines = config_.lines;
  view_.notice = notice;
  refresh_results();
  active_ = false;
  out_.push_back(DoWipe{});
  out_.push_back(DoAudit{"session_end", notice});
}

}  // namespace bianmin::session
