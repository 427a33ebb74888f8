// base/library_pages.h: the kiosk drops the resident pages of the GL
// driver's compiler (libLLVM) at quiet moments. These tests map files of
// their own the way the dynamic loader maps a library and check, in this
// process's /proc/self/smaps, that clean read-only pages go, that the
// content is still there afterwards, and that a page the process changed
// is never dropped (it would lose what was written).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "base/library_pages.h"
#include "support/testing.h"

namespace bianmin {
namespace {

constexpr std::size_t kSize = 4u << 20;

// A file of kSize bytes whose every byte says where it is.
std::string make_library(const testing::TempDir& tmp, const std::string& name) {
  std::string bytes(kSize, '\0');
  for (std::size_t i = 0; i < kSize; ++i) bytes[i] = static_cast<char>((i * 131) >> 7);
  const std::string path = tmp.file(name);
  testing::write_file(path, bytes);
  return path;
}

struct Mapped {
  unsigned char* at = nullptr;
  explicit Mapped(const std::string& path, int prot) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    void* p = ::mmap(nullptr, kSize, prot, MAP_PRIVATE, fd, 0);
    ::close(fd);
    EXPECT_NE(p, MAP_FAILED);
    at = static_cast<unsigned char*>(p);
  }
  ~Mapped() { ::munmap(at, kSize); }
  uint64_t touch() const {  // reads every page, as running code does
    uint64_t sum = 0;
    const volatile unsigned char* v = at;  // a read the compiler keeps
    for (std::size_t i = 0; i < kSize; i += 4096) sum += v[i];
    return sum;
  }
  bool intact() const {
    for (std::size_t i = 0; i < kSize; i += 997)
      if (at[i] != static_cast<unsigned char>((i * 131) >> 7)) return false;
    return true;
  }
};

// The Rss of the mapping that starts at `at`, in kB (-1: not found).
int64_t rss_kb(const void* at) {
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool ours = false;
  while (std::getline(in, line)) {
    if (line.find('-') != std::string::npos && line.find(':') > line.find(' ')) {
      ours = std::strtoull(line.c_str(), nullptr, 16) == reinterpret_cast<uintptr_t>(at);
    } else if (ours && line.rfind("Rss:", 0) == 0) {
      return std::strtoll(line.c_str() + 4, nullptr, 10);
    }
  }
  return -1;
}

TEST(LibraryPages, DropsTheResidentPagesOfAReadOnlyMappingAndKeepsItsContent) {
  testing::TempDir tmp;
  const Mapped lib(make_library(tmp, "libLLVM-test.so.1"), PROT_READ);
  const uint64_t sum = lib.touch();
  ASSERT_GE(rss_kb(lib.at), 4000);
  auto r = release_library_pages("libLLVM-test");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->mappings, 1);
  EXPECT_GE(r->bytes, int64_t{4000} * 1024);
  EXPECT_EQ(r->skipped, 0);
  EXPECT_EQ(rss_kb(lib.at), 0);
  // The next use faults the pages back in from the file, unchanged.
  EXPECT_TRUE(lib.intact());
  EXPECT_EQ(lib.touch(), sum);
}

TEST(LibraryPages, NeverDropsAPageTheProcessWroteEvenWhenReadOnlyNow) {
  testing::TempDir tmp;
  // Written, then made read-only: what the loader does to relocated data.
  Mapped relocated(make_library(tmp, "libLLVM-relro.so"), PROT_READ | PROT_WRITE);
  relocated.at[8192] = 0xA5;
  ASSERT_EQ(::mprotect(relocated.at, kSize, PROT_READ), 0);
  Mapped writable(make_library(tmp, "libLLVM-data.so"), PROT_READ | PROT_WRITE);
  writable.touch();
  relocated.touch();
  auto r = release_library_pages("libLLVM-");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->mappings, 0);
  EXPECT_EQ(r->skipped, 2);
  EXPECT_EQ(relocated.at[8192], 0xA5);
  EXPECT_GE(rss_kb(relocated.at), 4000);
}

TEST(LibraryPages, LeavesOtherFilesAlone) {
  testing::TempDir tmp;
  const Mapped other(make_library(tmp, "libother.so"), PROT_READ);
  other.touch();
  auto r = release_library_pages("libLLVM-absent");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->mappings, 0);
  EXPECT_GE(rss_kb(other.at), 4000);
}

TEST(LibraryPages, AnUnreadableSmapsIsAnError) {
  auto r = release_library_pages("libLLVM", "/nonexistent/smaps");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "io_error");
}

}  // namespace
}  // namespace bianmin
