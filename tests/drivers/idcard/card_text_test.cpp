// Decoding the 256-byte text block of each card type (devices.md §1.6–1.8).
// Blocks are written here byte by byte from the spec's offset tables, not
// with the simulator's encoder, so that a wrong offset cannot hide in both.
#include <gtest/gtest.h>

#include "base/bytes.h"
#include "idcard/card_json.h"
#include "idcard/card_text.h"
#include "idcard/sim_card.h"
#include "idcard_sim_fixture.h"

namespace bianmin::drivers::idcard {
namespace {

using domain::CardLayout;

// A block of U+0020, with ASCII/UTF-16 text put at byte offsets.
struct Block {
  Bytes b = Bytes(256, 0);
  Block() {
    for (std::size_t i = 0; i < 256; i += 2) b[i] = 0x20;
  }
  Block& put(std::size_t off, std::u16string_view s) {
    for (char16_t u : s) {
      b[off++] = static_cast<uint8_t>(u & 0xFF);
      b[off++] = static_cast<uint8_t>(u >> 8);
    }
    return *this;
  }
};

TEST(IdcardText, ResidentFieldByField) {
  Block k;
  // The Donsee walkthrough's bytes: 王美娜 = 8B 73 8E 7F 1C 5A, sex "2", nation "01".
  const uint8_t name[] = {0x8B, 0x73, 0x8E, 0x7F, 0x1C, 0x5A};
  std::copy(std::begin(name), std::end(name), k.b.begin());
  k.put(30, u"2").put(32, u"01").put(36, u"19491231").put(52, u"北京市朝阳区建国路88号");
  k.put(122, u"11010519491231002X").put(158, u"北京市公安局朝阳分局").put(188, u"20150301").put(204, u"长期");
  const auto c = decode_text_block(k.b);
  EXPECT_EQ(c.layout, CardLayout::resident);
  EXPECT_EQ(c.name, "王美娜");
  EXPECT_EQ(c.sex, "女");
  EXPECT_EQ(c.sex_code, "2");
  EXPECT_EQ(c.ethnicity, "汉");
  EXPECT_EQ(c.ethnicity_code, "01");
  EXPECT_EQ(c.birth_date, "1949-12-31");
  EXPECT_EQ(c.address, "北京市朝阳区建国路88号");
  EXPECT_EQ(c.id_number, "11010519491231002X");
  EXPECT_TRUE(c.id_number_valid);
  EXPECT_EQ(c.issuer, "北京市公安局朝阳分局");
  EXPECT_EQ(c.valid_from, "2015-03-01");
  EXPECT_EQ(c.valid_until, "长期");
  EXPECT_TRUE(c.name_en.empty());
  EXPECT_TRUE(c.nationality.empty());
}

TEST(IdcardText, WrongCheckDigitIsReportedNotHidden) {
  Block k;
  k.put(0, u"张三").put(30, u"1").put(32, u"01").put(122, u"110105194912310021");
  const auto c = decode_text_block(k.b);
  EXPECT_EQ(c.id_number, "110105194912310021");
  EXPECT_FALSE(c.id_number_valid);
  // Lower-case x is normalised, then checked.
  Block l;
  l.put(122, u"11010519491231002x");
  EXPECT_TRUE(decode_text_block(l.b).id_number_valid);
  EXPECT_EQ(decode_text_block(l.b).id_number, "11010519491231002X");
}

TEST(IdcardText, Foreign2017FieldByField) {
  Block k;
  k.put(0, u"SMITH JOHN WILLIAM").put(120, u"1").put(122, u"USA310085061512").put(152, u"USA");
  k.put(158, u"史密斯").put(188, u"20180401").put(204, u"20280331").put(220, u"19850615");
  k.put(236, u"01").put(240, u"3100").put(248, u"I");
  const auto c = decode_text_block(k.b);
  EXPECT_EQ(c.layout, CardLayout::foreign_2017);
  EXPECT_EQ(c.type(), domain::CardType::foreign_permanent);
  EXPECT_EQ(c.name_en, "SMITH JOHN WILLIAM");  // inner spaces kept, trailing ones trimmed
  EXPECT_EQ(c.name, "史密斯");
  EXPECT_EQ(c.sex, "男");
  EXPECT_EQ(c.id_number, "USA310085061512");
  EXPECT_TRUE(c.id_number_valid);  // format only: 2017 numbers have no MOD 11-2
  EXPECT_EQ(c.nationality, "USA");
  EXPECT_EQ(c.valid_from, "2018-04-01");
  EXPECT_EQ(c.valid_until, "2028-03-31");
  EXPECT_EQ(c.birth_date, "1985-06-15");
  EXPECT_EQ(c.card_version, "01");
  EXPECT_EQ(c.issuer, "3100");
  EXPECT_TRUE(c.ethnicity.empty());
}

TEST(IdcardText, Foreign2023FieldByFieldWithALongEnglishName) {
  Block k;
  // 41 characters: 1–35 at byte 52, 36–41 at byte 220.
  const std::u16string en = u"ABDULRAHMAN MOHAMMED BIN SALEH AL-QAHTANI";
  k.put(0, u"阿卜杜拉赫曼").put(30, u"1").put(32, u"00").put(36, u"19850101");
  k.put(52, std::u16string_view(en).substr(0, 35)).put(220, std::u16string_view(en).substr(35));
  k.put(122, u"932682198501010017").put(188, u"20231201").put(204, u"20331130").put(242, u"SAU");
  k.put(248, u"Y").put(250, u"000");
  const auto c = decode_text_block(k.b);
  EXPECT_EQ(c.layout, CardLayout::foreign_2023);
  EXPECT_EQ(c.name, "阿卜杜拉赫曼");
  EXPECT_EQ(c.name_en, "ABDULRAHMAN MOHAMMED BIN SALEH AL-QAHTANI");
  EXPECT_EQ(c.sex, "男");
  EXPECT_EQ(c.renewal_count, "00");
  EXPECT_EQ(c.birth_date, "1985-01-01");
  EXPECT_EQ(c.id_number, "932682198501010017");
  EXPECT_TRUE(c.id_number_valid);
  EXPECT_EQ(c.valid_from, "2023-12-01");
  EXPECT_EQ(c.valid_until, "2033-11-30");
  EXPECT_EQ(c.nationality, "SAU");
  EXPECT_EQ(c.previous_number_link, "000");
  EXPECT_TRUE(c.issuer.empty());
  EXPECT_TRUE(c.address.empty());
}

TEST(IdcardText, Foreign2023NameBreakingAtASpaceKeepsTheSpace) {
  Block k;
  // Character 35 is the last letter of a word and character 36 a space.
  std::u16string en(34, u'A');
  en += u"B CDE";
  k.put(52, std::u16string_view(en).substr(0, 35)).put(220, std::u16string_view(en).substr(35)).put(248, u"Y");
  EXPECT_EQ(decode_text_block(k.b).name_en, std::string(34, 'A') + "B CDE");
}

TEST(IdcardText, GatFieldByField) {
  Block k;
  k.put(0, u"陈嘉欣").put(30, u"2").put(36, u"19940823").put(52, u"广东省深圳市福田区福华一路1号");
  k.put(122, u"810000199408230021").put(158, u"深圳市公安局福田分局").put(188, u"20190115").put(204, u"20240114");
  k.put(220, u"H12345678").put(238, u"01").put(248, u"J");
  const auto c = decode_text_block(k.b);
  EXPECT_EQ(c.layout, CardLayout::gat);
  EXPECT_EQ(c.type(), domain::CardType::gat_residence);
  EXPECT_EQ(c.name, "陈嘉欣");
  EXPECT_EQ(c.sex, "女");
  EXPECT_TRUE(c.ethnicity.empty());
  EXPECT_EQ(c.birth_date, "1994-08-23");
  EXPECT_EQ(c.address, "广东省深圳市福田区福华一路1号");
  EXPECT_EQ(c.id_number, "810000199408230021");
  EXPECT_TRUE(c.id_number_valid);
  EXPECT_EQ(c.issuer, "深圳市公安局福田分局");
  EXPECT_EQ(c.valid_from, "2019-01-15");
  EXPECT_EQ(c.valid_until, "2024-01-14");
  EXPECT_EQ(c.pass_number, "H12345678");
  EXPECT_EQ(c.issue_count, "01");
  const auto j = card_to_json(c);
  EXPECT_EQ(j["issue_count"], "01");  // as on the card, not the number 1 (issue 13)
  EXPECT_EQ(j["pass_number"], "H12345678");
  EXPECT_EQ(j["card_type"], "gat_residence");
}

TEST(IdcardText, RareCharactersOutsideTheBmpSurvive) {
  Block k;
  // 陈 𬌗 (U+2C317 = D870 DF17) 䶮 (U+4DAE)
  k.put(0, u"陈\U0002C317䶮").put(30, u"1");
  const auto c = decode_text_block(k.b);
  EXPECT_EQ(c.name, "陈\U0002C317䶮");
  EXPECT_EQ(c.name, "陈𬌗䶮");
}

TEST(IdcardText, BrokenUtf16BecomesReplacementCharacters) {
  const uint8_t lone_high[] = {0x70, 0xD8, 0x41, 0x00};   // D870 then 'A'
  const uint8_t lone_low[] = {0x17, 0xDF, 0x20, 0x00};    // DF17 then space
  const uint8_t control[] = {0x41, 0x00, 0x0A, 0x00, 0x42, 0x00};  // A \n B
  const uint8_t high_at_end[] = {0x41, 0x00, 0x70, 0xD8};
  EXPECT_EQ(ucs2le_to_utf8(lone_high), "\uFFFDA");
  EXPECT_EQ(ucs2le_to_utf8(lone_low), "\uFFFD");
  EXPECT_EQ(ucs2le_to_utf8(control), "A\uFFFDB");
  EXPECT_EQ(ucs2le_to_utf8(high_at_end), "A\uFFFD");
  const uint8_t odd[] = {0x41, 0x00, 0x42};  // the odd byte is dropped
  EXPECT_EQ(ucs2le_to_utf8(odd), "A");
  const uint8_t nul_padded[] = {0x41, 0x00, 0x00, 0x00, 0x20, 0x00};
  EXPECT_EQ(ucs2le_to_utf8(nul_padded), "A");
  EXPECT_EQ(ucs2le_to_utf8(nul_padded, false), "A\uFFFD ");
}

TEST(IdcardText, NationTable) {
  EXPECT_EQ(ethnicity_name("01"), "汉");
  EXPECT_EQ(ethnicity_name("05"), "维吾尔");
  EXPECT_EQ(ethnicity_name("31"), "达斡尔");  // not the 达翰尔 typo
  EXPECT_EQ(ethnicity_name("46"), "德昂");    // not the 德昴 typo
  EXPECT_EQ(ethnicity_name("56"), "基诺");
  EXPECT_EQ(ethnicity_name("97"), "其他");
  EXPECT_EQ(ethnicity_name("98"), "外国血统中国籍人士");
  for (const char* bad : {"00", "57", "96", "99", "1", "001", "AB", ""}) EXPECT_TRUE(ethnicity_name(bad).empty()) << bad;
  for (int n = 1; n <= 56; ++n) {
    char code[3];
    std::snprintf(code, sizeof code, "%02d", n);
    EXPECT_EQ(ethnicity_code(ethnicity_name(code)), code);
  }
  EXPECT_EQ(ethnicity_code("汉族"), "01");
  EXPECT_EQ(ethnicity_code("朝鲜族"), "10");
  EXPECT_EQ(ethnicity_code("其他"), "97");
}

TEST(IdcardText, SexAndDates) {
  EXPECT_EQ(sex_name("1"), "男");
  EXPECT_EQ(sex_name("2"), "女");
  EXPECT_EQ(sex_name("0"), "未知");
  EXPECT_EQ(sex_name("9"), "未说明");
  EXPECT_TRUE(sex_name("3").empty());
  EXPECT_EQ(iso_date("20240229"), "2024-02-29");
  EXPECT_EQ(iso_date("长期"), "长期");
  EXPECT_EQ(iso_date("2024022"), "2024022");
}

TEST(IdcardText, LayoutNeedsTheFlagAndItsZeroHighByte) {
  Block k;
  k.b[248] = 'I';
  k.b[249] = 0x00;
  EXPECT_EQ(detect_layout(k.b), CardLayout::foreign_2017);
  k.b[249] = 0x4E;  // U+4E49 is a hanzi, not the letter I
  EXPECT_EQ(detect_layout(k.b), CardLayout::resident);
  EXPECT_EQ(detect_layout(std::span<const uint8_t>(k.b).first(100)), CardLayout::resident);
}

Bytes base_info(std::size_t text, std::size_t photo, std::size_t data_bytes) {
  Bytes d = {static_cast<uint8_t>(text >> 8), static_cast<uint8_t>(text), static_cast<uint8_t>(photo >> 8),
             static_cast<uint8_t>(photo)};
  d.resize(4 + data_bytes, 0x20);
  return d;
}

TEST(IdcardText, BaseInfoLengthsAreParsedNotAssumed) {
  auto ok = split_base_info(base_info(256, 1024, 1280), false);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->text.size(), 256u);
  EXPECT_EQ(ok->photo.size(), 1024u);
  // A reader that sends a shorter photo: still fine, its length is reported.
  auto short_photo = decode_base_info(base_info(256, 500, 756), false);
  ASSERT_TRUE(short_photo);
  EXPECT_EQ(short_photo->photo.size(), 500u);
  auto too_long = split_base_info(base_info(256, 1024, 1000), false);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, "card_data_invalid");
  EXPECT_FALSE(split_base_info(Bytes{0x01}, false));
  EXPECT_FALSE(split_base_info(base_info(0, 0, 0), false));
  // With fingerprint: three lengths.
  Bytes fp = {0x01, 0x00, 0x04, 0x00, 0x04, 0x00};
  fp.resize(6 + 256 + 1024 + 1024, 0x20);
  auto f = split_base_info(fp, true);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->fingerprint.size(), 1024u);
}

