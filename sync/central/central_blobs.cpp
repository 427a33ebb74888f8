// Blobs (spec: Blobs), scoped per terminal (issue 16): a terminal sees a
// blob only once it has sent all of its bytes itself, so HEAD or a PATCH's
// offset never tells one terminal what another has uploaded, and an
// application may only reference its own terminal's blobs. The bytes of a
// complete blob are stored once, by content (<sha>); each terminal's
// partial upload is its own file (parts/<terminal tag>-<sha>.part) whose
// size is the offset the central holds for that terminal.
#include <filesystem>

#include "central/blob_files.h"
#include "central/central.h"
#include "central/http_util.h"
#include "central/requests.h"
#include "common/wire.h"
#include "crypto/suite.h"

namespace bianmin::sync::central {

std::string Central::blob_path(const std::string& sha) const { return opts_.data_dir + "/blobs/" + sha; }

// Terminal ids are chosen by whoever issues enrolment codes: hashed, they
// are always a safe file name.
std::string Central::part_path(const std::string& terminal_id, const std::string& sha) const {
  return opts_.data_dir + "/blobs/parts/" + crypto::sha256_hex(terminal_id).substr(0, 16) + "-" + sha + ".part";
}

std::shared_ptr<std::mutex> Central::blob_mutex(const std::string& key) {
  std::lock_guard<std::mutex> lock(keys_mu_);
  auto& weak = blob_locks_[key];
  auto m = weak.lock();
  if (!m) {
    m = std::make_shared<std::mutex>();
    weak = m;
  }
  if (blob_locks_.size() > 4096)
    for (auto it = blob_locks_.begin(); it != blob_locks_.end();) it = it->second.expired() ? blob_locks_.erase(it) : ++it;
  return m;
}

// Partial blobs of the global layout (blobs/<sha>.part) have no known owner
// since the schema migration dropped them: their terminals start over.
void Central::discard_unowned_parts() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(opts_.data_dir + "/blobs", ec)) {
    if (entry.path().extension() == ".part") std::filesystem::remove(entry.path(), ec);
  }
}

Result<Central::BlobView> Central::blob_view(const std::string& terminal_id, const std::string& sha) {
  BIANMIN_ASSIGN(store::Statement owned, db_->prepare(
      "SELECT b.length FROM blob_owners o JOIN blobs b ON b.sha256 = o.sha256 WHERE o.terminal_id = ? AND o.sha256 = ?"));
  owned.bind(1, terminal_id).bind(2, sha);
  BIANMIN_ASSIGN(bool complete, owned.step());
  if (complete) return BlobView{owned.integer(0), true};
  BIANMIN_ASSIGN(store::Statement upload, db_->prepare(
      "SELECT length FROM blob_uploads WHERE terminal_id = ? AND sha256 = ?"));
  upload.bind(1, terminal_id).bind(2, sha);
  BIANMIN_ASSIGN(bool partial, upload.step());
  if (partial) return BlobView{upload.integer(0), false};
  return BlobView{};
}

int64_t Central::blob_offset(const std::string& terminal_id, const std::string& sha, const BlobView& view) const {
  return view.complete ? view.length : file_size(part_path(terminal_id, sha));
}

void Central::on_blob_head(const httplib::Request& req, httplib::Response& res) {
  auto terminal = authenticate(req, res);
  if (!terminal) return;
  const std::string sha = req.matches[1];
  BlobView view;
  {
    auto lock = db_->lock();
    auto v = blob_view(terminal->terminal_id, sha);
    if (!v) return reply_error(res, 500, "internal", v.error().message);
    view = *v;
  }
  if (view.length < 0) return reply_error(res, 404, "not_found", "no part of this blob is here");
  res.status = 200;
  set_offset(res, blob_offset(terminal->terminal_id, sha, view), view.length);
}

// Every request that announced its body with "Expect: 100-continue" is
// checked on its headers first (refuse_early), so a refused one sends no
// body at all; a PATCH also learns of an offset conflict before sending the
// chunk: a terminal resuming after a cut then wastes no bytes on a stale
// offset.
int Central::on_expect_continue(const httplib::Request& req, httplib::Response& res) {
  if (refuse_early(req, res)) return res.status;
  static const std::string kPrefix = "/api/v1/blobs/";
  if (req.method != "PATCH" || req.path.rfind(kPrefix, 0) != 0) return 100;
  const std::string sha = req.path.substr(kPrefix.size());
  const auto offset = wire::parse_length_header(req.get_header_value("Upload-Offset"));
  if (!is_blob_address(sha) || !offset) return 100;  // the handler gives the full answer
  auto terminal = authenticate(req, res);
  if (!terminal) return res.status;
  BlobView view;
  {
    auto lock = db_->lock();
    auto v = blob_view(terminal->terminal_id, sha);
    if (!v) return 100;
    view = *v;
  }
  if (view.length < 0) return 100;
  auto mu = blob_mutex(terminal->terminal_id + "\n" + sha);
  std::unique_lock<std::mutex> busy(*mu, std::try_to_lock);
  const int64_t held = blob_offset(terminal->terminal_id, sha, view);
  if (busy && *offset == held) return 100;
  set_offset(res, held, view.length);
  reply_error(res, 409, "offset_mismatch", "the central holds " + std::to_string(held) + " bytes");
  return 409;
}

}  // namespace bianmin::sync::central
