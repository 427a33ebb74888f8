// The window clerks who may sign in at this counter (access/clerk_accounts.h):
//
//   bianmin clerk add --id ID --name NAME --pin-stdin   the PIN twice on standard input, one line each
//   bianmin clerk list [--json]                         id, name, state; never a PIN or its hash
//   bianmin clerk disable ID | enable ID
//   bianmin clerk reset-pin ID --pin-stdin              also lifts a lockout
//
// PINs never come from the command line (ps, shell history). Every change
// is audited.
#include <cstdio>
#include <iostream>

#include "access/clerk_accounts.h"
#include "base/bytes.h"
#include "cli/runner.h"

namespace bianmin::cli {
namespace {

using json = nlohmann::json;

// The PIN typed twice, one line each; "input_invalid" when they differ or
// a line is missing.
Result<std::string> read_pin_twice() {
  std::string first, second;
  const bool got = static_cast<bool>(std::getline(std::cin, first)) && static_cast<bool>(std::getline(std::cin, second));
  for (std::string* s : {&first, &second})
    if (!s->empty() && s->back() == '\r') s->pop_back();
  if (!got) {
    secure_wipe(first);
    return make_error("input_invalid", "--pin-stdin reads the PIN twice, one line each, from standard input");
  }
  const bool same = first == second;
  secure_wipe(second);
  if (!same) {
    secure_wipe(first);
    return make_error("input_invalid", "the two PINs differ");
  }
  return first;
}

int exit_for_access(const Error& e) { return e.code == "exists" ? kRejected : Runner::exit_for(e); }

int with_clerks(Runner& r, const std::function<Status(access::ClerkAccounts&)>& fn, const std::string& done) {
  auto s = r.store();
  if (!s) return fail(s.error());
  access::ClerkAccounts clerks(**s);
  if (auto st = fn(clerks); !st) return Runner::fail(st.error(), exit_for_access(st.error()));
  std::printf("%s\n", done.c_str());
  return kOk;
}

// add and reset-pin: the PIN from standard input, wiped after use.
int with_new_pin(Runner& r, bool pin_stdin, const std::function<Status(access::ClerkAccounts&, const std::string&)>& fn,
                 const std::string& done) {
  if (!pin_stdin) return Runner::fail(make_error("input_invalid", "give the PIN with --pin-stdin"), kUsage);
  auto pin = read_pin_twice();
  if (!pin) return Runner::fail(pin.error(), kRejected);
  const int rc = with_clerks(r, [&](access::ClerkAccounts& c) { return fn(c, *pin); }, done);
  secure_wipe(*pin);
  return rc;
}

}  // namespace

void add_clerk_commands(CLI::App& app, Runner& r) {
  auto* clerk = app.add_subcommand("clerk", "Window clerks who may sign in at this counter (audited)");
  clerk->require_subcommand(1);

  auto* add = clerk->add_subcommand("add", "Add a clerk; the PIN (6-12 digits) twice on standard input");
  auto id = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto add_stdin = std::make_shared<bool>(false);
  add->add_option("--id", *id, "Clerk number (letters, digits, - and _; at most 32)")->required();
  add->add_option("--name", *name, "The clerk's name")->required();
  add->add_flag("--pin-stdin", *add_stdin, "Read the PIN twice from standard input, one line each");
  on_run(add, r, [&r, id, name, add_stdin]() -> int {
    return with_new_pin(r, *add_stdin, [&](access::ClerkAccounts& c, const std::string& pin) { return c.add(*id, *name, pin); },
                        "clerk " + *id + " added");
  });

  auto* list = clerk->add_subcommand("list", "The clerks: number, name, state (active, disabled, locked)");
  auto as_json = std::make_shared<bool>(false);
  list->add_flag("--json", *as_json, "Print JSON: [{\"id\", \"name\", \"state\"}]");
  on_run(list, r, [&r, as_json]() -> int {
    auto s = r.store();
    if (!s) return fail(s.error());
    auto clerks = access::ClerkAccounts(**s).list(time::Clock::now());
    if (!clerks) return fail(clerks.error());
    if (*as_json) {
      json out = json::array();
      for (const auto& c : *clerks) {
        json j{{"id", c.id}, {"name", c.name}, {"state", c.state}};
        if (c.locked_for_s > 0) j["locked_for_s"] = c.locked_for_s;
        out.push_back(std::move(j));
      }
      print_json(out);
      return kOk;
    }
    for (const auto& c : *clerks) std::printf("%-12s %-9s %s\n", c.id.c_str(), c.state.c_str(), c.name.c_str());
    if (clerks->empty()) std::printf("(no clerks)\n");
    return kOk;
  });

  for (const bool enable : {false, true}) {
    auto* cmd = clerk->add_subcommand(enable ? "enable" : "disable",
                                      enable ? "Let a disabled clerk sign in again" : "Stop a clerk from signing in");
    auto who = std::make_shared<std::string>();
    cmd->add_option("ID", *who, "Clerk number")->required();
    on_run(cmd, r, [&r, who, enable]() -> int {
      return with_clerks(r, [&](access::ClerkAccounts& c) { return enable ? c.enable(*who) : c.disable(*who); },
                         "clerk " + *who + (enable ? " enabled" : " disabled"));
    });
  }

  auto* reset = clerk->add_subcommand("reset-pin", "Give a clerk a new PIN (twice on standard input); lifts a lockout");
  auto reset_id = std::make_shared<std::string>();
  auto reset_stdin = std::make_shared<bool>(false);
  reset->add_option("ID", *reset_id, "Clerk number")->required();
  reset->add_flag("--pin-stdin", *reset_stdin, "Read the PIN twice from standard input, one line each");
  on_run(reset, r, [&r, reset_id, reset_stdin]() -> int {
    return with_new_pin(r, *reset_stdin,
                        [&](access::ClerkAccounts& c, const std::string& pin) { return c.reset_pin(*reset_id, pin); },
                        "clerk " + *reset_id + " has a new PIN");
  });
}

}  // namespace bianmin::cli
