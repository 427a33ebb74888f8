#include "client/update_offer.h"

namespace bianmin::sync {

OfferVerdict judge_offer(const wire::UpdateOffer& offer, const std::string& running_version,
                         const std::optional<update::UpdateRecord>& last) {
  using update::Outcome;
  if (offer.version == running_version) return {false, "this version is running"};
  if (!last || last->version != offer.version) return {true, ""};
  switch (last->outcome) {
    case Outcome::installing: return {false, "this version is being installed"};
    case Outcome::installed: return {false, "this version is installed and waits for its reboot"};
    case Outcome::good: return {false, "this version is running"};
    case Outcome::refused: return {false, "RAUC refused this version before: " + last->message};
    case Outcome::rolled_back: return {false, "this version was rolled back before: " + last->message};
    case Outcome::failed: return {true, ""};
  }
  return {true, ""};
}

namespace {
std::string text(const nlohmann::json& o, const char* key) {
  if (!o.is_object()) return "";
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

std::string running_version(const nlohmann::json& report) {
  const std::string booted = text(report, "slot");
  const auto slots = report.find("slots");
  if (booted.empty() || slots == report.end() || !slots->is_array()) return "";
  for (const auto& s : *slots)
    if (text(s, "slot") == booted) return text(s, "version");
  return "";
}

}  // namespace bianmin::sync
