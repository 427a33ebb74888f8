// libFuzzer target: decoding the card's text block (all layouts), the
// base-info length fields and the appended address. Invariants: no crash,
// and the decoded text is always valid UTF-8 (the strict JSON dump throws,
// and so fails the run, if it is not).
#include <cstddef>
#include <cstdint>
#include <span>

#include "idcard/card_json.h"
#include "idcard/card_text.h"

using namespace bianmin::drivers::idcard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  auto card = decode_text_block(in);
  (void)card_to_json(card).dump();
  (void)card.to_applicant();
  (void)card.masked_name();
  (void)card.masked_id_number();
  for (bool fp : {false, true}) {
    auto info = decode_base_info(in, fp);
    if (info) (void)card_to_json(*info).dump();
  }
  (void)nlohmann::json(decode_appended_address(in)).dump();
  return 0;
}
