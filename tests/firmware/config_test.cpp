#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"

namespace bianmin::config {
namespace {

TEST(Config, DefaultsAreDocumentedAndUsable) {
  Config c;
  EXPECT_EQ(c.data_dir(), "/var/lib/bianmin");
  EXPECT_EQ(c.key_file(), "/var/lib/bianmin/device.key");
  EXPECT_EQ(c.integer("store.busy_timeout_ms"), 5000);
  for (const auto& s : settings()) EXPECT_FALSE(s.doc.empty()) << s.name;
}

TEST(Config, TomlOverridesDefaultsAndWarnsOnUnknownKeys) {
  Config c;
  std::vector<std::string> warnings;
  auto st = c.merge_toml("[terminal]\ndata_dir = \"/srv/t\"\ncode = \"K03\"\ncolour = \"red\"\n"
                         "[store]\nbusy_timeout_ms = 250\n",
                         "t.toml", &warnings);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(c.data_dir(), "/srv/t");
  EXPECT_EQ(c.str("terminal.code"), "K03");
  EXPECT_EQ(c.integer("store.busy_timeout_ms"), 250);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("terminal.colour"), std::string::npos);
}

TEST(Config, WrongTypeNamesKeyAndLine) {
  Config c;
  auto st = c.merge_toml("[store]\n\nbusy_timeout_ms = \"soon\"\n", "t.toml", nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("t.toml:3"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("store.busy_timeout_ms"), std::string::npos);
}

TEST(Config, MalformedTomlGivesPosition) {
  Config c;
  auto st = c.merge_toml("[terminal\ndata_dir = 1", "bad.toml", nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "config_invalid");
  EXPECT_NE(st.error().message.find("bad.toml:1"), std::string::npos) << st.error().message;
}

TEST(Config, DeeplyDottedKeysAreRefusedNotACrash) {
  // toml++ recursed once per level: 100,000 levels overflowed the stack
  // (seeds tests/fuzz/corpus/config_toml/nest-{dotted,header,array-of-tables}-100k.toml).
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += ".a";
  for (const std::string& text : {"[log]\nlevel = \"info\"\nterminal" + deep + " = 1\n",
                                  "[log]\nlevel = \"info\"\n[terminal" + deep + "]\nk = 1\n",
                                  "[log]\nlevel = \"info\"\n[[terminal" + deep + "]]\nk = 1\n"}) {
    Config c;
    auto st = c.merge_toml(text, "deep.toml", nullptr);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, "config_invalid");
    EXPECT_NE(st.error().message.find("deep.toml:3"), std::string::npos) << st.error().message.substr(0, 200);
  }
  // Dots in strings, comments and multi-line strings are not keys; a few
  // dotted levels are fine.
  const std::string many(200, '.');
  Config c;
  std::vector<std::string> warnings;
  auto st = c.merge_toml("[terminal]\nhall_name = \"" + many + "\\\"" + many + "\" # " + many +
                             "\nmodel = \"\"\"\n" + many + "\n\"\"\"\nserial = '" + many + "'\n[x.y.z]\nw = 1.5\n",
                         "ok.toml", &warnings);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(c.str("terminal.hall_name").size(), 401u);
}

// Issue 13, fuzz_config_toml: a float where an integer belongs is a type
// error. toml++'s value<int64_t>() converted 1.9e+26 to int64 (undefined
// behaviour, caught by UBSan; seed config_toml/regress-ubsan-float-to-int.toml)
// before the node's type was looked at.
TEST(Config, AFloatWhereAnIntegerBelongsIsATypeError) {
  for (const char* v : {"192233720368547222222222222.222222222222", "1e300", "-1e300", "nan", "inf", "250.0"}) {
    Config c;
    auto st = c.merge_toml(std::string("[store]\nbusy_timeout_ms = ") + v + "\n", "t.toml", nullptr);
    ASSERT_FALSE(st.ok()) << v;
    EXPECT_EQ(st.error().code, "config_invalid") << v;
    EXPECT_NE(st.error().message.find("t.toml:2: store.busy_timeout_ms has an unsupported type"), std::string::npos)
        << st.error().message;
  }
}

TEST(Config, BadValuesAreRefused) {
  Config c;
  EXPECT_FALSE(c.merge_toml("[terminal]\ncrypto_suite = \"rot13\"\n", "t", nullptr).ok());
  EXPECT_FALSE(c.merge_toml("[log]\nlevel = \"loud\"\n", "t", nullptr).ok());
  EXPECT_FALSE(c.merge_toml("[store]\nbusy_timeout_ms = -1\n", "t", nullptr).ok());
  EXPECT_EQ(c.str("terminal.crypto_suite"), "standard") << "a refused value changes nothing";
}

TEST(Config, CommandLineOverridesParseToTheSettingType) {
  Config c;
  ASSERT_TRUE(c.set_override("store.busy_timeout_ms=100").ok());
  EXPECT_EQ(c.integer("store.busy_timeout_ms"), 100);
  EXPECT_FALSE(c.set_override("store.busy_timeout_ms=fast").ok());
  EXPECT_FALSE(c.set_override("nosuch.key=1").ok());
  EXPECT_FALSE(c.set_override("missing-equals").ok());
  ASSERT_TRUE(c.set_override("terminal.crypto_suite=gm").ok());
  EXPECT_EQ(c.str("terminal.crypto_suite"), "gm");
}

}  // namespace
}  // namespace bianmin::config
