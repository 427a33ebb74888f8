// Fuzz target: the printer status parsers (DLE EOT answers, the Centronics
// port-status byte, the IEEE 1284 device ID) take bytes from the printer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "printer/status.h"

using namespace bianmin::drivers::printer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)find_status_byte(bytes);
  (void)parse_device_id(bytes);
  if (size >= 1) (void)interpret_port_status(data[0]);
  if (size >= 5) {
    // First byte: which of the four answers arrived; then the answers.
    StatusBytes b;
    if (data[0] & 1) b.printer = data[1];
    if (data[0] & 2) b.offline_cause = data[2];
    if (data[0] & 4) b.error_cause = data[3];
    if (data[0] & 8) b.paper = data[4];
    auto st = interpret_status(b);
    if (st) (void)state_key(st->state);
  }
  return 0;
}
