#include "base/library_pages.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace bianmin {

namespace {

// One mapping of /proc/PID/smaps: its header line and the two fields that
// decide whether its pages can go.
struct Mapping {
  uintptr_t start = 0, end = 0;
  bool writable = false;
  std::string path;
  int64_t rss_kb = 0;
  int64_t anonymous_kb = -1;  // -1: the field never came, so nothing is known
};

// "7f1490200000-7f149697c000 r-xp 00000000 fe:01 1234  /usr/lib/…/libLLVM-15.so.1"
bool parse_header(const std::string& line, Mapping& m) {
  char* end = nullptr;
  m.start = std::strtoull(line.c_str(), &end, 16);
  if (*end != '-') return false;
  m.end = std::strtoull(end + 1, &end, 16);
  if (*end != ' ' || m.end <= m.start) return false;
  const char* perms = end + 1;
  if (std::strlen(perms) < 4) return false;
  m.writable = perms[1] == 'w';
  // The path is the sixth column; it may hold spaces, so take the rest.
  const char* p = perms;
  for (int column = 0; column < 4 && p; ++column) {
    p = std::strchr(p, ' ');
    if (p) p += std::strspn(p, " ");
  }
  m.path = p ? p : "";
  m.rss_kb = 0;
  m.anonymous_kb = -1;
  return true;
}

// "Rss:                 46552 kB"
bool field(const std::string& line, const char* name, int64_t& out) {
  const std::size_t n = std::strlen(name);
  if (line.compare(0, n, name) != 0) return false;
  out = std::strtoll(line.c_str() + n, nullptr, 10);
  return true;
}

}  // namespace

Result<ReleasedPages> release_library_pages(std::string_view library, const std::string& smaps_path) {
  std::ifstream in(smaps_path);
  if (!in) return make_error("io_error", "cannot read " + smaps_path + ": " + std::strerror(errno));
  ReleasedPages out;
  Mapping m;
  bool open = false;
  auto finish = [&] {
    if (!open || m.path.find(library) == std::string::npos || m.rss_kb == 0) return;
    // Only a mapping no page of which was ever copied privately: dropping
    // a private copy would lose what was written into it.
    if (m.writable || m.anonymous_kb != 0) {
      ++out.skipped;
      return;
    }
    if (::madvise(reinterpret_cast<void*>(m.start), m.end - m.start, MADV_DONTNEED) != 0) {
      ++out.skipped;
      return;
    }
    ++out.mappings;
    out.bytes += m.rss_kb * 1024;
  };
  std::string line;
  while (std::getline(in, line)) {
    const auto space = line.find(' ');
    const bool is_field = space != std::string::npos && space > 0 && line[space - 1] == ':';
    if (!is_field) {
      finish();
      open = parse_header(line, m);
      continue;
    }
    if (!open) continue;
    field(line, "Rss:", m.rss_kb) || field(line, "Anonymous:", m.anonymous_kb);
  }
  finish();
  return out;
}

}  // namespace bianmin
