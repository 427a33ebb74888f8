// Who may open the service mode on the screen (access/technician_access.h):
//
//   bianmin service set-pin          the PIN is read from standard input, never
//                                    from the command line (ps, shell history)
//   bianmin service clear-pin
//   bianmin service add-card --id-number N --name NAME
//   bianmin service remove-card ID_NUMBER|MASKED
//   bianmin service list [--json]
//
// Every change is audited.
#include <cstdio>
#include <iostream>

#include "access/technician_access.h"
#include "base/bytes.h"
#include "cli/runner.h"
#include "store/store.h"

namespace bianmin::cli {
namespace {

using json = nlohmann::json;

int with_access(Runner& r, const std::function<Status(access::TechnicianAccess&)>& fn, const char* done) {
  auto s = r.store();
  if (!s) return fail(s.error());
  access::TechnicianAccess a(**s);
  if (auto st = fn(a); !st) return Runner::fail(st.error(), st.error().code == "input_invalid" ? kRejected : Runner::exit_for(st.error()));
  std::printf("%s\n", done);
  return kOk;
}

}  // namespace

void add_service_commands(CLI::App& app, Runner& r) {
  auto* svc = app.add_subcommand("service", "Who may open service mode on the screen (technician PIN and cards)");
  svc->require_subcommand(1);

  auto* set_pin = svc->add_subcommand("set-pin", "Set the service PIN (6-12 digits, read from standard input; audited)");
  on_run(set_pin, r, [&r]() -> int {
    std::string pin;
    std::getline(std::cin, pin);
    if (!pin.empty() && pin.back() == '\r') pin.pop_back();
    const int rc = with_access(r, [&pin](access::TechnicianAccess& a) { return a.set_pin(pin); }, "service PIN set");
    secure_wipe(pin);
    return rc;
  });

  auto* clear_pin = svc->add_subcommand("clear-pin", "Remove the service PIN (cards still open service mode; audited)");
  on_run(clear_pin, r, [&r]() -> int {
    return with_access(r, [](access::TechnicianAccess& a) { return a.clear_pin(); }, "service PIN cleared");
  });

  auto* add_card = svc->add_subcommand("add-card", "Register a technician's ID card (only a MAC of the number is kept; audited)");
  auto id = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  add_card->add_option("--id-number", *id, "The card's 18-character ID number")->required();
  add_card->add_option("--name", *name, "The technician's name")->required();
  on_run(add_card, r, [&r, id, name]() -> int {
    return with_access(r, [&](access::TechnicianAccess& a) { return a.add_card(*id, *name); }, "technician card added");
  });

  auto* remove_card = svc->add_subcommand("remove-card", "Unregister a technician card (audited)");
  auto which = std::make_shared<std::string>();
  remove_card->add_option("CARD", *which, "The ID number, or its masked form as `service list` shows it")->required();
  on_run(remove_card, r, [&r, which]() -> int {
    auto s = r.store();
    if (!s) return fail(s.error());
    access::TechnicianAccess a(**s);
    if (auto st = a.remove_card(*which); !st)
      return Runner::fail(st.error(), st.error().code == "not_found" ? kNotFound : Runner::exit_for(st.error()));
    std::printf("technician card removed\n");
    return kOk;
  });

  auto* list = svc->add_subcommand("list", "Whether a PIN is set, and the registered technician cards");
  auto as_json = std::make_shared<bool>(false);
  list->add_flag("--json", *as_json, "Print JSON: {\"pin_set\", \"cards\": [{\"name\", \"id_masked\"}]}");
  on_run(list, r, [&r, as_json]() -> int {
    auto s = r.store();
    if (!s) return fail(s.error());
    access::TechnicianAccess a(**s);
    auto pin = a.pin_set();
    if (!pin) return fail(pin.error());
    auto cards = a.cards();
    if (!cards) return fail(cards.error());
    json j{{"pin_set", *pin}, {"cards", json::array()}};
    for (const auto& c : *cards) j["cards"].push_back({{"name", c.name}, {"id_masked", c.id_masked}});
    if (*as_json) {
      print_json(j);
    } else {
      std::printf("service PIN: %s\n", *pin ? "set" : "not set");
      for (const auto& c : *cards) std::printf("card %s  %s\n", c.id_masked.c_str(), c.name.c_str());
    }
    return kOk;
  });
}

}  // namespace bianmin::cli
