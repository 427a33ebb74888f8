// The shell's printing: a resident's receipt, and a queue ticket taken at
// the kiosk (the number from the hall's queue, the slip on the printer's
// own worker). Failures become the printer's state on the status bar.
#include "base/log.h"
#include "printer/print_session.h"
#include "printer/receipt_job.h"
#include "printer/slips.h"
#include "shell.h"
#include "store/enrolled_settings.h"

namespace bianmin::ui {
namespace {

// "printer_paper_out" → "paper_out"; anything unknown is "error", an
// unreachable printer "absent".
std::string printer_state_of(const Error& e) {
  static const char* kStates[] = {"paper_low", "paper_out", "cover_open", "offline", "error", "absent"};
  if (e.code.rfind("printer_", 0) == 0) {
    const std::string s = e.code.substr(8);
    for (const char* k : kStates)
      if (s == k) return s;
    if (s == "timeout") return "offline";
  }
  if (e.code == "io_error" || e.code == "not_found") return "absent";
  return "error";
}

}  // namespace

void Shell::print_receipt(const std::string& client_id) {
  struct Done {
    std::atomic<bool>& flag;
    ~Done() { flag = false; }
  } done{printing_};
  auto fail = [&](const Error& err) {
    const std::string state = printer_state_of(err);
    log::warn("ui", "receipt not printed", {{"error", err.code}, {"state", state}});
    inbox_.push(StatusChange{[state](DeviceStatus& st) { st.printer_state = state; }});
    inbox_.push(session::Input{session::PrintFailed{state, err.message}});
  };
  if (opt_.printer.empty()) return fail(make_error("printer_absent", "no printer configured"));
  store::Store* s = store_on(printer_conn_);
  if (!s) return fail(make_error("store_unavailable", "the store cannot be opened"));
  drivers::printer::ProfileArgs args;
  args.printer = opt_.printer;
  if (auto st = args.resolve(opt_.config, true); !st) return fail(st.error());  // width, font set, QR from the config
  auto session = drivers::printer::PrintSession::open(args);
  if (!session) return fail(session.error());
  auto src = drivers::printer::load_receipt(*s, opt_.config, client_id);
  if (!src) return fail(src.error());
  auto bytes = (*session)->encode(drivers::printer::compose_receipt(src->data));
  if (!bytes) return fail(bytes.error());
  if (auto st = (*session)->print(*bytes); !st) return fail(st.error());
  if (auto st = drivers::printer::mark_receipt_printed(*s, client_id); !st)
    log::warn("ui", "receipt printed but not marked", {{"error", st.error().code}});
  inbox_.push(StatusChange{[](DeviceStatus& st) { st.printer_state = "ok"; }});
  inbox_.push(session::Input{session::Printed{}});
}

void Shell::issue_ticket(const domain::QueueLine& line) {
  store::Store* s = store_on(hall_conn_);
  queue::HallQueue* hall = s ? hall_.get(*s) : nullptr;
  auto t = hall ? hall->issue(line)
                : Result<domain::Ticket>(make_error("store_unavailable", "the hall's queue cannot be reached"));
  if (!t) {
    log::error("ui", "ticket not issued", {{"error", t.error().code}, {"detail", t.error().message}});
    inbox_.push(session::Input{session::TicketIssued{}});
    return;
  }
  // The number is taken; the slip follows on the printer's own worker.
  printing_ = true;
  printer_worker_.post([this, ticket = *t] {
    session::TicketIssued done{ticket, true, ""};
    if (auto st = print_ticket(ticket); !st) {
      done.printed = false;
      done.printer_state = printer_state_of(st.error());
      const std::string state = done.printer_state;
      inbox_.push(StatusChange{[state](DeviceStatus& d) { d.printer_state = state; }});
    }
    printing_ = false;
    inbox_.push(session::Input{std::move(done)});
  });
}

Status Shell::print_ticket(const domain::Ticket& t) {
  if (opt_.printer.empty()) return make_error("printer_absent", "no printer configured");
  drivers::printer::ProfileArgs args;
  args.printer = opt_.printer;
  BIANMIN_TRY(args.resolve(opt_.config, true));
  BIANMIN_ASSIGN(auto session, drivers::printer::PrintSession::open(args));
  std::string hall;
  if (store::Store* s = store_on(printer_conn_)) {
    if (auto h = store::enrolled_or_configured(*s, opt_.config, "terminal.hall_name")) hall = *h;
  }
  drivers::printer::QueueTicket slip{hall, t.line_name, t.number, t.issued_at, t.ahead};
  BIANMIN_ASSIGN(auto bytes, session->encode(drivers::printer::compose_queue_ticket(slip)));
  return session->print(bytes);
}

}  // namespace bianmin::ui
