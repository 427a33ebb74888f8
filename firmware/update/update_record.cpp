#include "update/update_record.h"

#include <utility>

#include "base/fs.h"
#include "base/time.h"

namespace bianmin::update {

namespace {
constexpr const char* kFile = "update.json";
constexpr Outcome kAll[] = {Outcome::installing, Outcome::installed, Outcome::refused,
                            Outcome::failed,     Outcome::good,      Outcome::rolled_back};
}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::installing: return "installing";
    case Outcome::installed: return "installed";
    case Outcome::refused: return "refused";
    case Outcome::failed: return "failed";
    case Outcome::good: return "good";
    case Outcome::rolled_back: return "rolled_back";
  }
  return "failed";
}

std::optional<Outcome> outcome_from(std::string_view name) {
  for (Outcome o : kAll)
    if (name == outcome_name(o)) return o;
  return std::nullopt;
}

nlohmann::json to_json(const UpdateRecord& r) {
  nlohmann::json j = {{"version", r.version}, {"result", outcome_name(r.outcome)}, {"at", r.at}};
  if (!r.message.empty()) j["message"] = r.message;
  if (!r.slot.empty()) j["slot"] = r.slot;
  return j;
}

Result<UpdateRecord> parse_update_record(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error("update_record_invalid", "not a JSON object");
  UpdateRecord r;
  // Each field a string when present: value() would throw on another type.
  for (auto [name, field] : {std::pair{"version", &r.version}, std::pair{"message", &r.message},
                             std::pair{"slot", &r.slot}, std::pair{"at", &r.at}}) {
    auto it = j.find(name);
    if (it == j.end()) continue;
    if (!it->is_string()) return make_error("update_record_invalid", std::string("\"") + name + "\" is not a string");
    *field = it->get<std::string>();
  }
  auto result = j.find("result");
  if (result == j.end() || !result->is_string()) return make_error("update_record_invalid", "no \"result\"");
  auto o = outcome_from(result->get<std::string>());
  if (!o) return make_error("update_record_invalid", "unknown result");
  r.outcome = *o;
  return r;
}

Result<std::optional<UpdateRecord>> read_update_record(const std::string& data_dir) {
  const std::string path = data_dir + "/" + kFile;
  if (!fs::exists(path)) return std::optional<UpdateRecord>{};
  auto bytes = fs::read_file(path, 64 * 1024);
  if (!bytes) return bytes.take_error();
  auto r = parse_update_record(*bytes);
  if (!r) return r.take_error().context(path);
  return std::optional<UpdateRecord>{std::move(r).value()};
}

Status write_update_record(const std::string& data_dir, UpdateRecord r) {
  if (r.at.empty()) r.at = time::now_rfc3339();
  return fs::write_durably(data_dir, data_dir, kFile, to_json(r).dump() + "\n", 0644);
}

}  // namespace bianmin::update
