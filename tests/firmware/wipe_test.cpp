// Design invariant 2 buffer by buffer: what secure_wipe and a failed open
// leave in the memory they free. support/freed_blocks.h sees every free of
// this test binary; the first test shows that it sees an unwiped one.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "crypto/sealer.h"
#include "support/freed_blocks.h"

namespace bianmin {
namespace {

using testing::FreedBlocks;

constexpr std::string_view kAddress = "北京市海淀区中关村南大街5号";
constexpr std::string_view kAddressTail = "中关村南大街5号";
constexpr std::string_view kName = "王美娜";

// A buffer that held an address and now holds a name (a shorter value
// assigned over a longer one keeps the address's tail past size()).
std::string name_over_address() {
  std::string s(kAddress);
  s = kName;
  return s;
}

TEST(FreedBlocks, SeesWhatAPlainReleaseLeaves) {
  std::string s = name_over_address();
  FreedBlocks freed({kAddressTail});
  s.clear();
  s.shrink_to_fit();
  EXPECT_EQ(freed.dirty_blocks(), 1u) << "the watch does not see freed blocks: the tests below prove nothing";
}

TEST(SecureWipe, OverwritesAStringsWholeCapacity) {
  std::string s = name_over_address();
  FreedBlocks freed({kAddressTail, kName});
  secure_wipe(s);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(freed.dirty_blocks(), 0u) << "left in the freed buffer: " << ::testing::PrintToString(freed.found());
}

TEST(SecureWipe, OverwritesAVectorsWholeCapacity) {
  // The card's text as code points (UTF-32), cut back to the name.
  constexpr std::u32string_view text = U"王美娜北京市海淀区中关村南大街5号";
  std::vector<char32_t> v(text.begin(), text.end());
  v.resize(3);
  const std::string tail(reinterpret_cast<const char*>(text.data() + 3), (text.size() - 3) * sizeof(char32_t));
  FreedBlocks freed({tail});
  secure_wipe(v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.capacity(), 0u);
  EXPECT_EQ(freed.dirty_blocks(), 0u) << "the vector's spare capacity still held the address";
}

class FailedOpen : public ::testing::TestWithParam<crypto::Suite> {
 protected:
  const std::string plain_ = "王美娜 13909360001 北京市海淀区中关村南大街5号";
  crypto::Sealer sealer_ = *crypto::Sealer::create(GetParam(), std::string(32, '\x42'));
  // Sealed for one row, then its last byte (the tag) altered.
  std::string tampered_ = [this] {
    std::string s = sealer_.seal(plain_, "application:1");
    s.back() = static_cast<char>(s.back() ^ 1);
    return s;
  }();
};

// GCM decrypts the whole ciphertext before the tag says it was altered:
// that plaintext was returned to the heap as it was.
TEST_P(FailedOpen, LeavesNoPlaintextInFreedMemory) {
  FreedBlocks freed({plain_});
  auto r = sealer_.open(tampered_, "application:1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "seal_invalid");
  EXPECT_EQ(freed.dirty_blocks(), 0u) << "a failed open freed the unauthenticated plaintext unwiped";
}

TEST_P(FailedOpen, OverwritesTheCallersBuffer) {
  std::vector<char> out(tampered_.size(), '\x7f');
  auto n = sealer_.open_into(tampered_, "application:1", out);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(std::count(out.begin(), out.end(), '\0'), static_cast<std::ptrdiff_t>(out.size()));
  // Wrong place, same key: refused and wiped the same way.
  std::fill(out.begin(), out.end(), '\x7f');
  EXPECT_FALSE(sealer_.open_into(sealer_.seal(plain_, "application:1"), "application:2", out).ok());
  EXPECT_EQ(std::count(out.begin(), out.end(), '\0'), static_cast<std::ptrdiff_t>(out.size()));
}

TEST_P(FailedOpen, AnIntactOpenIntoGivesThePlaintext) {
  const std::string sealed = sealer_.seal(plain_, "application:1");
  std::vector<char> out(sealed.size());
  auto n = sealer_.open_into(sealed, "application:1", out);
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(std::string_view(out.data(), *n), plain_);
  std::vector<char> small(plain_.size() - 1);
  auto refused = sealer_.open_into(sealed, "application:1", small);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "buffer_too_small");
}

INSTANTIATE_TEST_SUITE_P(Suites, FailedOpen, ::testing::Values(crypto::Suite::standard, crypto::Suite::gm));

}  // namespace
}  // namespace bianmin
