#include "common/pki.h"

#include <algorithm>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "base/bytes.h"

namespace bianmin::sync::pki {
namespace {

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Req = std::unique_ptr<X509_REQ, Deleter<X509_REQ, X509_REQ_free>>;

Error ssl_error(const std::string& code, const std::string& what) {
  const unsigned long e = ERR_get_error();
  char buf[256] = "";
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return make_error(code, what + (e ? std::string(": ") + buf : std::string()));
}

Bio mem_bio(std::string_view text) { return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))); }

std::string bio_text(BIO* b) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

Result<Key> read_key(const std::string& pem) {
  Bio b = mem_bio(pem);
  Key k(PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr));
  if (!k) return ssl_error("key_invalid", "private key does not parse");
  return k;
}

Result<Cert> read_cert(const std::string& pem) {
  Bio b = mem_bio(pem);
  Cert c(PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr));
  if (!c) return ssl_error("pem_invalid", "certificate does not parse");
  return c;
}

std::string key_pem(EVP_PKEY* k) {
  Bio b(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(b.get());
}

Result<Key> new_ec_key() {
  Key k(EVP_EC_gen("P-256"));
  if (!k) return ssl_error("crypto_failed", "EC key generation failed");
  return k;
}

std::string name_entry(const X509_NAME* name, int nid) {
  const int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return "";
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

X509_NAME* cn_name(const std::string& cn) {
  X509_NAME* name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return name;
}

Status add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return ssl_error("crypto_failed", "certificate extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return {};
}

// A certificate skeleton: random 127-bit serial, validity from an hour ago
// (clock skew between terminal and central) to `days` ahead.
Result<Cert> new_cert(const std::string& subject_cn, X509_NAME* issuer_name, EVP_PKEY* pub, int days) {
  Cert c(X509_new());
  X509_set_version(c.get(), 2);
  unsigned char rnd[16];
  if (RAND_bytes(rnd, sizeof rnd) != 1) return ssl_error("crypto_failed", "no randomness");
  rnd[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(rnd, sizeof rnd, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), static_cast<long>(days) * 86400);
  X509_NAME* subject = cn_name(subject_cn);
  X509_set_subject_name(c.get(), subject);
  X509_set_issuer_name(c.get(), issuer_name ? issuer_name : subject);
  X509_NAME_free(subject);
  X509_set_pubkey(c.get(), pub);
  return c;
}

std::string serial_hex(const X509* c) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(c), nullptr);
  char* hex = BN_bn2hex(bn);
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

bool is_ip_literal(const std::string& h) {
  if (h.find(':') != std::string::npos) return true;
  for (char c : h)
    if ((c < '0' || c > '9') && c != '.') return false;
  return !h.empty();
}

}  // namespace

Result<std::string> generate_key() {
  BIANMIN_ASSIGN(Key k, new_ec_key());
  return key_pem(k.get());
}

Result<std::string> make_csr(const std::string& pem, const std::string& common_name) {
  BIANMIN_ASSIGN(Key k, read_key(pem));
  Req r(X509_REQ_new());
  X509_REQ_set_version(r.get(), 0);
  X509_NAME* name = cn_name(common_name);
  X509_REQ_set_subject_name(r.get(), name);
  X509_NAME_free(name);
  X509_REQ_set_pubkey(r.get(), k.get());
  if (X509_REQ_sign(r.get(), k.get(), EVP_sha256()) <= 0) return ssl_error("crypto_failed", "signing the CSR");
  Bio b(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(b.get(), r.get());
  return bio_text(b.get());
}

std::string fingerprint(const X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return "";
  return to_hex(std::string_view(reinterpret_cast<const char*>(md), n));
}

Result<std::string> fingerprint(const std::string& cert_pem) {
  BIANMIN_ASSIGN(Cert c, read_cert(cert_pem));
  return fingerprint(c.get());
}

std::string normalize_fingerprint(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == ':' || ch == ' ') continue;
    if (ch >= 'A' && ch <= 'F') ch = static_cast<char>(ch - 'A' + 'a');
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return "";
    out += ch;
  }
  return out.size() == 64 ? out : "";
}

