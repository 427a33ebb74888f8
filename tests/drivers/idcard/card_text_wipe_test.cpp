// Decoding a card leaves none of its text in freed memory, in any of the
// encodings the decoder handles it in: the reader's UCS-2 (UTF-16LE), the
// code points (UTF-32), the UTF-8 of the fields. The card's own fields are
// wiped when it is destroyed. support/freed_blocks.h watches free().
#include <gtest/gtest.h>

#include <string>

#include "domain/identity_card.h"
#include "idcard/card_text.h"
#include "idcard/sim_card.h"
#include "support/encodings.h"
#include "support/freed_blocks.h"

namespace bianmin::drivers::idcard {
namespace {

using testing::encode_as;
using testing::FreedBlocks;

constexpr std::string_view kName = "王美娜";
constexpr std::string_view kAddress = "北京市朝阳区建国路88号院3号楼2单元501室";

Bytes resident_block() {
  domain::IdentityCard c;
  c.name = kName;
  c.sex = "女";
  c.ethnicity = "汉";
  c.birth_date = "1949-12-31";
  c.address = kAddress;
  c.id_number = "11010519491231002X";
  c.issuer = "北京市公安局朝阳分局";
  c.valid_from = "2015-03-01";
  c.valid_until = "长期";
  return *encode_text_block(c);
}

TEST(CardTextWipe, DecodingLeavesNoCopyOfTheTextInFreedMemory) {
  const Bytes block = resident_block();
  const std::string name32 = encode_as(kName, "UTF-32LE"), address32 = encode_as(kAddress, "UTF-32LE");
  const std::string name16 = encode_as(kName, "UTF-16LE"), address16 = encode_as(kAddress, "UTF-16LE");
  ASSERT_FALSE(name32.empty() || address32.empty() || name16.empty() || address16.empty());
  FreedBlocks freed({kName, kAddress, name16, address16, name32, address32, "11010519491231002X", "19491231"});
  {
    const domain::IdentityCard card = decode_text_block(block);
    EXPECT_EQ(card.name, kName);
    EXPECT_EQ(card.address, kAddress);
    EXPECT_EQ(card.birth_date, "1949-12-31");
  }
  EXPECT_EQ(freed.dirty_blocks(), 0u) << "left in freed memory: " << ::testing::PrintToString(freed.found());
}

TEST(CardTextWipe, TheReadersResponseLeavesNothingEither) {
  // 30 01: text and photo lengths, then the blocks, as the reader sends them.
  const Bytes text = resident_block();
  Bytes data = {static_cast<uint8_t>(text.size() >> 8), static_cast<uint8_t>(text.size() & 0xff), 0x04, 0x00};
  data.insert(data.end(), text.begin(), text.end());
  const Bytes photo = placeholder_photo();
  data.insert(data.end(), photo.begin(), photo.end());
  const std::string address16 = encode_as(kAddress, "UTF-16LE"), address32 = encode_as(kAddress, "UTF-32LE");
  FreedBlocks freed({kAddress, address16, address32});
  {
    auto card = decode_base_info(data, false);
    ASSERT_TRUE(card.ok()) << card.error().message;
    EXPECT_EQ(card->address, kAddress);
  }
  EXPECT_EQ(freed.dirty_blocks(), 0u) << "left in freed memory: " << ::testing::PrintToString(freed.found());
}

}  // namespace
}  // namespace bianmin::drivers::idcard
