// Keys, certificate requests and certificates for both ends of enrolment
// (OpenSSL 3): the terminal makes its key pair and CSR (the private key
// never leaves it); the reference central runs a small CA that signs
// terminal certificates and its own server certificate.
//
// Everything is PEM text in and out, so callers never touch OpenSSL types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

typedef struct x509_st X509;
typedef struct x509_store_st X509_STORE;
typedef struct ssl_ctx_st SSL_CTX;

namespace bianmin::sync::pki {

// EC P-256 private key, PKCS#8 PEM.
Result<std::string> generate_key();
// A PKCS#10 request signed with `key_pem`, subject CN = `common_name`.
Result<std::string> make_csr(const std::string& key_pem, const std::string& common_name);

// Lowercase hex SHA-256 of a certificate's DER encoding (the spec's CA
// fingerprint). The PEM form reads the first certificate of the text.
std::string fingerprint(const X509* cert);
Result<std::string> fingerprint(const std::string& cert_pem);
// "AA:BB:…" or "aabb…" (any case) → 64 lowercase hex characters, or "".
std::string normalize_fingerprint(std::string_view text);
// The subject's common name ("" when it has none): a terminal certificate's
// terminal id.
std::string subject_cn(const X509* cert);

// --- TLS contexts ---------------------------------------------------------

// A certificate store holding the certificates of `pem` and nothing else
// (never the system's); pinning an intermediate is allowed (partial
// chains). The caller owns it (SSL_CTX_set_cert_store takes it over).
X509_STORE* trust_store(const std::string& pem);
// `cert_pem` and `key_pem` as the context's own certificate and key; false
// when either does not parse or they do not belong together.
bool use_identity(SSL_CTX* ctx, const std::string& cert_pem, const std::string& key_pem);

// Every certificate of a PEM bundle, each re-encoded as its own PEM.
// "pem_invalid" when there is none or one does not parse.
Result<std::vector<std::string>> split_certificates(const std::string& pem);
std::string to_pem(const X509* cert);

struct CertInfo {
  std::string subject_cn, issuer_cn, serial_hex, fingerprint;
  int64_t not_after = 0;  // Unix seconds
  bool is_ca = false;
};
Result<CertInfo> inspect(const std::string& cert_pem);
// True when the certificate carries the public key of `key_pem`.
Result<bool> certificate_matches_key(const std::string& cert_pem, const std::string& key_pem);
// True when `cert_pem` is signed by (one of) the CA certificate(s) in `ca_pem`.
Result<bool> verify_issued_by(const std::string& cert_pem, const std::string& ca_pem);

// The terminal's pinned trust after enrolment: the CA(s) the technician
// vouched for (by bundle or fingerprint), plus the certificates of the
// chain the central sent that are issued by them, directly or through each
// other (intermediates in any order), each once. Anything else in that
// chain, another root say, is left out and its fingerprint listed in
// `refused`: the central cannot widen what the technician pinned.
struct PinnedTrust {
  std::string pem;
  std::vector<std::string> refused;
};
Result<PinnedTrust> pinned_bundle(const std::string& vouched_pem, const std::string& chain_pem);

// --- the central's CA ---------------------------------------------------

struct Authority {
  std::string cert_pem, key_pem;
};
Result<Authority> create_authority(const std::string& common_name, int days);

struct Issued {
  std::string cert_pem, serial_hex, fingerprint;
};
// Signs a terminal's CSR (its signature is checked first; "csr_invalid")
// with subject CN = `common_name`, for TLS client authentication.
Result<Issued> sign_client_csr(const Authority& ca, const std::string& csr_pem, const std::string& common_name,
                               int days);
// A server certificate for `hosts` (DNS names or IP literals) with a fresh key.
struct ServerCert {
  std::string cert_pem, key_pem;
};
Result<ServerCert> issue_server_cert(const Authority& ca, const std::vector<std::string>& hosts, int days);

}  // namespace bianmin::sync::pki