std::string to_pem(const X509* cert) {
  Bio b(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(b.get(), const_cast<X509*>(cert));
  return bio_text(b.get());
}

Result<std::vector<std::string>> split_certificates(const std::string& pem) {
  Bio b = mem_bio(pem);
  std::vector<std::string> out;
  for (;;) {
    Cert c(PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr));
    if (!c) break;
    out.push_back(to_pem(c.get()));
  }
  ERR_clear_error();
  // A bundle with trailing garbage between certificates would stop early:
  // count the markers to notice.
  std::size_t markers = 0;
  for (std::size_t p = 0; (p = pem.find("-----BEGIN CERTIFICATE-----", p)) != std::string::npos; ++p) ++markers;
  if (out.empty() || out.size() != markers) return make_error("pem_invalid", "not a bundle of PEM certificates");
  return out;
}

X509_STORE* trust_store(const std::string& pem) {
  X509_STORE* store = X509_STORE_new();
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, cert);
    X509_free(cert);
  }
  ERR_clear_error();
  X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
  return store;
}

bool use_identity(SSL_CTX* ctx, const std::string& cert_pem, const std::string& key_pem) {
  auto cert = read_cert(cert_pem);
  auto key = read_key(key_pem);
  return cert && key && SSL_CTX_use_certificate(ctx, cert->get()) == 1 && SSL_CTX_use_PrivateKey(ctx, key->get()) == 1 &&
         SSL_CTX_check_private_key(ctx) == 1;
}

std::string subject_cn(const X509* cert) { return cert ? name_entry(X509_get_subject_name(cert), NID_commonName) : ""; }

Result<CertInfo> inspect(const std::string& cert_pem) {
  BIANMIN_ASSIGN(Cert c, read_cert(cert_pem));
  CertInfo info;
  info.subject_cn = name_entry(X509_get_subject_name(c.get()), NID_commonName);
  info.issuer_cn = name_entry(X509_get_issuer_name(c.get()), NID_commonName);
  info.serial_hex = serial_hex(c.get());
  info.fingerprint = fingerprint(c.get());
  info.is_ca = X509_check_ca(c.get()) > 0;
  ASN1_TIME* epoch = ASN1_TIME_set(nullptr, 0);
  int days = 0, secs = 0;
  if (ASN1_TIME_diff(&days, &secs, epoch, X509_get0_notAfter(c.get())))
    info.not_after = int64_t{days} * 86400 + secs;
  ASN1_TIME_free(epoch);
  return info;
}

Result<bool> certificate_matches_key(const std::string& cert_pem, const std::string& pem) {
  BIANMIN_ASSIGN(Cert c, read_cert(cert_pem));
  BIANMIN_ASSIGN(Key k, read_key(pem));
  return X509_check_private_key(c.get(), k.get()) == 1;
}

Result<bool> verify_issued_by(const std::string& cert_pem, const std::string& ca_pem) {
  BIANMIN_ASSIGN(Cert c, read_cert(cert_pem));
  BIANMIN_ASSIGN(auto cas, split_certificates(ca_pem));
  for (const auto& p : cas) {
    BIANMIN_ASSIGN(Cert ca, read_cert(p));
    Key pub(X509_get_pubkey(ca.get()));
    if (pub && X509_verify(c.get(), pub.get()) == 1) return true;
  }
  ERR_clear_error();
  return false;
}

