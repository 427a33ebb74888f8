// bianmin queue list [--state S | --quarantined] [--json]
// bianmin queue retry ID [--technician T] | queue discard ID --reason R [--technician T]
#include <cstdio>

#include "cli/runner.h"
#include "outbox/application_store.h"
#include "outbox/delivery.h"

namespace bianmin::cli {
namespace {

using json = nlohmann::json;

json record_json(const outbox::ApplicationRecord& a) {
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  json blobs = json::array();
  for (const auto& b : a.blobs)
    blobs.push_back({{"material_id", b.material_id}, {"sha256", b.sha256}, {"bytes", b.bytes}, {"mime", b.mime},
                     {"pages", b.pages}, {"uploaded", b.uploaded}});
  return {{"client_id", a.client_id}, {"receipt_no", a.receipt_no}, {"item_code", a.item_code},
          {"item_name", a.item_name}, {"channel", a.channel}, {"submitted_at", a.submitted_at},
          {"state", a.state}, {"attempts", a.attempts}, {"next_attempt_at", opt(a.next_attempt_at)},
          {"last_error", opt(a.last_error)}, {"quarantine_reason", opt(a.quarantine_reason)},
          {"case_no", opt(a.case_no)}, {"central_status", opt(a.central_status)}, {"deadline", opt(a.deadline)},
          {"receipt_state", a.receipt_state}, {"purged", a.purged}, {"blobs", blobs}};
}

// Retry or discard a quarantined record: audited, and only from quarantine
// (a queued record may already be at the central; discarding it could lose
// an application that was in fact received).
void add_technician_commands(CLI::App* q, Runner& r) {
  for (const bool discard : {false, true}) {
    auto* cmd = q->add_subcommand(discard ? "discard" : "retry",
                                  discard ? "Give up on a quarantined application (audited)"
                                          : "Queue a quarantined application again, e.g. after the central was fixed (audited)");
    auto id = std::make_shared<std::string>();
    auto technician = std::make_shared<std::string>("technician");
    auto reason = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    cmd->add_option("ID", *id, "client_id or receipt number")->required();
    cmd->add_option("--technician", *technician, "Who does this (recorded in the audit chain)");
    if (discard) cmd->add_option("--reason", *reason, "Why (recorded in the audit chain)")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    on_run(cmd, r, [&r, discard, id, technician, reason, as_json]() -> int {
      auto s = r.store();
      if (!s) return fail(s.error());
      outbox::Delivery delivery(**s);
      auto rec = discard ? delivery.discard(*id, *technician, *reason) : delivery.retry(*id, *technician);
      if (!rec) return Runner::fail(rec.error(), rec.error().code == "not_found" ? kNotFound
                                                 : rec.error().code == "wrong_state" ? kRejected
                                                                                     : Runner::exit_for(rec.error()));
      if (!discard) outbox::wake_sync_daemon((*s)->options().data_dir);
      if (*as_json) print_json(record_json(*rec));
      else std::printf("%s %s: now %s\n", rec->receipt_no.c_str(), rec->client_id.c_str(), rec->state.c_str());
      return kOk;
    });
  }
}

}  // namespace

void add_queue_commands(CLI::App& app, Runner& r) {
  auto* q = app.add_subcommand("queue", "The outbox of applications, and the hall's queue tickets");
  q->require_subcommand(1);
  auto* cmd = q->add_subcommand("list", "List stored applications, oldest first");
  auto state = std::make_shared<std::string>();
  auto quarantined = std::make_shared<bool>(false);
  auto as_json = std::make_shared<bool>(false);
  auto limit = std::make_shared<int64_t>(1000);
  cmd->add_option("--state", *state, "queued, delivered, quarantined or discarded")
      ->check(CLI::IsMember({"queued", "delivered", "quarantined", "discarded"}));
  cmd->add_flag("--quarantined", *quarantined, "Only records the central refused (same as --state quarantined)");
  cmd->add_option("--limit", *limit, "Most records to list");
  cmd->add_flag("--json", *as_json, "Print JSON");
  on_run(cmd, r, [&r, state, quarantined, as_json, limit]() -> int {
    auto s = r.store();
    if (!s) return fail(s.error());
    outbox::ListFilter f;
    if (*quarantined) f.state = "quarantined";
    else if (!state->empty()) f.state = *state;
    f.limit = *limit;
    auto list = outbox::ApplicationStore(**s).list(f);
    if (!list) return fail(list.error());
    if (*as_json) {
      json out = json::array();
      for (const auto& a : *list) out.push_back(record_json(a));
      print_json(out);
      return kOk;
    }
    for (const auto& a : *list)
      std::printf("%-11s %-20s %s  %s  %s%s\n", a.state.c_str(), a.receipt_no.c_str(), a.client_id.c_str(),
                  a.submitted_at.c_str(), a.item_name.c_str(),
                  a.quarantine_reason ? ("  [" + *a.quarantine_reason + "]").c_str() : "");
    if (list->empty()) std::printf("(no applications)\n");
    return kOk;
  });
  add_technician_commands(q, r);
  add_ticket_commands(q, r);
}

}  // namespace bianmin::cli
