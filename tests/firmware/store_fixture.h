// A store in a temporary directory with the mini catalogue imported.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "catalog/catalog_store.h"
#include "outbox/application_store.h"
#include "outbox/submit.h"
#include "store/store.h"
#include "support/testing.h"

namespace bianmin::testing {

inline std::string fixture(const std::string& name) {
  return source_path("tests/firmware/fixtures/" + name);
}

inline store::StoreOptions options_for(const TempDir& dir, crypto::Suite suite = crypto::Suite::standard) {
  store::StoreOptions o;
  o.data_dir = dir.path() + "/data";
  o.key_file = o.data_dir + "/device.key";
  o.suite = suite;
  o.min_free_mb = 0;
  return o;
}

inline std::unique_ptr<store::Store> open_store(const TempDir& dir, crypto::Suite suite = crypto::Suite::standard) {
  auto s = store::Store::open(options_for(dir, suite));
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(s).value() : nullptr;
}

inline catalog::Catalog import_mini(store::Store& s) {
  catalog::CatalogStore cs(s.db());
  auto rep = cs.import(read_file(fixture("mini-catalog.json")), "test");
  EXPECT_TRUE(rep.ok()) << (rep.ok() ? "" : rep.error().message);
  auto active = cs.load_active();
  EXPECT_TRUE(active.ok());
  return active.ok() ? active->catalog : catalog::Catalog{};
}

inline domain::Applicant test_applicant() {
  auto a = domain::parse_applicant_json(read_file(fixture("applicant.json")));
  EXPECT_TRUE(a.ok());
  return a.ok() ? *a : domain::Applicant{};
}

// A valid request for T-QR-0001 with one page for m1.
inline outbox::SubmitRequest valid_request(const catalog::Catalog& c, const std::string& page = "JPEG page bytes") {
  outbox::SubmitRequest r;
  r.draft.item = c.find("T-QR-0001");
  r.draft.applicant = test_applicant();
  r.draft.form = {{"phone", "0936-8212345"}, {"reason", "有效期满"}};
  r.materials.push_back({"m1", page, "image/jpeg", 1});
  return r;
}

}  // namespace bianmin::testing
