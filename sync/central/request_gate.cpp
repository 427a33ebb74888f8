#include "central/request_gate.h"

#include <charconv>

#include "central/http_util.h"

namespace bianmin::sync::central {
namespace {

// Enrolment carries a CSR and a few names; nothing near this.
constexpr uint64_t kOpenBody = 64u << 10;
constexpr std::string_view kBlobs = "/api/v1/blobs/";

bool carries_body(std::string_view method) { return method == "POST" || method == "PATCH" || method == "PUT"; }

std::optional<uint64_t> content_length(const httplib::Request& req) {
  if (req.get_header_value_count("Content-Length") != 1) return std::nullopt;
  const std::string v = req.get_header_value("Content-Length");
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty()) return std::nullopt;
  return n;
}

}  // namespace

RouteBudget budget_for(std::string_view method, std::string_view path) {
  if (method == "POST" && path == "/api/v1/enroll") return {Access::open, kOpenBody};
  if ((method == "GET" || method == "HEAD") && path == "/api/v1/health") return {Access::open, 0};
  if (method == "PATCH" && path.substr(0, kBlobs.size()) == kBlobs) return {Access::terminal, uint64_t(kMaxBlobBytes)};
  if (method == "POST" && path == "/api/v1/audit") return {Access::terminal, kMaxJsonBody * 4};
  if (carries_body(method)) return {Access::terminal, kMaxJsonBody};
  return {Access::terminal, 0};
}

std::optional<Refusal> check_framing(const httplib::Request& req, const RouteBudget& budget) {
  if (req.has_header("Transfer-Encoding"))
    return Refusal{411, "length_required", "send the body with a Content-Length, not a transfer coding"};
  const std::string encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity")
    return Refusal{415, "unsupported_media_type", "compressed bodies are not accepted"};
  const bool has_length = req.has_header("Content-Length");
  const auto length = content_length(req);
  if (has_length && !length) return Refusal{400, "bad_request", "Content-Length is not one decimal number"};
  if (!carries_body(req.method)) {
    // cpp-httplib reads no body here: one would be taken for the next request.
    if (length.value_or(0) > 0) return Refusal{400, "bad_request", req.method + " carries no body"};
    return std::nullopt;
  }
  if (!length) return Refusal{411, "length_required", "send a Content-Length"};
  if (*length > budget.max_body)
    return Refusal{413, "too_large", "this call takes at most " + std::to_string(budget.max_body) + " bytes"};
  return std::nullopt;
}

}  // namespace bianmin::sync::central
