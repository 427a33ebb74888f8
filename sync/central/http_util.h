// Small helpers shared by the central's handlers.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

namespace bianmin::sync::central {

inline void reply_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

// The spec's error shape: {"error": {"code", "message", …extra}}.
inline void reply_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                        nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json e = {{"code", code}, {"message", message}};
  for (auto& [k, v] : extra.items()) e[k] = v;
  reply_json(res, status, {{"error", e}});
}

// JSON bodies are small; blobs go through PATCH.
constexpr std::size_t kMaxJsonBody = 4u << 20;
constexpr int64_t kMaxBlobBytes = int64_t{64} << 20;

}  // namespace bianmin::sync::central
