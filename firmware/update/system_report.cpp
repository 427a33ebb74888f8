#include "update/system_report.h"

#include "update/rauc_client.h"
#include "update/system_bus.h"
#include "update/update_record.h"

namespace bianmin::update {

nlohmann::json system_report(const std::string& data_dir) {
  nlohmann::json out = nlohmann::json::object();
  auto bus = SystemBus::open();
  if (!bus) {
    out["rauc"] = bus.error().message;
  } else {
    Rauc rauc(*bus);
    if (auto booted = rauc.boot_slot()) out["slot"] = *booted;
    else out["rauc"] = booted.error().message;
    if (auto slots = rauc.slots()) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& s : *slots)
        list.push_back({{"slot", s.bootname}, {"version", s.bundle_version}, {"boot_status", s.boot_status},
                        {"state", s.state}});
      out["slots"] = list;
    }
  }
  if (auto rec = read_update_record(data_dir); rec && *rec) out["last_update"] = to_json(**rec);
  return out;
}

diagnose::Finding system_finding(const nlohmann::json& report) {
  std::string figure;
  if (report.contains("slot")) {
    figure = "booted slot " + report["slot"].get<std::string>();
    for (const auto& s : report.value("slots", nlohmann::json::array())) {
      const std::string v = s.value("version", "");
      figure += "; " + s.value("slot", "?") + ": " + (v.empty() ? "factory" : v) + ", " + s.value("boot_status", "?");
    }
  } else {
    figure = "not an A/B system (" + report.value("rauc", std::string("no RAUC")) + ")";
  }
  if (!report.contains("last_update")) return diagnose::ok(figure + "; no update yet");
  const auto& last = report["last_update"];
  const std::string version = last.value("version", "");
  const std::string result = last.value("result", "");
  const std::string message = last.value("message", "");
  figure += "; last update " + (version.empty() ? std::string("(unreadable bundle)") : version) + ": " + result +
            (message.empty() ? "" : " (" + message + ")") + " at " + last.value("at", "");
  if (result == "refused")
    return diagnose::warn(figure, "nothing was changed: the bundle is not signed with the key this terminal trusts, "
                                  "or is made for another device; get the bundle from the supplier again");
  if (result == "failed")
    return diagnose::warn(figure, "the running system is unchanged; retry the update (`bianmin update install FILE`, "
                                  "or wait for the central to offer it again)");
  if (result == "rolled_back")
    return diagnose::warn(figure, "the new system did not come up healthy and the terminal went back to the old one; "
                                  "report the version to the supplier before retrying");
  return diagnose::ok(figure);
}

}  // namespace bianmin::update
