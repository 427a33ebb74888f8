// PATCH of a blob (spec: Blobs): bytes are appended to this terminal's
// partial upload as they arrive, so a connection cut mid-body keeps what did
// arrive and the terminal resumes from there. When the last byte arrives
// the SHA-256 is checked; a good blob becomes this terminal's, its bytes
// stored once however many terminals send them.
#include <fcntl.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/time.h"
#include "central/blob_files.h"
#include "central/central.h"
#include "central/http_util.h"
#include "common/wire.h"
#include "crypto/file_digest.h"
#include "crypto/suite.h"

namespace bianmin::sync::central {
namespace {

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

Status forget_upload(CentralDb& db, const std::string& terminal_id, const std::string& sha) {
  BIANMIN_ASSIGN(store::Statement del, db.prepare("DELETE FROM blob_uploads WHERE terminal_id = ? AND sha256 = ?"));
  del.bind(1, terminal_id).bind(2, sha);
  return del.run();
}

}  // namespace

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
  const std::string& tid = terminal->terminal_id;
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
  auto mu = blob_mutex(tid + "\n" + sha);
  std::unique_lock<std::mutex> blob_lock(*mu, std::try_to_lock);
  const std::string part = part_path(tid, sha);
  if (!blob_lock) {
    // Another connection of this terminal (an earlier, cut attempt still finishing) is writing.
    drain();
    account(drained, 0);
    set_offset(res, file_size(part), *length);
    return reply_error(res, 409, "offset_conflict", "another upload of this blob is in progress");
  }
  BlobView view;
  {
    auto lock = db_->lock();
    auto v = blob_view(tid, sha);
    if (!v) return reply_error(res, 500, "internal", v.error().message);
    view = *v;
    // A fresh upload, or one restarted with another length before any byte arrived.
    if (view.length < 0 || (!view.complete && view.length != *length && file_size(part) == 0)) {
      auto ins = db_->prepare("INSERT INTO blob_uploads(terminal_id, sha256, length) VALUES(?, ?, ?) "
                              "ON CONFLICT(terminal_id, sha256) DO UPDATE SET length = excluded.length");
      if (!ins) return reply_error(res, 500, "internal", ins.error().message);
      ins->bind(1, tid).bind(2, sha).bind(3, *length);
      if (auto r = ins->run(); !r) return reply_error(res, 500, "internal", r.error().message);
      view.length = *length;
    }
  }
  if (view.complete) {
    // Immutable: re-sending is harmless; the offset says it is all here.
    drain();
    account(drained, 0);
    set_offset(res, view.length, view.length);
    res.status = *offset == view.length ? 204 : 409;
    return;
  }
  if (view.length != *length) {
    drain();
    account(drained, 0);
    return reply_error(res, 400, "length_mismatch",
                       "Upload-Length differs from the " + std::to_string(view.length) + " bytes declared before");
  }
  const int64_t current = file_size(part);
  if (*offset != current) {
    drain();
    account(drained, 0);
    set_offset(res, current, view.length);
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
    if (current + appended + static_cast<int64_t>(n) > view.length) {
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
    set_offset(res, current, view.length);
    if (write_failed) return reply_error(res, 500, "internal", "cannot store the blob");
    return reply_error(res, 400, "body_too_long", "the body goes past Upload-Length");
  }
  const int64_t now_held = current + appended;
  if (!whole) {
    ::close(fd);  // the connection broke: keep what arrived
    return;
  }
  if (now_held < view.length) {
    ::close(fd);
    res.status = 204;
    set_offset(res, now_held, view.length);
    return;
  }
  ::fsync(fd);
  ::close(fd);
  auto digest = crypto::sha256_hex_of_file(part);
  auto lock = db_->lock();
  if (!digest || *digest != sha) {
    ::unlink(part.c_str());
    (void)forget_upload(*db_, tid, sha);
    return reply_error(res, 422, "digest_mismatch", "the bytes do not hash to " + sha + "; the partial blob was discarded");
  }
  auto done = db_->transaction([&]() -> Status {
    BIANMIN_ASSIGN(store::Statement known, db_->prepare("SELECT 1 FROM blobs WHERE sha256 = ?"));
    known.bind(1, sha);
    BIANMIN_ASSIGN(bool stored, known.step());
    if (stored) {
      ::unlink(part.c_str());  // the same bytes are already here: keep one copy
    } else {
      if (::rename(part.c_str(), blob_path(sha).c_str()) != 0) return fs::errno_error("rename", part);
      BIANMIN_TRY(fs::fsync_dir(opts_.data_dir + "/blobs"));
      BIANMIN_ASSIGN(store::Statement ins, db_->prepare("INSERT INTO blobs(sha256, length, completed_at) VALUES(?, ?, ?)"));
      ins.bind(1, sha).bind(2, view.length).bind(3, time::now_rfc3339());
      BIANMIN_TRY(ins.run());
    }
    BIANMIN_ASSIGN(store::Statement own, db_->prepare(
        "INSERT OR IGNORE INTO blob_owners(terminal_id, sha256) VALUES(?, ?)"));
    own.bind(1, tid).bind(2, sha);
    BIANMIN_TRY(own.run());
    return forget_upload(*db_, tid, sha);
  });
  if (!done) return reply_error(res, 500, "internal", "cannot store the blob: " + done.error().message);
  res.status = 204;
  set_offset(res, view.length, view.length);
}

}  // namespace bianmin::sync::central
