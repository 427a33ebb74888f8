// Resumable blob uploads (spec: Blobs). A partial blob is <sha>.part, its
// size the offset the central holds; bytes are appended as they arrive, so
// a connection cut mid-body keeps what did arrive and the terminal resumes
// from there. When the last byte arrives the SHA-256 is checked and the
// file renamed to <sha>, immutable from then on.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/time.h"
#include "central/central.h"
#include "central/http_util.h"
#include "central/requests.h"
#include "common/wire.h"
#include "crypto/suite.h"

namespace bianmin::sync::central {
namespace {

int64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

bool write_all(int fd, const char* data, std::size_t len) {
  while (len > 0) {
    const ssize_t n = ::write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    len -= static_cast<std::size_t>(n);
  }
  return true;
}

Result<std::string> sha256_of_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fs::errno_error("open", path);
  crypto::Hasher h(crypto::Suite::standard);
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return fs::errno_error("read", path);
    }
    if (n == 0) break;
    h.update(std::string_view(buf, static_cast<std::size_t>(n)));
  }
  ::close(fd);
  const crypto::Digest d = h.finish();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

void set_offset(httplib::Response& res, int64_t offset, int64_t length) {
  res.set_header("Upload-Offset", std::to_string(offset));
  if (length >= 0) res.set_header("Upload-Length", std::to_string(length));
  res.set_header("Cache-Control", "no-store");
}

}  // namespace

std::string Central::blob_path(const std::string& sha, bool complete) const {
  return opts_.data_dir + "/blobs/" + sha + (complete ? "" : ".part");
}

std::shared_ptr<std::mutex> Central::blob_mutex(const std::string& sha) {
  std::lock_guard<std::mutex> lock(keys_mu_);
  auto& weak = blob_locks_[sha];
  auto m = weak.lock();
  if (!m) {
    m = std::make_shared<std::mutex>();
    weak = m;
  }
  if (blob_locks_.size() > 4096)
    for (auto it = blob_locks_.begin(); it != blob_locks_.end();) it = it->second.expired() ? blob_locks_.erase(it) : ++it;
  return m;
}

void Central::on_blob_head(const httplib::Request& req, httplib::Response& res) {
  if (!authenticate(req, res)) return;
  const std::string sha = req.matches[1];
  int64_t length = -1;
  bool complete = false;
  {
    auto lock = db_->lock();
    auto st = db_->prepare("SELECT length, complete FROM blobs WHERE sha256 = ?");
    if (!st) return reply_error(res, 500, "internal", st.error().message);
    st->bind(1, sha);
    auto row = st->step();
    if (row && *row) {
      length = st->integer(0);
      complete = st->integer(1) != 0;
    }
  }
  if (length < 0) return reply_error(res, 404, "not_found", "no part of this blob is here");
  res.status = 200;
  set_offset(res, complete ? length : file_size(blob_path(sha, false)), length);
}

// A PATCH that announced its body with "Expect: 100-continue" learns of an
// offset conflict before sending the chunk: a terminal resuming after a cut
// then wastes no bytes on a stale offset.
int Central::on_expect_continue(const httplib::Request& req, httplib::Response& res) {
  static const std::string kPrefix = "/api/v1/blobs/";
  if (req.method != "PATCH" || req.path.rfind(kPrefix, 0) != 0) return 100;
  const std::string sha = req.path.substr(kPrefix.size());
  const auto offset = wire::parse_length_header(req.get_header_value("Upload-Offset"));
  if (!is_blob_address(sha) || !offset || !req.ssl) return 100;  // the handler gives the full answer
  if (!authenticate(req, res)) return res.status;
  int64_t length = -1;
  bool complete = false;
  {
    auto lock = db_->lock();
    auto st = db_->prepare("SELECT length, complete FROM blobs WHERE sha256 = ?");
    if (!st) return 100;
    st->bind(1, sha);
    if (auto row = st->step(); row && *row) {
      length = st->integer(0);
      complete = st->integer(1) != 0;
    }
  }
  if (length < 0) return 100;
  auto mu = blob_mutex(sha);
  std::unique_lock<std::mutex> busy(*mu, std::try_to_lock);
  const int64_t held = complete ? length : file_size(blob_path(sha, false));
  if (busy && *offset == held) return 100;
  set_offset(res, held, length);
  reply_error(res, 409, "offset_mismatch", "the central holds " + std::to_string(held) + " bytes");
  return 409;
}