TEST(IdcardText, SampleCardsEncodeAndDecodeToTheirDescription) {
  for (const char* name : {"resident", "resident-rare", "foreign-2017", "foreign-2023", "gat"}) {
    auto img = load_card_image(test::sample(name));
    ASSERT_TRUE(img) << name << ": " << img.error().message;
    ASSERT_EQ(img->text.size(), 256u);
    test::expect_matches_description(decode_text_block(img->text), test::sample(name));
  }
}

TEST(IdcardText, EncoderRefusesWhatDoesNotFit) {
  domain::IdentityCard c;
  c.name = "一二三四五六七八九十一二三四五六";  // 16 characters in a 15-character field
  auto r = encode_text_block(c);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("name"), std::string::npos);
  EXPECT_FALSE(card_image_from_json(R"({"card_type":"resident","nmae":"x"})"));
  EXPECT_FALSE(card_image_from_json(R"({"card_type":"martian"})"));
  EXPECT_FALSE(card_image_from_json(R"({"ethnicity":"火星"})"));
  EXPECT_FALSE(card_image_from_json("[1,2]"));
}

TEST(IdcardText, JsonHasTheKeysOfTheContract) {
  domain::IdentityCard c = decode_text_block(Block().put(0, u"张三").put(30, u"1").put(32, u"01").b);
  c.photo.assign(1024, 0);
  auto j = card_to_json(c);
  for (const char* k : {"card_type", "name", "sex", "ethnicity", "birth_date", "address", "id_number",
                        "id_number_valid", "issuer", "valid_from", "valid_until", "photo_bytes"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_FALSE(j.contains("name_en"));
  EXPECT_FALSE(j.contains("nationality"));
  EXPECT_EQ(j["photo_bytes"], 1024);
  EXPECT_EQ(j["card_type"], "resident");
}

TEST(IdentityCard, ApplicantAndWipe) {
  domain::IdentityCard c;
  c.layout = CardLayout::foreign_2017;
  c.name_en = "SMITH JOHN";
  c.id_number = "USA310085061512";
  c.sex = "男";
  c.birth_date = "1985-06-15";
  c.photo.assign(1024, 7);
  auto a = c.to_applicant();
  EXPECT_EQ(a.name, "SMITH JOHN");  // no Chinese name: the English one
  EXPECT_EQ(a.id_type, "foreign_permanent");
  EXPECT_EQ(a.verified_by, "id_card_reader");
  EXPECT_EQ(c.masked_id_number(), "USA310*****1512");
  EXPECT_EQ(c.masked_name(), "S**** J***");
  domain::IdentityCard r;
  r.name = "王美娜";
  r.address = "旧址";
  r.appended_address = "新址";
  r.sex = "未知";
  auto ra = r.to_applicant();
  EXPECT_EQ(ra.address, "新址");
  EXPECT_EQ(ra.id_type, "resident");
  EXPECT_TRUE(ra.sex.empty());
  c.wipe();
  EXPECT_TRUE(c.name_en.empty());
  EXPECT_TRUE(c.photo.empty());
}

TEST(IdentityCard, EventQueue) {
  domain::IdCardEventQueue q;
  EXPECT_FALSE(q.poll());
  domain::IdCardEvent e;
  e.kind = domain::IdCardEventKind::card_read;
  e.card = domain::IdentityCard{};
  q.on_idcard_event(e);
  q.on_idcard_event(domain::IdCardEvent{});
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.wait(std::chrono::milliseconds(10))->kind, domain::IdCardEventKind::card_read);
  q.clear();
  EXPECT_FALSE(q.wait(std::chrono::milliseconds(5)));
  EXPECT_STREQ(domain::idcard_event_key(domain::IdCardEventKind::card_removed), "card_removed");
}

}  // namespace
}  // namespace bianmin::drivers::idcard
