// A system update bundle fetched from the central in pieces. Each step
// moves at most one chunk into <dir>/<sha256>.part with an HTTP Range
// request, so a cut link, a restarted daemon or a power cut costs at most
// the chunk under way, and no step runs longer than a chunk takes. The
// finished file is checked against the SHA-256 the central offered and only
// then renamed to <sha256>.raucb: a part whose tail a power cut left torn
// fails the check and starts over rather than reaching RAUC (which checks
// the bundle's signature anyway).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/result.h"
#include "client/http_client.h"

namespace bianmin::sync {

struct DownloadStep {
  enum class Kind {
    progressed,  // a chunk arrived; more to come
    complete,    // bundle_path() holds the offered bytes
    answered,    // the server answered something else: `answer` says what
  };
  Kind kind = Kind::progressed;
  int64_t have = 0;    // bytes held after the step
  int64_t total = -1;  // the bundle's size, once a response said it
  HttpResponse answer;
};

class BundleDownload {
 public:
  // `dir` is created (0700) on the first step.
  BundleDownload(std::string dir, std::string sha256);

  std::string part_path() const;
  std::string bundle_path() const;
  bool complete() const;
  int64_t have() const;

  // One request for up to `chunk_bytes` from `path` on `http`. `alive` is
  // called as bytes arrive (the daemon's watchdog). Errors: the transport's
  // (http_client.h, "write_failed" for a full disk), "hash_mismatch" (the
  // part is deleted: the next step starts over), "range_mismatch" (the
  // server sent another range than asked; nothing kept), "io".
  Result<DownloadStep> step(HttpClient& http, const std::string& path, int64_t chunk_bytes,
                            const std::function<void()>& alive);

  // Deletes every file in the directory that is not this download's (an
  // older offer's part, a bundle already installed).
  void remove_others() const;
  // Deletes this download's files too.
  void remove_all() const;

 private:
  Result<DownloadStep> verify(DownloadStep step);

  std::string dir_, sha256_;
};

// "bytes <first>-<last>/<total>" (RFC 9110 Content-Range of a 206).
struct ContentRange {
  int64_t first = 0, last = 0, total = 0;
};
std::optional<ContentRange> parse_content_range(std::string_view value);

}  // namespace bianmin::sync
