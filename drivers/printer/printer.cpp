#include "printer/printer.h"

#include "base/log.h"
#include "printer/escpos.h"

namespace bianmin::drivers::printer {
namespace {

// One DLE EOT question; the answer byte, nullopt if none came.
Result<std::optional<uint8_t>> ask(Transport& t, int n, int timeout_ms) {
  EscPos q;
  q.status_query(n);
  BIANMIN_TRY(t.write(q.bytes()));
  std::string got;
  for (int tries = 0; tries < 4; ++tries) {
    BIANMIN_ASSIGN(std::string part, t.read(16, timeout_ms));
    if (part.empty()) break;
    got += part;
    if (find_status_byte(got)) break;
  }
  if (got.empty()) return std::optional<uint8_t>();
  return find_status_byte(got);
}

}  // namespace

StatusReport absent_report(const std::string& link, const Error& why) {
  StatusReport r;
  r.link = link;
  r.source = "link";
  r.status.state = why.code == "printer_timeout" ? PrinterState::offline : PrinterState::absent;
  r.status.flags.push_back(why.code);
  return r;
}

StatusReport look_at(const PrinterAddress& addr, int open_timeout_ms, int answer_timeout_ms) {
  auto link = open_transport(addr, open_timeout_ms);
  if (!link) return absent_report(describe(addr), link.error());
  return query_status(**link, answer_timeout_ms);
}

StatusReport query_status(Transport& t, int answer_timeout_ms) {
  StatusReport r;
  r.link = t.describe();
  r.device = t.device_id();
  if (t.two_way()) {
    StatusBytes b;
    auto first = ask(t, 1, answer_timeout_ms);
    if (!first) return absent_report(r.link, first.error());
    if (*first) {
      b.printer = **first;
      for (int n = 2; n <= 4; ++n) {
        auto v = ask(t, n, answer_timeout_ms);
        if (!v) return absent_report(r.link, v.error());
        if (n == 2) b.offline_cause = *v;
        if (n == 3) b.error_cause = *v;
        if (n == 4) b.paper = *v;
      }
      auto st = interpret_status(b);
      if (st) {
        r.status = *st;
        r.source = "dle_eot";
        return r;
      }
      log::warn("printer", "status answer not understood", {{"error", st.error().message}});
    }
  }
  if (auto port = t.port_status()) {
    r.status = interpret_port_status(*port);
    r.source = "port_status";
    return r;
  }
  // One-way link: nothing to ask. The job is sent and assumed printed
  // (devices.md §2.4: unidirectional printers cannot report paper out).
  r.status.two_way = false;
  r.source = "none";
  return r;
}

Status print_job(Transport& t, std::string_view bytes, int answer_timeout_ms) {
  StatusReport before = query_status(t, answer_timeout_ms);
  if (blocks_printing(before.status.state))
    return make_error(std::string("printer_") + state_key(before.status.state), state_message(before.status.state));
  BIANMIN_TRY(t.write(bytes));
  if (before.source == "none") return {};
  // The answer comes after the printer has taken the job; paper that ran
  // out on the way shows here.
  StatusReport after = query_status(t, answer_timeout_ms);
  if (blocks_printing(after.status.state))
    return make_error(std::string("printer_") + state_key(after.status.state), state_message(after.status.state));
  return {};
}

}  // namespace bianmin::drivers::printer
