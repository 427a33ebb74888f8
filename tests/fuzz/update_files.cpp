// Fuzz target: the two files the update path reads back from disk, where
// a power cut on the FAT ESP or a full data partition may leave them short
// or torn: GRUB's environment block (update/grub_env.h) and update.json
// (update/update_record.h). Both must answer with an error, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "update/grub_env.h"
#include "update/health_check.h"
#include "update/update_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto env = bianmin::update::GrubEnv::parse(text)) {
    for (const auto& [name, value] : env->values())
      if (name.empty() || name.find('=') != std::string::npos) __builtin_trap();
    (void)bianmin::update::classify_boot(*env, "A");
    (void)bianmin::update::classify_boot(*env, "B");
  }
  if (auto r = bianmin::update::parse_update_record(text))
    if (!bianmin::update::outcome_from(bianmin::update::outcome_name(r->outcome))) __builtin_trap();
  return 0;
}
