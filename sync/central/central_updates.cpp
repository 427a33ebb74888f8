// System updates offered to terminals (README, "Central interface
// extensions"): an operator offers a signed bundle with
// `bianmin-central offer-update`; the heartbeat answer carries
// {"type":"update","url","sha256","version"} to the terminals of the
// rollout that do not run that version yet; GET /api/v1/updates/<sha256>
// serves the bundle with Range, so a terminal resumes a cut download.
//
// Staged rollout: a terminal's bucket is a hash of its id mod 100 and the
// offer reaches the buckets below its percentage. The buckets do not
// change, so raising the percentage (10, then 50, then 100) only ever adds
// terminals: one that was offered the update keeps the offer.
#include <httplib.h>

#include <cstdio>
#include <algorithm>
#include <filesystem>

#include "base/bytes.h"
#include "base/fs.h"
#include "base/time.h"
#include "central/blob_files.h"
#include "central/central.h"
#include "central/http_util.h"
#include "crypto/suite.h"

namespace bianmin::sync::central {

using json = nlohmann::json;

namespace {

// Copies `from` into `to` (via a temporary name) and returns its SHA-256.
Result<std::string> copy_hashing(const std::string& from, const std::string& dir, const std::string& tmp_name) {
  std::FILE* in = std::fopen(from.c_str(), "rb");
  if (!in) return fs::errno_error("open", from);
  const std::string tmp = dir + "/" + tmp_name;
  std::FILE* out = std::fopen(tmp.c_str(), "wb");
  if (!out) {
    std::fclose(in);
    return fs::errno_error("create", tmp);
  }
  crypto::Hasher h(crypto::Suite::standard);
  std::string buf(1 << 20, '\0');
  bool ok = true;
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), in)) > 0;) {
    h.update(std::string_view(buf.data(), n));
    ok = ok && std::fwrite(buf.data(), 1, n, out) == n;
  }
  ok = ok && !std::ferror(in) && std::fflush(out) == 0 && ::fsync(::fileno(out)) == 0;
  std::fclose(in);
  ok = std::fclose(out) == 0 && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return make_error("io", "cannot copy " + from + " into " + dir);
  }
  const crypto::Digest d = h.finish();
  return to_hex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

}  // namespace

int rollout_bucket(const std::string& terminal_id) {
  const crypto::Digest d = crypto::hash(crypto::Suite::standard, terminal_id);
  const uint32_t v = (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) | (uint32_t{d[2]} << 8) | d[3];
  return static_cast<int>(v % 100);
}

std::string Central::update_path(const std::string& sha) const { return opts_.data_dir + "/updates/" + sha + ".raucb"; }

Result<json> Central::offer_update(const std::string& bundle, const std::string& version, int percent) {
  if (percent < 0 || percent > 100) return make_error("usage", "--percent must be 0–100");
  if (version.empty() || version.size() > 64) return make_error("usage", "--version must be 1–64 characters");
  const std::string dir = opts_.data_dir + "/updates";
  BIANMIN_TRY(fs::make_dirs(dir, 0700));
  BIANMIN_ASSIGN(std::string sha, copy_hashing(bundle, dir, "incoming.tmp"));
  const int64_t length = file_size(dir + "/incoming.tmp");
  if (std::rename((dir + "/incoming.tmp").c_str(), update_path(sha).c_str()) != 0)
    return fs::errno_error("rename", update_path(sha));
  BIANMIN_TRY(fs::fsync_dir(dir));
  auto lock = db_->lock();
  BIANMIN_TRY(db_->transaction([&]() -> Status {
    BIANMIN_TRY(db_->exec("UPDATE update_offers SET withdrawn_at = '" + time::now_rfc3339() +
                          "' WHERE withdrawn_at IS NULL"));
    BIANMIN_ASSIGN(store::Statement ins, db_->prepare(
        "INSERT INTO update_offers(sha256, version, length, percent, offered_at) VALUES(?, ?, ?, ?, ?)"));
    ins.bind(1, sha).bind(2, version).bind(3, length).bind(4, static_cast<int64_t>(percent)).bind(5, time::now_rfc3339());
    return ins.run();
  }));
  remove_bundles_but(sha);
  return json{{"sha256", sha}, {"version", version}, {"length", length}, {"percent", percent}};
}

// Bundles no longer offered are served to no one: their files go.
void Central::remove_bundles_but(const std::string& sha) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(opts_.data_dir + "/updates", ec))
    if (e.path().filename() != sha + ".raucb") std::filesystem::remove(e.path(), ec);
}

