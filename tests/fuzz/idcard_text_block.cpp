// libFuzzer target: decoding the card's text block (all layouts), the
// base-info length fields and the appended address. Invariants: no crash,
// and every decoded text field is valid UTF-8 (it goes to screens, JSON and
// logs), whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "base/bytes.h"
#include "idcard/card_json.h"
#include "idcard/card_text.h"

using namespace bianmin::drivers::idcard;

namespace {

void check(const bianmin::domain::IdentityCard& c) {
  for (const std::string* s : {&c.name, &c.name_en, &c.sex, &c.sex_code, &c.ethnicity, &c.ethnicity_code,
                               &c.birth_date, &c.address, &c.id_number, &c.issuer, &c.valid_from, &c.valid_until,
                               &c.nationality, &c.pass_number, &c.issue_count, &c.card_version, &c.renewal_count,
                               &c.previous_number_link})
    if (!bianmin::is_valid_utf8(*s)) std::abort();
  (void)card_to_json(c);
  (void)c.to_applicant();
  (void)c.masked_name();
  (void)c.masked_id_number();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  check(decode_text_block(in));
  for (bool fp : {false, true}) {
    auto info = decode_base_info(in, fp);
    if (info) check(*info);
  }
  if (!bianmin::is_valid_utf8(decode_appended_address(in))) std::abort();
  return 0;
}
