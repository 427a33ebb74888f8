// JSON from outside is refused when it nests deeper than any document of
// the spec, everywhere it enters the core, instead of crashing the process
// that walks it (issue 16, item 1: 30,000 '[' segfaulted the central).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "audit/export.h"
#include "audit/jcs.h"
#include "base/json_input.h"
#include "catalog/parse.h"
#include "domain/application.h"
#include "store_fixture.h"

namespace bianmin {
namespace {

using json = nlohmann::json;

std::string nested(std::size_t levels, std::string inner = "1") {
  return std::string(levels, '[') + inner + std::string(levels, ']');
}

// A value nested `levels` deep, built without recursion or copies.
json deep_value(int levels) {
  json root = json::array();
  json* cur = &root;
  for (int i = 1; i < levels; ++i) {
    cur->push_back(json::array());
    cur = &cur->back();
  }
  return root;
}

TEST(JsonInput, DepthIsCountedOutsideStringsOnly) {
  EXPECT_FALSE(json_too_deep_at(nested(64)));
  EXPECT_EQ(json_too_deep_at(nested(65)), 64u);
  // Brackets inside strings (and escaped quotes) do not nest.
  EXPECT_FALSE(json_too_deep_at("[\"" + std::string(500, '[') + "\\\"" + std::string(500, '{') + "\"]"));
  EXPECT_EQ(json_too_deep_at(R"({"a":{"b":[{"c":1}]}})", 3), 11u);
}

TEST(JsonInput, TooDeepAndInvalidAreTold) {
  auto deep = parse_json(nested(30000));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, "json_too_deep");
  EXPECT_NE(deep.error().message.find("64 levels"), std::string::npos) << deep.error().message;
  auto bad = parse_json("{\"a\":");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "json_invalid");
  auto fine = parse_json(nested(64));
  ASSERT_TRUE(fine.ok()) << fine.error().message;
  EXPECT_EQ(json_depth(*fine), 64);
  EXPECT_EQ(json_depth(json(3)), 0);
}

TEST(JsonInput, CanonicalJsonRefusesWhatWouldOverflowTheStack) {
  EXPECT_NO_THROW((void)audit::canonical_json(deep_value(kMaxJsonDepth)));
  EXPECT_THROW((void)audit::canonical_json(deep_value(kMaxJsonDepth + 1)), std::invalid_argument);
  EXPECT_THROW((void)audit::canonical_json(deep_value(100000)), std::invalid_argument);
}

TEST(JsonInput, EveryCoreParserRefusesDeepNesting) {
  const std::string deep = "{\"x\":" + nested(30000) + "}";
  auto cat = catalog::parse_catalog(deep);
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.error().code, "catalog_invalid");
  EXPECT_NE(cat.error().message.find("nested deeper"), std::string::npos) << cat.error().message;
  auto app = domain::parse_applicant_json(deep);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.error().code, "input_invalid");
  EXPECT_NE(app.error().message.find("nested deeper"), std::string::npos) << app.error().message;
  auto form = domain::parse_form_json(deep);
  ASSERT_FALSE(form.ok());
  auto exp = audit::parse_export(R"({"entries":[{"seq":1,"at":"x","type":"t","data":)" + nested(30000) +
                                 R"(,"prev_hash":"","hash":""}]})");
  ASSERT_FALSE(exp.ok());
  EXPECT_EQ(exp.error().code, "input_invalid");
}

// The technician's command on a hostile export: a clear refusal, exit 2.
TEST(JsonInput, AuditVerifyOfADeepExportIsRefused) {
  testing::TempDir dir;
  const std::string file = dir.file("export.json");
  // An entry whose data nests deeper than the limit, but is a well-formed
  // chain otherwise: before the fix verify's JCS walk blew the stack.
  testing::write_file(file, R"({"entries":[{"seq":1,"at":"2026-11-22T09:30:00+08:00","type":"t","data":)" +
                                nested(200000) + R"(,"prev_hash":")" + std::string(64, '0') + R"(","hash":"00"}]})");
  auto r = testing::run_bianmin({"--data-dir", dir.file("data"), "audit", "verify", "--file", file});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("nested deeper than 64 levels"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bianmin
