// Small helpers shared by the central's handlers.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>
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

// cpp-httplib 0.11 cuts any body to a request's Range, an error's too (an
// empty 416 for a range past its end). Only a bundle download is answered
// in ranges (central_updates.cpp, by a provider httplib leaves alone), so
// any other body asked for with a Range goes out whole, through a provider.
inline void keep_body_whole(const httplib::Request& req, httplib::Response& res) {
  if (req.ranges.empty() || res.body.empty()) return;
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  res.set_chunked_content_provider(type.empty() ? "application/json" : type,
                                   [body](std::size_t, httplib::DataSink& sink) {
                                     sink.write(body->data(), body->size());
                                     sink.done();
                                     return true;
                                   });
}

// JSON bodies are small; blobs go through PATCH.
constexpr std::size_t kMaxJsonBody = 4u << 20;
constexpr int64_t kMaxBlobBytes = int64_t{64} << 20;

}  // namespace bianmin::sync::central
