// The hall's queue tickets (queue/ticket_queue.h), beside the outbox under
// `bianmin queue`:
//
//   bianmin queue tickets [--json]     today's tickets and their state
//   bianmin queue take LINE [--json]   issue a number without the kiosk (audited)
#include <cstdio>

#include "cli/runner.h"
#include "domain/ticket_json.h"
#include "queue/hall_queue.h"

namespace bianmin::cli {
namespace {

using json = nlohmann::json;

// The hall's queue as this terminal reaches it (queue.host), or why it
// cannot (not enrolled, a setting missing).
Result<std::unique_ptr<queue::HallQueue>> hall_queue(Runner& r) {
  auto cfg = r.config();
  if (!cfg) return cfg.error();
  auto s = r.store();
  if (!s) return s.error();
  return r.open_hall_queue(**s, **cfg);
}

}  // namespace

void add_ticket_commands(CLI::App* q, Runner& r) {
  auto* tickets = q->add_subcommand("tickets", "Today's queue tickets (排队取号) and their state, in the order of issue");
  auto as_json = std::make_shared<bool>(false);
  tickets->add_flag("--json", *as_json,
                    "Print JSON: [{\"number\", \"line\", \"line_name\", \"day\", \"issued_at\", \"ahead\", \"state\", "
                    "\"window_no\", \"clerk_id\", \"called_at\"}]");
  on_run(tickets, r, [&r, as_json]() -> int {
    auto hall = hall_queue(r);
    if (!hall) return fail(hall.error());
    auto list = (*hall)->today({});
    if (!list) return fail(list.error());
    if (*as_json) {
      json out = json::array();
      for (const auto& t : *list) out.push_back(domain::ticket_to_json(t));
      print_json(out);
      return kOk;
    }
    for (const auto& t : *list)
      std::printf("%-5s %-8s %s  %s%s\n", t.number.c_str(), domain::ticket_state_key(t.state), t.issued_at.c_str(),
                  t.line_name.c_str(), t.window_no.empty() ? "" : ("  → " + t.window_no).c_str());
    if (list->empty()) std::printf("(no tickets today)\n");
    return kOk;
  });

  auto* take = q->add_subcommand("take", "Issue the next ticket of a service line (queue.lines), as the kiosk's 取号 does");
  auto line = std::make_shared<std::string>();
  auto take_json = std::make_shared<bool>(false);
  take->add_option("LINE", *line, "The line's letter, e.g. A")->required();
  take->add_flag("--json", *take_json, "Print the ticket as JSON");
  on_run(take, r, [&r, line, take_json]() -> int {
    auto cfg = r.config();
    if (!cfg) return fail(cfg.error());
    auto lines = domain::parse_queue_lines((*cfg)->str("queue.lines"));
    if (!lines) return Runner::fail(lines.error(), kStoreError);
    const domain::QueueLine* chosen = nullptr;
    for (const auto& l : *lines)
      if (l.letter == *line) chosen = &l;
    if (!chosen) return Runner::fail(make_error("not_found", "no service line " + *line + " in queue.lines"), kNotFound);
    auto hall = hall_queue(r);
    if (!hall) return fail(hall.error());
    auto t = (*hall)->issue(*chosen);
    if (!t) return fail(t.error());
    if (*take_json) print_json(domain::ticket_to_json(*t));
    else std::printf("%s  %s  %d ahead\n", t->number.c_str(), t->line_name.c_str(), t->ahead);
    return kOk;
  });
}

}  // namespace bianmin::cli
