#include "client/bundle_download.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "base/fs.h"
#include "crypto/file_digest.h"

namespace bianmin::sync {

namespace {

int64_t size_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::optional<int64_t> number(std::string_view s) {
  int64_t v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

bool write_all(int fd, std::string_view bytes, int64_t offset) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
    offset += n;
  }
  return true;
}

}  // namespace

std::optional<ContentRange> parse_content_range(std::string_view v) {
  if (v.substr(0, 6) != "bytes ") return std::nullopt;
  v.remove_prefix(6);
  const auto slash = v.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto total = number(v.substr(slash + 1));
  if (!total) return std::nullopt;
  const std::string_view span = v.substr(0, slash);
  if (span == "*") return ContentRange{-1, -1, *total};  // a 416's "bytes */<total>"
  const auto dash = span.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto first = number(span.substr(0, dash)), last = number(span.substr(dash + 1));
  if (!first || !last || *first > *last || *last >= *total) return std::nullopt;
  return ContentRange{*first, *last, *total};
}

BundleDownload::BundleDownload(std::string dir, std::string sha256) : dir_(std::move(dir)), sha256_(std::move(sha256)) {}

std::string BundleDownload::part_path() const { return dir_ + "/" + sha256_ + ".part"; }
std::string BundleDownload::bundle_path() const { return dir_ + "/" + sha256_ + ".raucb"; }
bool BundleDownload::complete() const { return exists(bundle_path()); }
int64_t BundleDownload::have() const { return size_of(part_path()); }

Result<DownloadStep> BundleDownload::step(HttpClient& http, const std::string& path, int64_t chunk_bytes,
                                          const std::function<void()>& alive) {
  DownloadStep out;
  if (complete()) {
    out.kind = DownloadStep::Kind::complete;
    out.have = out.total = size_of(bundle_path());
    return out;
  }
  BIANMIN_TRY(fs::make_dirs(dir_, 0700));
  const std::string part = part_path();
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fs::errno_error("open", part);
  struct stat st {};
  ::fstat(fd, &st);
  const int64_t have = st.st_size;
  // Where the answer's bytes go: after what is held for a 206, from the
  // start for a 200 (a server that ignores Range sends the whole file).
  int64_t at = -1;
  bool write_error = false;
  HttpRequest req{"GET", path, {{"Range", "bytes=" + std::to_string(have) + "-" + std::to_string(have + chunk_bytes - 1)}}, {}};
  req.body_sink = [&](long status, std::string_view bytes) {
    if (at < 0) {
      at = status == 206 ? have : 0;
      if (status == 200 && ::ftruncate(fd, 0) != 0) return !(write_error = true);
    }
    if (!write_all(fd, bytes, at)) return !(write_error = true);
    at += static_cast<int64_t>(bytes.size());
    if (alive) alive();
    return true;
  };
  auto r = http.send(req);
  // What arrived is kept for the next step even when the link broke.
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!r) return r.take_error();
  if (write_error || !synced) return make_error("write_failed", "cannot write " + part);
  out.answer = std::move(r).value();
  const long status = out.answer.status;
  if (status == 416) {
    // Asked from the end: the part is whole (its rename was cut off) when
    // the server says the bundle has exactly that many bytes. A part longer
    // than the bundle is wrong and goes; any other 416 (an error answer
    // that a server cut to the asked range, say) is only an answer, and
    // the part stays.
    auto cr = parse_content_range(out.answer.header("content-range"));
    out.have = have;
    if (cr && cr->first < 0 && cr->total == have) {
      out.total = have;
      return verify(std::move(out));
    }
    if (cr && cr->first < 0 && cr->total < have) {
      ::unlink(part.c_str());
      return make_error("range_mismatch", "the part is longer than the bundle (" + std::to_string(cr->total) +
                                              " bytes); starting over");
    }
    out.kind = DownloadStep::Kind::answered;
    return out;
  }
  if (status == 200) {
    out.have = out.total = at < 0 ? 0 : at;
    if (at < 0 && ::truncate(part.c_str(), 0) != 0) return fs::errno_error("truncate", part);
    return verify(std::move(out));
  }
  if (status != 206) {
    out.kind = DownloadStep::Kind::answered;
    out.have = have;
    return out;
  }
  auto cr = parse_content_range(out.answer.header("content-range"));
  const int64_t got = at < 0 ? 0 : at - have;
  if (!cr || cr->first != have || cr->last - cr->first + 1 != got) {
    if (::truncate(part.c_str(), have) != 0) return fs::errno_error("truncate", part);
    return make_error("range_mismatch", "the server answered with another range than asked for (" +
                                            out.answer.header("content-range") + ")");
  }
  out.have = have + got;
  out.total = cr->total;
  if (out.have < out.total) return out;
  return verify(std::move(out));
}

Result<DownloadStep> BundleDownload::verify(DownloadStep step) {
  BIANMIN_ASSIGN(std::string digest, crypto::sha256_hex_of_file(part_path()));
  if (digest != sha256_) {
    ::unlink(part_path().c_str());
    return make_error("hash_mismatch", "the downloaded bundle's SHA-256 is " + digest + ", not the offered " + sha256_ +
                                           "; starting over");
  }
  if (::rename(part_path().c_str(), bundle_path().c_str()) != 0) return fs::errno_error("rename", bundle_path());
  BIANMIN_TRY(fs::fsync_dir(dir_));
  step.kind = DownloadStep::Kind::complete;
  return step;
}

void BundleDownload::remove_others() const {
  DIR* d = ::opendir(dir_.c_str());
  if (!d) return;
  const std::string part = sha256_ + ".part", bundle = sha256_ + ".raucb";
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == ".." || name == part || name == bundle) continue;
    ::unlink((dir_ + "/" + name).c_str());
  }
  ::closedir(d);
}

void BundleDownload::remove_all() const {
  remove_others();
  ::unlink(part_path().c_str());
  ::unlink(bundle_path().c_str());
}

}  // namespace bianmin::sync
