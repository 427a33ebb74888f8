// The `bianmin` executable's operator new/delete (base/wiping_new.cpp,
// linked into this test binary the same way): every form of delete hands
// its block back to malloc overwritten, the whole usable block, whatever
// size a sized delete names. support/freed_blocks.h watches free().
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "base/heap_wipe.h"
#include "support/freed_blocks.h"

namespace bianmin {
namespace {

using testing::FreedBlocks;

constexpr std::string_view kAddress = "北京市海淀区中关村南大街5号";

void* with_address(void* p) {
  std::memcpy(p, kAddress.data(), kAddress.size());
  return p;
}

TEST(FreedBlocks, SeesAPlainFree) {
  // Through a volatile: the compiler would drop a malloc only written to.
  void* volatile p = with_address(std::malloc(kAddress.size()));
  FreedBlocks freed({kAddress});
  std::free(p);
  EXPECT_EQ(freed.dirty_blocks(), 1u) << "the watch does not see freed blocks: the tests below prove nothing";
}

TEST(WipingNew, EveryFormOfDeleteOverwritesTheBlock) {
  struct alignas(64) Aligned {
    char bytes[128];
  };
  struct Plain {
    char bytes[64];
  };
  FreedBlocks freed({kAddress});
  auto* plain = new Plain;
  with_address(plain->bytes);
  delete plain;
  delete[] static_cast<char*>(with_address(new char[64]));
  ::operator delete[](with_address(::operator new[](64)));
  ::operator delete(with_address(::operator new(64)), std::size_t{64});
  ::operator delete[](with_address(::operator new[](64)), std::size_t{64});
  ::operator delete(with_address(::operator new(64, std::nothrow)), std::nothrow);
  ::operator delete[](with_address(::operator new[](64, std::nothrow)), std::nothrow);
  auto* a = new Aligned;
  with_address(a->bytes);
  delete a;  // aligned, sized
  auto* as = new Aligned[2];
  with_address(as[1].bytes);
  delete[] as;
  constexpr auto al = std::align_val_t{32};
  ::operator delete(with_address(::operator new(64, al)), al);
  ::operator delete[](with_address(::operator new[](64, al)), al);
  ::operator delete(with_address(::operator new(64, al, std::nothrow)), al, std::nothrow);
  ::operator delete[](with_address(::operator new[](64, al, std::nothrow)), al, std::nothrow);
  ::operator delete(with_address(::operator new(64, al)), std::size_t{64}, al);
  EXPECT_EQ(freed.dirty_blocks(), 0u);
}

TEST(WipingNew, ContainersThatGrowLeaveNothingBehind) {
  // The bug of the issue: rows copied into a vector that grows; its old
  // buffers held the strings' text (short ones inside the buffer itself).
  const std::string name = "王美娜", phone = "13909360001";
  FreedBlocks freed({name, phone, kAddress});
  {
    std::vector<std::string> rows;
    for (int i = 0; i < 20; ++i) {
      rows.push_back(name);
      rows.push_back(phone);
      rows.emplace_back(kAddress);
    }
  }
  EXPECT_EQ(freed.dirty_blocks(), 0u);
}

TEST(WipingNew, ASizedDeleteOverwritesTheWholeUsableBlock) {
  // malloc may give more than was asked for, and that much may be used.
  // (Through a volatile: the compiler would hold the block to 1 byte.)
  char* volatile block = static_cast<char*>(::operator new(1));
  char* p = block;
  const std::size_t usable = malloc_usable_size(p);
  ASSERT_GE(usable, 16u);
  std::memcpy(p + usable - 12, "13909360001", 12);
  FreedBlocks freed({"13909360001"});
  ::operator delete(p, std::size_t{1});
  EXPECT_EQ(freed.dirty_blocks(), 0u);
}

TEST(FreeWiped, OverwritesAMallocBlock) {
  void* volatile p = with_address(std::malloc(kAddress.size()));
  FreedBlocks freed({kAddress});
  free_wiped(p);
  free_wiped(nullptr);  // like free: nothing
  EXPECT_EQ(freed.dirty_blocks(), 0u);
}

TEST(WipingNew, AnswersAsTheStandardSays) {
  // Zero bytes: a unique pointer. Too much: bad_alloc, or nullptr for nothrow.
  void* a = ::operator new(0);
  void* b = ::operator new(0);
  EXPECT_NE(a, b);
  ::operator delete(a);
  ::operator delete(b);
  const std::size_t huge = std::size_t{1} << 62;
  EXPECT_THROW(::operator delete(::operator new(huge)), std::bad_alloc);
  EXPECT_EQ(::operator new(huge, std::nothrow), nullptr);
  EXPECT_EQ(::operator new(huge, std::align_val_t{64}, std::nothrow), nullptr);
  void* aligned = ::operator new(100, std::align_val_t{256});
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(aligned) % 256, 0u);
  ::operator delete(aligned, std::align_val_t{256});
}

}  // namespace
}  // namespace bianmin
