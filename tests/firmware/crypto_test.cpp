#include <gtest/gtest.h>
#include <sys/stat.h>

#include "crypto/device_key.h"
#include "crypto/sealer.h"
#include "support/testing.h"

namespace bianmin::crypto {
namespace {

const std::string kKey(32, '\x42');

class SealerTest : public ::testing::TestWithParam<Suite> {};

TEST_P(SealerTest, RoundTripsAndBindsToPlace) {
  auto s = Sealer::create(GetParam(), kKey);
  ASSERT_TRUE(s.ok());
  const std::string sealed = s->seal("张三 620702199003071232", "application:1");
  EXPECT_EQ(sealed.find("620702199003071232"), std::string::npos);
  auto open = s->open(sealed, "application:1");
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(*open, "张三 620702199003071232");
  EXPECT_FALSE(s->open(sealed, "application:2").ok()) << "sealed data must not move between rows";
}

TEST_P(SealerTest, DetectsEveryAlteredByte) {
  auto s = Sealer::create(GetParam(), kKey);
  const std::string sealed = s->seal("resident data", "aad");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] ^= 0x01;
    EXPECT_FALSE(s->open(bad, "aad").ok()) << "byte " << i;
  }
  EXPECT_FALSE(s->open(sealed.substr(0, sealed.size() - 1), "aad").ok());
  EXPECT_FALSE(s->open("", "aad").ok());
}

TEST_P(SealerTest, OtherKeyCannotOpen) {
  auto a = Sealer::create(GetParam(), kKey);
  auto b = Sealer::create(GetParam(), std::string(32, '\x43'));
  EXPECT_FALSE(b->open(a->seal("x", ""), "").ok());
}

INSTANTIATE_TEST_SUITE_P(Suites, SealerTest, ::testing::Values(Suite::standard, Suite::gm));

TEST(Suite, HashesMatchKnownVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // GB/T 32905-2016 example 1.
  EXPECT_EQ(hash_hex(Suite::gm, "abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST(Sealer, SuitesAreNotInterchangeable) {
  auto std_s = Sealer::create(Suite::standard, kKey);
  auto gm_s = Sealer::create(Suite::gm, kKey);
  EXPECT_FALSE(gm_s->open(std_s->seal("x", ""), "").ok());
}

TEST(DeviceKey, CreatedOnceWithMode0600) {
  testing::TempDir dir;
  const std::string path = dir.file("keys/device.key");
  auto k1 = load_or_create_device_key(path);
  ASSERT_TRUE(k1.ok());
  EXPECT_EQ(k1->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto k2 = load_or_create_device_key(path);
  ASSERT_TRUE(k2.ok());
  EXPECT_EQ(*k1, *k2);
}

TEST(DeviceKey, DamagedKeyIsRefusedNotReplaced) {
  testing::TempDir dir;
  const std::string path = dir.file("device.key");
  testing::write_file(path, "short");
  auto k = load_or_create_device_key(path);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().code, "key_invalid");
  EXPECT_EQ(testing::read_file(path), "short");
}

}  // namespace
}  // namespace bianmin::crypto
