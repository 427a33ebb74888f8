// Fuzz target: the headers a central sends (Upload-Offset/Upload-Length,
// Retry-After, ETag, a bundle download's Content-Range), the If-None-Match the central reads, and the PEM
// bundles (ca_chain_pem, certificate_pem) the terminal accepts at enrolment;
// and the central's gate on a request's headers (Content-Length, codings).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "central/request_gate.h"
#include "central/requests.h"
#include "client/bundle_download.h"
#include "common/pki.h"
#include "common/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace wire = bianmin::sync::wire;
  std::string_view v(reinterpret_cast<const char*>(data), size);
  (void)wire::parse_length_header(v);
  (void)wire::parse_retry_after(v, std::chrono::system_clock::time_point(std::chrono::seconds(1795147200)));
  (void)wire::parse_etag(v);
  (void)bianmin::sync::parse_content_range(v);
  const auto split = v.find('\n');
  if (split != std::string_view::npos)
    (void)bianmin::sync::central::if_none_match_matches(v.substr(0, split), v.substr(split + 1));
  (void)bianmin::sync::pki::normalize_fingerprint(v);
  {
    namespace central = bianmin::sync::central;
    httplib::Request req;
    req.method = size % 3 == 0 ? "GET" : size % 3 == 1 ? "POST" : "PATCH";
    req.path = split == std::string_view::npos ? "/api/v1/enroll" : std::string(v.substr(split + 1));
    req.headers.emplace("Content-Length", std::string(v.substr(0, split)));
    if (size % 5 == 0) req.headers.emplace("Content-Length", "1");
    if (size % 7 == 0) req.headers.emplace("Content-Encoding", std::string(v.substr(0, 8)));
    (void)central::check_framing(req, central::budget_for(req.method, req.path));
  }
  if (v.find("-----BEGIN") != std::string_view::npos) {
    const std::string pem(v);
    if (auto certs = bianmin::sync::pki::split_certificates(pem); certs.ok())
      for (const auto& c : *certs) (void)bianmin::sync::pki::inspect(c);
  }
  return 0;
}