Result<PinnedTrust> pinned_bundle(const std::string& vouched_pem, const std::string& chain_pem) {
  BIANMIN_ASSIGN(auto vouched, split_certificates(vouched_pem));
  PinnedTrust out;
  std::vector<std::string> seen;
  for (const auto& c : vouched) {
    BIANMIN_ASSIGN(std::string fp, fingerprint(c));
    if (std::find(seen.begin(), seen.end(), fp) != seen.end()) continue;
    seen.push_back(fp);
    out.pem += c;
  }
  std::vector<std::string> offered;
  if (auto chain = split_certificates(chain_pem); chain) offered = std::move(chain).value();
  // Until nothing more is added: an intermediate may come before its issuer.
  // Only CA certificates become trust anchors.
  for (bool grew = true; grew;) {
    grew = false;
    for (auto it = offered.begin(); it != offered.end();) {
      BIANMIN_ASSIGN(std::string fp, fingerprint(*it));
      const bool known = std::find(seen.begin(), seen.end(), fp) != seen.end();
      BIANMIN_ASSIGN(CertInfo info, inspect(*it));
      BIANMIN_ASSIGN(bool issued, known ? Result<bool>(true) : verify_issued_by(*it, out.pem));
      if (!issued || !info.is_ca) {
        ++it;
        continue;
      }
      if (!known) {
        seen.push_back(fp);
        out.pem += *it;
        grew = true;
      }
      it = offered.erase(it);
    }
  }
  for (const auto& c : offered) {
    BIANMIN_ASSIGN(std::string fp, fingerprint(c));
    out.refused.push_back(fp);
  }
  return out;
}

Result<Authority> create_authority(const std::string& common_name, int days) {
  BIANMIN_ASSIGN(Key k, new_ec_key());
  BIANMIN_ASSIGN(Cert c, new_cert(common_name, nullptr, k.get(), days));
  BIANMIN_TRY(add_ext(c.get(), c.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  BIANMIN_TRY(add_ext(c.get(), c.get(), NID_key_usage, "critical,keyCertSign,cRLSign"));
  BIANMIN_TRY(add_ext(c.get(), c.get(), NID_subject_key_identifier, "hash"));
  if (X509_sign(c.get(), k.get(), EVP_sha256()) <= 0) return ssl_error("crypto_failed", "signing the CA");
  return Authority{to_pem(c.get()), key_pem(k.get())};
}

Result<Issued> sign_client_csr(const Authority& ca, const std::string& csr_pem, const std::string& common_name,
                               int days) {
  Bio b = mem_bio(csr_pem);
  Req r(PEM_read_bio_X509_REQ(b.get(), nullptr, nullptr, nullptr));
  if (!r) return ssl_error("csr_invalid", "the certificate request does not parse");
  Key pub(X509_REQ_get_pubkey(r.get()));
  if (!pub || X509_REQ_verify(r.get(), pub.get()) != 1)
    return ssl_error("csr_invalid", "the certificate request's signature does not verify");
  BIANMIN_ASSIGN(Cert ca_cert, read_cert(ca.cert_pem));
  BIANMIN_ASSIGN(Key ca_key, read_key(ca.key_pem));
  BIANMIN_ASSIGN(Cert c, new_cert(common_name, X509_get_subject_name(ca_cert.get()), pub.get(), days));
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature"));
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_ext_key_usage, "clientAuth"));
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always"));
  if (X509_sign(c.get(), ca_key.get(), EVP_sha256()) <= 0) return ssl_error("crypto_failed", "signing a terminal");
  return Issued{to_pem(c.get()), serial_hex(c.get()), fingerprint(c.get())};
}

Result<ServerCert> issue_server_cert(const Authority& ca, const std::vector<std::string>& hosts, int days) {
  if (hosts.empty()) return make_error("input_invalid", "a server certificate needs a host name");
  BIANMIN_ASSIGN(Cert ca_cert, read_cert(ca.cert_pem));
  BIANMIN_ASSIGN(Key ca_key, read_key(ca.key_pem));
  BIANMIN_ASSIGN(Key k, new_ec_key());
  BIANMIN_ASSIGN(Cert c, new_cert(hosts.front(), X509_get_subject_name(ca_cert.get()), k.get(), days));
  std::string san;
  for (const auto& h : hosts) san += (san.empty() ? "" : ",") + std::string(is_ip_literal(h) ? "IP:" : "DNS:") + h;
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature"));
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth"));
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_subject_alt_name, san));
  BIANMIN_TRY(add_ext(c.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always"));
  if (X509_sign(c.get(), ca_key.get(), EVP_sha256()) <= 0) return ssl_error("crypto_failed", "signing the server");
  return ServerCert{to_pem(c.get()), key_pem(k.get())};
}

}  // namespace bianmin::sync::pki
