// bianmin print receipt|pending|test|ticket|status|render, bianmin sim printer
#include "printer/cli_printer.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "base/fs.h"
#include "base/log.h"
#include "base/time.h"
#include "printer/print_session.h"
#include "printer/receipt_job.h"
#include "printer/render/paper.h"
#include "printer/sim/cli_sim_printer.h"

namespace bianmin::drivers::printer {
namespace {

using json = nlohmann::json;
using cli::Runner;

int fail_print(const Error& e) { return Runner::fail(e, print_exit_for(e)); }

// The printer and profile the command line names, completed from the
// configuration, opened.
Result<std::unique_ptr<PrintSession>> open_session(Runner& r, ProfileArgs& args) {
  BIANMIN_ASSIGN(config::Config * cfg, r.config());
  BIANMIN_TRY(args.resolve(*cfg, true));
  return PrintSession::open(args);
}

// Prints one stored application's receipt; 'printed' only after success.
int print_one(Runner& r, PrintSession& session, const std::string& id, json* out) {
  auto s = r.store();
  if (!s) return cli::fail(s.error());
  auto cfg = r.config();
  if (!cfg) return cli::fail(cfg.error());
  auto src = load_receipt(**s, **cfg, id);
  if (!src) return src.error().code == "not_found" ? Runner::fail(src.error(), cli::kNotFound) : cli::fail(src.error());
  auto bytes = session.encode(compose_receipt(src->data));
  if (!bytes) return fail_print(bytes.error());
  const Status printed = session.print(*bytes);
  if (!printed) {
    log::warn("printer", "receipt kept pending", {{"client_id", src->client_id}, {"receipt_no", src->data.receipt_no}});
    if (out) out->push_back({{"client_id", src->client_id}, {"receipt_no", src->data.receipt_no}, {"printed", false},
                             {"error", printed.error().code}});
    return Runner::fail(make_error(printed.error().code,
                                   "receipt " + src->data.receipt_no + " not printed: " + printed.error().message +
                                       ". It stays pending: reprint with `bianmin print receipt --client-id " +
                                       src->client_id + "` or `bianmin print pending`."),
                        print_exit_for(printed.error()));
  }
  if (auto st = mark_receipt_printed(**s, src->client_id); !st) return cli::fail(st.error());
  log::info("printer", "receipt printed", {{"client_id", src->client_id}, {"receipt_no", src->data.receipt_no}});
  if (out) out->push_back({{"client_id", src->client_id}, {"receipt_no", src->data.receipt_no}, {"printed", true}});
  else std::printf("已打印受理回执 %s / receipt printed\n", src->data.receipt_no.c_str());
  return cli::kOk;
}

void add_receipt(CLI::App* print, Runner& r) {
  auto* cmd = print->add_subcommand("receipt", "Print (or reprint) the receipt of a stored application");
  auto args = std::make_shared<ProfileArgs>();
  auto id = std::make_shared<std::string>();
  cmd->add_option("--client-id", *id, "Application client_id or receipt number")->required();
  args->add_to(cmd, true);
  cmd->footer("Exit codes: 0 printed, 3 no such application, 6 printer not ready (paper out, cover open, offline, "
              "error), 7 printer unreachable. A receipt not printed stays pending.");
  on_run(cmd, r, [&r, args, id]() -> int {
    auto session = open_session(r, *args);
    if (!session) return fail_print(session.error());
    json out = json::array();
    const int rc = print_one(r, **session, *id, args->json ? &out : nullptr);
    if (args->json) cli::print_json(out.empty() ? json::object() : out[0]);
    return rc;
  });
}

void add_pending(CLI::App* print, Runner& r) {
  auto* cmd = print->add_subcommand("pending", "Print every receipt that has not been printed yet, oldest first");
  auto args = std::make_shared<ProfileArgs>();
  auto wait_ms = std::make_shared<int>(0);
  args->add_to(cmd, true);
  cmd->add_option("--wait", *wait_ms, "Until every pending receipt is printed, try again every MS milliseconds "
                                      "(paper refilled, cable plugged back)")
      ->check(CLI::Range(50, 3600000));
  cmd->footer("Exit codes as for `print receipt`; with --wait, 0 once nothing is pending.");
  on_run(cmd, r, [&r, args, wait_ms]() -> int {
    auto s = r.store();
    if (!s) return cli::fail(s.error());
    json out = json::array();
    for (bool first = true;; first = false) {
      auto ids = pending_receipts(**s);
      if (!ids) return cli::fail(ids.error());
      if (ids->empty()) {
        if (args->json) cli::print_json({{"results", out}, {"pending", 0}});
        else if (first) std::printf("没有待打印的回执 / no pending receipts\n");
        return cli::kOk;
      }
      int rc = cli::kOk;
      auto session = open_session(r, *args);
      if (!session) rc = fail_print(session.error());
      for (std::size_t i = 0; session && i < ids->size() && rc == cli::kOk; ++i)
        rc = print_one(r, **session, (*ids)[i], args->json ? &out : nullptr);
      if (rc == cli::kOk) continue;  // all printed: the next round confirms nothing is left
      if (*wait_ms <= 0) {
        if (args->json) cli::print_json({{"results", out}, {"pending", ids->size()}});
        return rc;  // the printer cannot print: the rest stay pending too
      }
      session = make_error("retry", "");  // closes the link while waiting
      std::this_thread::sleep_for(std::chrono::milliseconds(*wait_ms));
    }
  });
}

void add_test(CLI::App* print, Runner& r) {
  auto* cmd = print->add_subcommand("test", "Print a test page: model, width, font coverage, QR code, ruler");
  auto args = std::make_shared<ProfileArgs>();
  args->add_to(cmd, true);
  on_run(cmd, r, [&r, args]() -> int {
    auto session = open_session(r, *args);
    if (!session) return fail_print(session.error());
    TestPageInfo info;
    auto id = (*session)->link().device_id();
    info.model = id ? (id->manufacturer + " " + id->model) : "unknown";
    info.link = (*session)->link().describe();
    info.width_dots = (*session)->profile().width_dots;
    info.font = (*session)->profile().font;
    info.native_qr = (*session)->profile().native_qr;
    info.printed_at = time::now_rfc3339();
    auto bytes = (*session)->encode(compose_test_page(info));
    if (!bytes) return fail_print(bytes.error());
    if (auto st = (*session)->print(*bytes); !st) return fail_print(st.error());
    std::printf("test page printed on %s\n", info.link.c_str());
    return cli::kOk;
  });
}

void add_ticket(CLI::App* print, Runner& r) {
  auto* cmd = print->add_subcommand("ticket", "Print a queue ticket (排队取号)");
  auto args = std::make_shared<ProfileArgs>();
  auto t = std::make_shared<QueueTicket>();
  cmd->add_option("--service", t->service, "Service name")->required();
  cmd->add_option("--number", t->number, "Ticket number, e.g. A012")->required();
  cmd->add_option("--waiting", t->waiting, "People waiting before this ticket");
  args->add_to(cmd, true);
  on_run(cmd, r, [&r, args, t]() -> int {
    auto cfg = r.config();
    if (!cfg) return cli::fail(cfg.error());
    QueueTicket ticket = *t;
    ticket.hall_name = r.enrolled("terminal.hall_name");
    ticket.issued_at = time::now_rfc3339();
    auto session = open_session(r, *args);
    if (!session) return fail_print(session.error());
    auto bytes = (*session)->encode(compose_queue_ticket(ticket));
    if (!bytes) return fail_print(bytes.error());
    if (auto st = (*session)->print(*bytes); !st) return fail_print(st.error());
    return cli::kOk;
  });
}

json status_json(const StatusReport& rep) {
  json j = {{"printer", rep.link}, {"state", state_key(rep.status.state)},
            {"message", state_message(rep.status.state)}, {"two_way", rep.status.two_way},
            {"source", rep.source}, {"flags", rep.status.flags}};
  if (rep.device) j["device"] = {{"manufacturer", rep.device->manufacturer}, {"model", rep.device->model},
                                 {"command_set", rep.device->command_set}};
  return j;
}

void add_status(CLI::App* print, Runner& r) {
  auto* cmd = print->add_subcommand("status", "Ask the printer's state: ok, paper_low, paper_out, cover_open, "
                                              "offline, error or absent");
  auto printer = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  auto watch_ms = std::make_shared<int>(0);
  auto changes = std::make_shared<int>(0);
  cmd->add_option("--printer", *printer,
                  "usb, usb:VID:PID, dev:/dev/usb/lp0, tcp:HOST:PORT or file:PATH (default: devices.printer)");
  cmd->add_flag("--json", *as_json, "Print JSON (with --watch: one object a line)");
  cmd->add_option("--watch", *watch_ms, "Keep asking every MS milliseconds; print each change of state "
                                        "(plugged, unplugged, paper out, …)")
      ->check(CLI::Range(50, 3600000));
  cmd->add_option("--changes", *changes, "With --watch: stop after this many reports (0: never)");
  cmd->footer("Exit code 0 whenever a state could be given (also \"absent\"); 1 for a malformed --printer.");
  on_run(cmd, r, [&r, printer, as_json, watch_ms, changes]() -> int {
    auto named = r.device(*printer, "printer", "--printer");
    if (!named) return Runner::fail(named.error(), cli::kUsage);
    auto addr = parse_printer_address(*named);
    if (!addr) return Runner::fail(addr.error(), cli::kUsage);
    std::string last;
    for (int reported = 0;;) {
      const StatusReport rep = look_at(*addr);
      const std::string key = state_key(rep.status.state);
      if (key != last) {
        if (*as_json) std::cout << status_json(rep).dump(*watch_ms > 0 ? -1 : 2) << std::endl;
        else std::printf("%s: %s (%s)\n", rep.link.c_str(), key.c_str(), state_message(rep.status.state));
        std::fflush(stdout);
        if (rep.status.state == PrinterState::absent) log::warn("printer", "printer absent", {{"printer", rep.link}});
        last = key;
        ++reported;
      }
      if (*watch_ms <= 0 || (*changes > 0 && reported >= *changes)) return cli::kOk;
      std::this_thread::sleep_for(std::chrono::milliseconds(*watch_ms));
    }
  });
}

void add_render(CLI::App* print, Runner& r) {
  auto* cmd = print->add_subcommand("render", "Draw an ESC/POS byte stream as the paper would look (PNG)");
  auto in = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto width = std::make_shared<int>(384);
  auto font = std::make_shared<std::string>("gb18030-2byte");
  cmd->add_option("--in", *in, "ESC/POS file (e.g. from --printer file:PATH or sim printer --record)")->required();
  cmd->add_option("--out", *out, "PNG to write")->required();
  cmd->add_option("--width", *width, "Printable width in dots")->check(CLI::Range(96, 4096));
  cmd->add_option("--font-set", *font, "Resident font of the emulated printer")
      ->check(CLI::IsMember({"gb2312", "gbk", "gb18030-2byte"}));
  on_run(cmd, r, [in, out, width, font]() -> int {
    auto bytes = fs::read_file(*in, 64u << 20);
    if (!bytes) return Runner::fail(bytes.error(), cli::kRejected);
    auto glyphs = GlyphRenderer::open();
    if (!glyphs) return Runner::fail(glyphs.error(), cli::kStoreError);
    RenderOptions o;
    o.width_dots = *width;
    o.font = *parse_font_set(*font);
    const Paper paper = render_escpos(*bytes, o, glyphs->get());
    if (auto st = write_png(*out, paper_image(paper)); !st) return Runner::fail(st.error(), cli::kRejected);
    std::printf("%s: %d × %d dots, %zu cut(s)%s\n", out->c_str(), paper.print.width, paper.print.height,
                paper.cuts.size(), paper.truncated ? ", stream truncated" : "");
    return cli::kOk;
  });
}

}  // namespace

void add_printer_commands(CLI::App& app, Runner& r) {
  auto* print = app.add_subcommand("print", "Receipt printer (ESC/POS): receipts, tests, status, rendering");
  print->require_subcommand(1);
  add_receipt(print, r);
  add_pending(print, r);
  add_test(print, r);
  add_ticket(print, r);
  add_status(print, r);
  add_render(print, r);
  add_sim_printer_command(app, r);
}

}  // namespace bianmin::drivers::printer
