#include "session/clerk_session.h"

#include "base/bytes.h"
#include "domain/id_number.h"
#include "domain/masking.h"

namespace bianmin::session {

const char* counter_screen_key(CounterScreen s) {
  switch (s) {
    case CounterScreen::sign_in: return "sign_in";
    case CounterScreen::waiting_line: return "waiting_line";
    case CounterScreen::choose_item: return "choose_item";
    case CounterScreen::identify: return "identify";
    case CounterScreen::manual_identity: return "manual_identity";
    case CounterScreen::form: return "form";
    case CounterScreen::materials: return "materials";
    case CounterScreen::review: return "review";
    case CounterScreen::accepting: return "accepting";
    case CounterScreen::accepted: return "accepted";
  }
  return "?";
}

namespace {

template <class T>
constexpr bool kIsWorkerEvent =
    std::is_same_v<T, Tick> || std::is_same_v<T, ClerkChecked> || std::is_same_v<T, TicketCalled> ||
    std::is_same_v<T, WaitingLine> || std::is_same_v<T, IdCard> || std::is_same_v<T, PageCaptured> ||
    std::is_same_v<T, CaptureFailed> || std::is_same_v<T, Submitted> || std::is_same_v<T, SubmitFailed> ||
    std::is_same_v<T, Printed> || std::is_same_v<T, PrintFailed>;

// Only these work on a locked counter: everything else needs a clerk.
template <class T>
constexpr bool kAllowedLocked = kIsWorkerEvent<T> || std::is_same_v<T, Touch> || std::is_same_v<T, SetLanguage> ||
                                std::is_same_v<T, ClerkSignIn>;

// An identity typed in must be as checkable as one read from a card.
const char* manual_identity_problem(const ManualIdentity& m) {
  if (m.name.empty() || utf8_length(m.name) > 50) return "counter.manual.name";
  if (m.reason.empty() || utf8_length(m.reason) > 100) return "counter.manual.reason";
  const std::string id = domain::normalize_id_number(m.id_number);
  if (m.id_type == "resident" || m.id_type == "gat_residence")
    return domain::check_id_number(id) == domain::IdNumberProblem::none ? nullptr : "counter.manual.id_number";
  if (m.id_type == "foreign_permanent")
    return domain::check_id_number(id) == domain::IdNumberProblem::none || domain::is_foreign_permanent_2017(id)
               ? nullptr
               : "counter.manual.id_number";
  return "counter.manual.id_type";
}

}  // namespace

ClerkSession::ClerkSession(const catalog::Catalog* catalog, ClerkConfig config)
    : catalog_(catalog),
      index_(catalog ? std::make_unique<catalog::SearchIndex>(*catalog) : nullptr),
      config_(std::move(config)),
      flow_(view_, view_.notice, domain::Channel::window) {}

void ClerkSession::set_catalog(const catalog::Catalog* catalog) {
  catalog_ = catalog;
  index_ = catalog_ ? std::make_unique<catalog::SearchIndex>(*catalog_) : nullptr;
  // Pointers into the old catalogue must not survive it.
  view_.results.clear();
  const std::string code = view_.item ? view_.item->code : "";
  view_.item = catalog_ && !code.empty() ? catalog_->find(code) : nullptr;
  if (!code.empty() && !view_.item && serving() && view_.screen != CounterScreen::accepted) {
    drop_application();
    view_.notice = "item.not_found";
    go(CounterScreen::waiting_line);
  }
}

std::vector<ClerkEffect> ClerkSession::handle(const ClerkInput& input) {
  out_.clear();
  const bool allowed = view_.signed_in() || std::visit([](const auto& in) {
                         return kAllowedLocked<std::decay_t<decltype(in)>>;
                       }, input);
  if (!allowed) return {};
  const bool clerk_acted = std::visit([](const auto& in) { return !kIsWorkerEvent<std::decay_t<decltype(in)>>; }, input);
  if (clerk_acted) {
    // A notice stands until the clerk does something (a tick must not
    // take "wrong PIN" off the screen).
    view_.notice.clear();
    idle_.activity(now_);
    view_.countdown = -1;
  }
  std::visit([this](const auto& in) { on(in); }, input);
  flow_.move_effects_to(out_);
  return std::move(out_);
}

void ClerkSession::audit(std::string type, std::string detail) {
  out_.push_back(DoAudit{std::move(type), std::move(detail)});
}

bool ClerkSession::serving() const {
  switch (view_.screen) {
    case CounterScreen::sign_in:
    case CounterScreen::waiting_line: return false;
    default: return true;
  }
}

// ---- signing in and out ----

void ClerkSession::on(const SetLanguage& l) {
  if (l.lang == "zh-CN" || l.lang == "en") view_.lang = l.lang;
}

void ClerkSession::on(const ClerkSignIn& s) {
  if (view_.signed_in() || view_.busy) return;
  if (s.clerk_id.empty() || s.pin.empty()) {
    view_.notice = "counter.sign_in.missing";
    return;
  }
  view_.busy = true;
  view_.last_clerk_id = s.clerk_id;
  // The PIN goes to the worker only (a memory-hard check takes a while);
  // the access layer audits the attempt, without the PIN.
  out_.push_back(DoCheckClerkPin{s.clerk_id, s.pin});
}

void ClerkSession::on(const ClerkChecked& c) {
  if (!view_.busy) return;
  view_.busy = false;
  view_.attempts_left = c.attempts_left;
  view_.locked_for_s = c.locked_for_s;
  if (!c.ok) {
    view_.notice = c.locked_for_s > 0 ? "counter.sign_in.locked"
                   : c.disabled       ? "counter.sign_in.disabled"
                                      : "counter.sign_in.wrong";
    return;
  }
  view_.clerk_id = c.clerk_id;
  view_.clerk_name = c.name;
  view_.last_clerk_id = c.clerk_id;
  view_.attempts_left = -1;
  flow_.set_clerk(c.clerk_id);
  idle_.activity(now_);
  go(CounterScreen::waiting_line);
}

void ClerkSession::on(const SignOut&) {
  // Never walk away from a commit in progress: the clerk waits for it.
  if (view_.screen == CounterScreen::accepting) return;
  lock("counter.signed_out", "clerk_sign_out");
}

void ClerkSession::lock(const char* notice, const char* audit_type) {
  audit(audit_type, view_.clerk_id);
  // A number called but not served goes back to the line, in its place.
  if (view_.screen != CounterScreen::accepted) set_ticket_state(domain::TicketState::waiting);
  else set_ticket_state(domain::TicketState::served);
  drop_application();
  const ClerkView keep = [&] {
    ClerkView k;
    k.lang = view_.lang;
    k.last_clerk_id = view_.last_clerk_id;
    k.reader_present = view_.reader_present;
    return k;
  }();
  view_ = keep;  // the ticket, the line, the search: nothing stays on a locked screen
  view_.notice = notice;
  flow_.set_clerk("");
  out_.push_back(DoWipe{});
}

// ---- the waiting line ----

void ClerkSession::on(const WaitingLine& w) {
  view_.line_unknown = w.queue_unreachable;
  if (!w.queue_unreachable) view_.waiting = w.tickets;
}

void ClerkSession::on(const CallNext&) {
  if (view_.screen != CounterScreen::waiting_line) return;
  out_.push_back(DoCallNextTicket{config_.lines, config_.window_no, view_.clerk_id});
}

void ClerkSession::on(const TicketCalled& t) {
  if (!view_.signed_in() || view_.screen != CounterScreen::waiting_line) return;
  if (!t.ticket) {
    view_.notice = t.queue_unreachable ? "counter.queue_unreachable" : "counter.line_empty";
    return;
  }
  view_.ticket = t.ticket;
  out_.push_back(DoAnnounceTicket{*t.ticket});
  view_.search_text.clear();
  view_.results.clear();
  go(CounterScreen::choose_item);
}

void ClerkSession::on(const RecallTicket&) {
  if (view_.ticket && view_.screen == CounterScreen::choose_item) out_.push_back(DoAnnounceTicket{*view_.ticket});
}

void ClerkSession::on(const TicketNoShow&) {
  // Only before anything of the resident was taken.
  if (!view_.ticket || view_.screen != CounterScreen::choose_item) return;
  set_ticket_state(domain::TicketState::no_show);
  go(CounterScreen::waiting_line);
}

void ClerkSession::set_ticket_state(domain::TicketState state) {
  if (!view_.ticket) return;
  out_.push_back(DoSetTicketState{view_.ticket->number, view_.ticket->day, state, view_.clerk_id});
  view_.ticket.reset();
}

void ClerkSession::on(const ServeWithoutTicket&) {
  if (view_.screen != CounterScreen::waiting_line) return;
  view_.search_text.clear();
  view_.results.clear();
  go(CounterScreen::choose_item);
}

// ---- the item ----

void ClerkSession::on(const SearchText& s) {
  if (view_.screen != CounterScreen::choose_item) return;
  view_.search_text = s.text;
  view_.results.clear();
  if (!index_ || s.text.empty()) return;
  catalog::SearchQuery q;
  q.text = s.text;
  q.limit = 50;
  for (const auto& hit : index_->search(q)) view_.results.push_back(hit.item);
}

void ClerkSession::on(const OpenItem& o) {
  if (view_.screen != CounterScreen::choose_item) return;
  const catalog::Item* item = catalog_ ? catalog_->find(o.code) : nullptr;
  if (!item) {
    view_.notice = "item.not_found";
    return;
  }
  // Every item can be accepted at a window, kiosk-submittable or not.
  drop_application();
  view_.item = item;
  go(CounterScreen::identify);
}

// ---- the applicant ----

void ClerkSession::on(const IdCard& e) {
  using K = domain::IdCardEventKind;
  switch (e.event.kind) {
    case K::reader_present: view_.reader_present = true; return;
    case K::reader_absent: view_.reader_present = false; return;
    case K::read_failed:
      if (view_.screen == CounterScreen::identify) view_.notice = "card.read_failed";
      return;
    case K::card_read:
      if (!view_.signed_in() || view_.screen != CounterScreen::identify || !e.event.card) return;
      idle_.activity(now_);
      flow_.take_card(*e.event.card);
      flow_.prefill();
      go(CounterScreen::form);
      return;
    case K::card_removed:
      // The resident takes the card back once it was read: normal at a counter.
      return;
  }
}

void ClerkSession::on(const TypeIdentity&) {
  if (view_.screen == CounterScreen::identify) go(CounterScreen::manual_identity);
}

void ClerkSession::on(const ManualIdentity& m) {
  if (view_.screen != CounterScreen::manual_identity) return;
  if (const char* problem = manual_identity_problem(m)) {
    view_.notice = problem;
    return;
  }
  domain::Applicant a;
  a.name = m.name;
  a.id_type = m.id_type;
  a.id_number = domain::normalize_id_number(m.id_number);
  if (a.id_number.size() == 18) {
    a.birth_date = domain::birth_date_of(a.id_number);
    a.sex = (a.id_number[16] - '0') % 2 == 1 ? "男" : "女";
  }
  audit("identity_manual", domain::mask_id_number(a.id_number) + "; " + m.reason);
  flow_.take_manual(std::move(a));
  flow_.prefill();
  go(CounterScreen::form);
}

// ---- form, materials, acceptance: the shared steps ----

void ClerkSession::on(const EditField& f) {
  if (view_.screen == CounterScreen::form) flow_.edit(f);
}

void ClerkSession::on(const FormNext&) {
  if (view_.screen != CounterScreen::form || !flow_.check_form()) return;
  go(view_.item->materials.empty() ? CounterScreen::review : CounterScreen::materials);
}

void ClerkSession::on(const CapturePage& c) {
  if (view_.screen == CounterScreen::materials) flow_.start_capture(c.material_id);
}

void ClerkSession::on(const PageCaptured& p) {
  if (view_.screen == CounterScreen::materials) flow_.page_captured(p);
}

void ClerkSession::on(const CaptureFailed& f) { flow_.capture_failed(f); }

void ClerkSession::on(const RemoveLastPage& r) {
  if (view_.screen == CounterScreen::materials) flow_.remove_last_page(r.material_id);
}

void ClerkSession::on(const MaterialsNext&) {
  if (view_.screen == CounterScreen::materials && flow_.check_materials()) go(CounterScreen::review);
}

void ClerkSession::on(const SubmitNow&) {
  if (view_.screen == CounterScreen::review && flow_.submit()) go(CounterScreen::accepting);
}

void ClerkSession::on(const Submitted& s) {
  if (view_.screen != CounterScreen::accepting) return;
  flow_.submitted(s);
  audit("application_accepted", s.receipt_no);
  go(CounterScreen::accepted);
}

void ClerkSession::on(const SubmitFailed& f) {
  if (view_.screen != CounterScreen::accepting) return;
  flow_.submit_failed(f);
  go(CounterScreen::review);
}

void ClerkSession::on(const Printed&) { flow_.printed(); }

void ClerkSession::on(const PrintFailed& f) { flow_.print_failed(f); }

void ClerkSession::on(const ReprintReceipt&) {
  if (view_.screen == CounterScreen::accepted) flow_.reprint();
}

void ClerkSession::on(const GoBack&) {
  switch (view_.screen) {
    case CounterScreen::identify: return go(CounterScreen::choose_item);
    case CounterScreen::manual_identity: return go(CounterScreen::identify);
    case CounterScreen::form:
      // Back from the form means another applicant: what was taken goes.
      view_.wipe_applicant();
      return go(CounterScreen::identify);
    case CounterScreen::materials: return go(CounterScreen::form);
    case CounterScreen::review:
      return go(view_.item && !view_.item->materials.empty() ? CounterScreen::materials : CounterScreen::form);
    default: return;
  }
}

void ClerkSession::on(const CancelApplication&) {
  if (!serving() || view_.screen == CounterScreen::accepting || view_.screen == CounterScreen::accepted) return;
  if (view_.item) audit("application_cancelled", view_.item->code);
  drop_application();
  go(CounterScreen::waiting_line);
}

void ClerkSession::on(const NextApplicant&) {
  if (view_.screen != CounterScreen::accepted || view_.print == PrintState::printing) return;
  set_ticket_state(domain::TicketState::served);
  drop_application();
  out_.push_back(DoWipe{});
  go(CounterScreen::waiting_line);
}

void ClerkSession::drop_application() {
  view_.wipe_applicant();
  view_.item = nullptr;
  view_.submitted.reset();
  view_.print = PrintState::none;
  view_.printer_state.clear();
}

// ---- time ----

void ClerkSession::on(const Tick& t) {
  now_ = t.now;
  if (!idle_.started()) idle_.activity(now_);
  if (!view_.signed_in()) return;
  // Never lock over a commit, a print or a scan in progress.
  if (view_.screen == CounterScreen::accepting || view_.print == PrintState::printing || view_.capturing) {
    view_.countdown = -1;
    return;
  }
  const IdleTimer::State idle = idle_.at(now_, config_.idle_timeout, config_.countdown);
  if (idle.expired) return lock("counter.locked_idle", "clerk_locked_idle");
  view_.countdown = idle.countdown;
}

}  // namespace bianmin::session
