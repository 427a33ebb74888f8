// Fuzz target: applicant and form JSON (files handed to `bianmin submit`,
// and the same shapes the kiosk builds from user input).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/application.h"
#include "domain/id_number.h"
#include "domain/masking.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto a = bianmin::domain::parse_applicant_json(text);
  if (a.ok()) {
    (void)bianmin::domain::check_id_number(a->id_number);
    (void)bianmin::domain::mask_name(a->name);
    (void)bianmin::domain::mask_id_number(a->id_number);
  }
  (void)bianmin::domain::parse_form_json(text);
  (void)bianmin::domain::mask_name(text);
  return 0;
}