Result<json> Central::withdraw_update() {
  auto lock = db_->lock();
  BIANMIN_ASSIGN(store::Statement st, db_->prepare(
      "UPDATE update_offers SET withdrawn_at = ? WHERE withdrawn_at IS NULL RETURNING sha256, version"));
  st.bind(1, time::now_rfc3339());
  json withdrawn = json::array();
  for (;;) {
    BIANMIN_ASSIGN(bool row, st.step());
    if (!row) break;
    withdrawn.push_back({{"sha256", st.text(0)}, {"version", st.text(1)}});
  }
  remove_bundles_but("");
  return json{{"withdrawn", withdrawn}};
}

Result<std::optional<Central::UpdateOffer>> Central::current_update() {
  BIANMIN_ASSIGN(store::Statement st, db_->prepare(
      "SELECT sha256, version, length, percent FROM update_offers WHERE withdrawn_at IS NULL ORDER BY id DESC LIMIT 1"));
  BIANMIN_ASSIGN(bool row, st.step());
  if (!row) return std::optional<UpdateOffer>();
  return std::optional<UpdateOffer>(UpdateOffer{st.text(0), st.text(1), st.integer(2), static_cast<int>(st.integer(3))});
}

std::optional<json> Central::update_command(const httplib::Request& req, const std::string& terminal_id,
                                            const std::string& running_version) {
  auto offer = current_update();
  if (!offer || !*offer) return std::nullopt;
  const UpdateOffer& o = **offer;
  if (o.version == running_version || rollout_bucket(terminal_id) >= o.percent) return std::nullopt;
  // The address the terminal reached this central by, so that the URL works
  // from where it stands (a Host with anything but a name and port is not used).
  const std::string host = req.get_header_value("Host");
  const bool plain_host = !host.empty() && host.size() < 256 &&
                          host.find_first_of("/?#@ \t\\") == std::string::npos;
  const std::string path = "/api/v1/updates/" + o.sha256;
  return json{{"type", "update"}, {"url", plain_host ? "https://" + host + path : path}, {"sha256", o.sha256},
              {"version", o.version}};
}

void Central::on_update_download(const httplib::Request& req, httplib::Response& res) {
  if (!authenticate(req, res)) return;
  const std::string sha = req.matches[1];
  std::optional<UpdateOffer> offer;
  {
    auto lock = db_->lock();
    auto current = current_update();
    if (!current) return reply_error(res, 500, "internal", current.error().message);
    offer = *current;
  }
  if (!offer || offer->sha256 != sha) return reply_error(res, 404, "not_found", "no such update is offered");
  const std::string path = update_path(sha);
  // Closed when the last holder lets go: this function on any early
  // return, else the provider when the answer is sent or abandoned.
  std::shared_ptr<std::FILE> file(std::fopen(path.c_str(), "rb"), [](std::FILE* f) {
    if (f) std::fclose(f);
  });
  if (!file) return reply_error(res, 500, "internal", "the offered bundle is missing on the central");
  res.set_header("Cache-Control", "no-store");
  res.set_header("Accept-Ranges", "bytes");
  // The span asked for. cpp-httplib 0.11 would apply a Range to a provider
  // of known length itself, but without clamping its end to the length or
  // answering 416, so the span is worked out here and the bytes go out as
  // a chunked provider, which it leaves alone.
  const int64_t length = offer->length;
  int64_t first = 0, last = length - 1;
  if (req.ranges.size() == 1) {
    const auto [a, b] = req.ranges[0];
    if (a < 0 && b >= 0) {  // "-N": the last N bytes
      first = std::max<int64_t>(0, length - b);
    } else if (a >= 0) {
      first = a;
      if (b >= 0) last = std::min<int64_t>(b, length - 1);
    }
    if (first >= length || first > last) {
      res.set_header("Content-Range", "bytes */" + std::to_string(length));
      return reply_error(res, 416, "range_not_satisfiable", "the bundle has " + std::to_string(length) + " bytes");
    }
    res.status = 206;
    res.set_header("Content-Range",
                   "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(length));
  } else {
    res.status = 200;  // no Range, or several: the whole bundle
  }
  auto left = std::make_shared<int64_t>(last - first + 1);
  if (::fseeko(file.get(), static_cast<off_t>(first), SEEK_SET) != 0)
    return reply_error(res, 500, "internal", "cannot read the offered bundle");
  res.set_chunked_content_provider(
      "application/octet-stream",
      [file, left](std::size_t, httplib::DataSink& sink) {
        if (*left <= 0) {
          sink.done();
          return true;
        }
        std::string buf(static_cast<std::size_t>(std::min<int64_t>(*left, 256 * 1024)), '\0');
        const std::size_t n = std::fread(buf.data(), 1, buf.size(), file.get());
        if (n == 0) return false;  // the file shrank under us: cut the answer short
        *left -= static_cast<int64_t>(n);
        return sink.write(buf.data(), n);
      });
}

}  // namespace bianmin::sync::central
