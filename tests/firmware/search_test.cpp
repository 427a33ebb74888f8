#include <gtest/gtest.h>

#include "catalog/parse.h"
#include "catalog/pinyin.h"
#include "catalog/search.h"
#include "support/testing.h"

namespace bianmin::catalog {
namespace {

Catalog sample() {
  auto p = parse_catalog(testing::read_file(testing::source_path("tests/firmware/fixtures/mini-catalog.json")));
  EXPECT_TRUE(p.ok());
  return p->catalog;
}

std::vector<std::string> codes(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(h.item->code);
  return out;
}

TEST(Pinyin, TableHasCommonAndPolyphonicReadings) {
  auto has = [](char32_t c, std::string_view syl) {
    for (auto id : pinyin::readings(c))
      if (pinyin::syllable(id) == syl) return true;
    return false;
  };
  EXPECT_TRUE(has(U'身', "shen"));
  EXPECT_TRUE(has(U'份', "fen"));
  EXPECT_TRUE(has(U'证', "zheng"));
  EXPECT_TRUE(has(U'重', "chong"));
  EXPECT_TRUE(has(U'重', "zhong"));
  EXPECT_TRUE(has(U'长', "chang"));
  EXPECT_TRUE(has(U'绿', "lv"));
  EXPECT_TRUE(pinyin::readings(U'A').empty());
  EXPECT_GT(pinyin::syllable_count(), 400u);
}

class Search : public ::testing::Test {
 protected:
  Catalog catalog = sample();
  SearchIndex index{catalog};
  std::vector<std::string> find(const std::string& text) {
    SearchQuery q;
    q.text = text;
    return codes(index.search(q));
  }
};

TEST_F(Search, PinyinInitialsFullAndMixed) {
  for (const char* q : {"sfz", "shenfen", "shenfz", "sfzheng", "SFZ", "shen fen", "jmsfz", "huanling", "hl"})
    EXPECT_EQ(find(q), std::vector<std::string>{"T-QR-0001"}) << q;
}

TEST_F(Search, HanziSubstringAndPolyphones) {
  EXPECT_EQ(find("身份证"), std::vector<std::string>{"T-QR-0001"});
  EXPECT_EQ(find("取水"), std::vector<std::string>{"T-XK-0002"});
  EXPECT_EQ(find("chongqing"), std::vector<std::string>{"T-XK-0002"});
  EXPECT_EQ(find("cq"), std::vector<std::string>{"T-XK-0002"});
  EXPECT_EQ(find("80"), std::vector<std::string>{"T-GF-0004"});
  EXPECT_EQ(find("80zs"), std::vector<std::string>{"T-GF-0004"});
  EXPECT_EQ(find("gljt"), std::vector<std::string>{"T-GF-0004"});
}

TEST_F(Search, NoFalseMatches) {
  EXPECT_TRUE(find("xyzzy").empty());
  EXPECT_TRUE(find("sfzx").empty());
  EXPECT_TRUE(find("护照").empty());
  EXPECT_EQ(find("zs"), std::vector<std::string>{"T-GF-0004"});  // 周岁, not 证…
}

TEST_F(Search, PrefixMatchesRankFirst) {
  SearchQuery q;
  q.text = "j";
  auto hits = index.search(q);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].item->code, "T-QR-0001");  // 居… starts with j
}

TEST_F(Search, FiltersByCategoryDepartmentAndKiosk) {
  SearchQuery q;
  q.category = Category::licensing;
  EXPECT_EQ(codes(index.search(q)), std::vector<std::string>{"T-XK-0002"});
  q = {};
  q.department = "梁家墩镇人民政府";
  EXPECT_EQ(codes(index.search(q)), std::vector<std::string>{"T-GF-0004"});
  q = {};
  q.kiosk_only = true;
  EXPECT_EQ(index.search(q).size(), 2u);
  q.limit = 1;
  EXPECT_EQ(index.search(q).size(), 1u);
  EXPECT_EQ(index.departments().size(), 3u);
}

TEST(SearchSample, EveryCategoryAndIdCardItemsInTheShippedCatalogue) {
  auto text = testing::read_file(testing::sample_catalog_path());
  if (text.empty()) GTEST_SKIP() << "sample catalogue not present";
  auto p = parse_catalog(text);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_TRUE(p->skipped.empty()) << p->skipped[0].reason;
  EXPECT_GE(p->catalog.items.size(), 60u);
  int per_category[kCategoryCount] = {};
  for (const auto& it : p->catalog.items) ++per_category[static_cast<int>(it.category)];
  for (int c = 0; c < kCategoryCount; ++c) EXPECT_GT(per_category[c], 0) << category_key(static_cast<Category>(c));
  SearchIndex index(p->catalog);
  SearchQuery q;
  q.text = "sfz";
  auto hits = index.search(q);
  ASSERT_GE(hits.size(), 2u);
  for (const auto& h : hits) EXPECT_NE(h.item->name.find("身份证"), std::string::npos) << h.item->name;
}

}  // namespace
}  // namespace bianmin::catalog

namespace bianmin::catalog {
namespace {

TEST(Synonyms, EverydayNamesFindLegalNames) {
  auto p = parse_catalog(testing::read_file(testing::source_path("tests/firmware/fixtures/mini-catalog.json")));
  SearchIndex index(p->catalog, parse_synonyms("# comment\n换证 换领\n\n老年补贴 高龄津贴\nbroken-line\n"));
  for (const char* q : {"换证", "huanzheng", "hz", "老年补贴", "lnbt"}) {
    SearchQuery sq;
    sq.text = q;
    auto hits = index.search(sq);
    ASSERT_EQ(hits.size(), 1u) << q;
  }
  SearchQuery all;
  EXPECT_EQ(index.search(all).size(), 3u) << "aliases never show up as extra items";
  EXPECT_EQ(index.size(), 3u);
}

TEST(Synonyms, BuiltinTableIsCompiledIn) {
  const auto& table = builtin_synonyms();
  ASSERT_GT(table.size(), 20u);
  bool dibao = false;
  for (const auto& s : table) dibao = dibao || (s.alias == "低保" && s.target == "最低生活保障");
  EXPECT_TRUE(dibao);
}

}  // namespace
}  // namespace bianmin::catalog