void Central::on_blob_patch(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
  int64_t drained = 0;
  auto drain = [&] {
    reader([&](const char*, std::size_t n) {
      drained += static_cast<int64_t>(n);
      return drained < kMaxBlobBytes;
    });
  };
  auto account = [&](int64_t received, int64_t appended) {
    metrics_.patch_body_bytes.fetch_add(received);
    auto lock = db_->lock();
    (void)db_->bump("patch_body_bytes", received);
    if (appended) (void)db_->bump("blob_bytes_appended", appended);
  };
  auto terminal = authenticate(req, res);
  if (!terminal) return drain();
  const std::string sha = req.matches[1];
  const auto offset = wire::parse_length_header(req.get_header_value("Upload-Offset"));
  const auto length = wire::parse_length_header(req.get_header_value("Upload-Length"));
  if (!offset || !length) {
    drain();
    return reply_error(res, 400, "bad_request", "Upload-Offset and Upload-Length are required");
  }
  if (req.get_header_value("Content-Type").rfind("application/offset+octet-stream", 0) != 0) {
    drain();
    return reply_error(res, 415, "unsupported_media_type", "blob bodies are application/offset+octet-stream");
  }
  if (*length > kMaxBlobBytes) {
    drain();
    return reply_error(res, 413, "blob_too_large", "a blob may have at most 64 MiB");
  }
  auto mu = blob_mutex(sha);
  std::unique_lock<std::mutex> blob_lock(*mu, std::try_to_lock);
  const std::string part = blob_path(sha, false);
  if (!blob_lock) {
    // Another connection (an earlier, cut attempt still finishing) is writing.
    drain();
    account(drained, 0);
    set_offset(res, file_size(part), *length);
    return reply_error(res, 409, "offset_conflict", "another upload of this blob is in progress");
  }
  int64_t known_length = -1;
  bool complete = false;
  {
    auto lock = db_->lock();
    auto st = db_->prepare("SELECT length, complete FROM blobs WHERE sha256 = ?");
    if (!st) return reply_error(res, 500, "internal", st.error().message);
    st->bind(1, sha);
    if (auto row = st->step(); row && *row) {
      known_length = st->integer(0);
      complete = st->integer(1) != 0;
    }
    if (known_length < 0 || (!complete && known_length != *length && file_size(part) == 0)) {
      auto ins = db_->prepare("INSERT INTO blobs(sha256, length) VALUES(?, ?) "
                              "ON CONFLICT(sha256) DO UPDATE SET length = excluded.length");
      if (!ins) return reply_error(res, 500, "internal", ins.error().message);
      ins->bind(1, sha).bind(2, *length);
      if (auto r = ins->run(); !r) return reply_error(res, 500, "internal", r.error().message);
      known_length = *length;
    }
  }
  if (complete) {
    // Immutable: re-sending is harmless; the offset says it is all here.
    drain();
    account(drained, 0);
    set_offset(res, known_length, known_length);
    res.status = *offset == known_length ? 204 : 409;
    return;
  }
  if (known_length != *length) {
    drain();
    account(drained, 0);
    return reply_error(res, 400, "length_mismatch",
                       "Upload-Length differs from the " + std::to_string(known_length) + " bytes declared before");
  }
  const int64_t current = file_size(part);
  if (*offset != current) {
    drain();
    account(drained, 0);
    set_offset(res, current, known_length);
    return reply_error(res, 409, "offset_mismatch", "the central holds " + std::to_string(current) + " bytes");
  }
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    drain();
    return reply_error(res, 500, "internal", "cannot open the partial blob");
  }
  int64_t received = 0, appended = 0;
  bool too_long = false, write_failed = false;
  const bool whole = reader([&](const char* data, std::size_t n) {
    received += static_cast<int64_t>(n);
    if (current + appended + static_cast<int64_t>(n) > known_length) {
      too_long = true;
      return false;
    }
    if (!write_all(fd, data, n)) {
      write_failed = true;
      return false;
    }
    appended += static_cast<int64_t>(n);
    return true;
  });
  account(received, appended);
  if (too_long || write_failed) {
    if (::ftruncate(fd, static_cast<off_t>(current)) != 0) write_failed = true;
    ::close(fd);
    res.set_header("Connection", "close");
    set_offset(res, current, known_length);
    if (write_failed) return reply_error(res, 500, "internal", "cannot store the blob");
    return reply_error(res, 400, "body_too_long", "the body goes past Upload-Length");
  }
  const int64_t now_held = current + appended;
  if (!whole) {
    ::close(fd);  // the connection broke: keep what arrived
    return;
  }
  if (now_held < known_length) {
    ::close(fd);
    res.status = 204;
    set_offset(res, now_held, known_length);
    return;
  }
  ::fsync(fd);
  ::close(fd);
  auto digest = sha256_of_file(part);
  auto lock = db_->lock();
  if (!digest || *digest != sha) {
    ::unlink(part.c_str());
    if (auto del = db_->prepare("DELETE FROM blobs WHERE sha256 = ?"); del) {
      del->bind(1, sha);
      (void)del->run();
    }
    return reply_error(res, 422, "digest_mismatch", "the bytes do not hash to " + sha + "; the partial blob was discarded");
  }
  if (::rename(part.c_str(), blob_path(sha, true).c_str()) != 0)
    return reply_error(res, 500, "internal", "cannot store the blob");
  (void)fs::fsync_dir(opts_.data_dir + "/blobs");
  auto done = db_->prepare("UPDATE blobs SET complete = 1, completed_at = ? WHERE sha256 = ?");
  if (!done) return reply_error(res, 500, "internal", done.error().message);
  done->bind(1, time::now_rfc3339()).bind(2, sha);
  if (auto r = done->run(); !r) return reply_error(res, 500, "internal", r.error().message);
  res.status = 204;
  set_offset(res, known_length, known_length);
}

}  // namespace bianmin::sync::central
