// Fuzz target: the TOML configuration (a technician edits it by hand).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bianmin::config::Config c;
  std::vector<std::string> warnings;
  (void)c.merge_toml(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml", &warnings);
  (void)c.set_override(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
