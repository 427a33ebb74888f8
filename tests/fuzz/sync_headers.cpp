// Fuzz target: the headers a central sends (Upload-Offset/Upload-Length,
// Retry-After, ETag), the If-None-Match the central reads, and the PEM
// bundles (ca_chain_pem, certificate_pem) the terminal accepts at enrolment.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "central/requests.h"
#include "common/pki.h"
#include "common/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace wire = bianmin::sync::wire;
  std::string_view v(reinterpret_cast<const char*>(data), size);
  (void)wire::parse_length_header(v);
  (void)wire::parse_retry_after(v, std::chrono::system_clock::time_point(std::chrono::seconds(1795147200)));
  (void)wire::parse_etag(v);
  const auto split = v.find('\n');
  if (split != std::string_view::npos)
    (void)bianmin::sync::central::if_none_match_matches(v.substr(0, split), v.substr(split + 1));
  (void)bianmin::sync::pki::normalize_fingerprint(v);
  if (v.find("-----BEGIN") != std::string_view::npos) {
    const std::string pem(v);
    if (auto certs = bianmin::sync::pki::split_certificates(pem); certs.ok())
      for (const auto& c : *certs) (void)bianmin::sync::pki::inspect(c);
  }
  return 0;
}
