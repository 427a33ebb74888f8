// What the two sd-bus users of this directory (system_bus.cpp,
// rauc_client.cpp) share: owners of an sd_bus_error and a message, and the
// Error a failed call becomes. Included by .cpp files only.
#pragma once

#include <systemd/sd-bus.h>

#include <cstring>
#include <memory>
#include <string>

#include "base/result.h"

namespace bianmin::update {

struct BusError {
  sd_bus_error e{};  // SD_BUS_ERROR_NULL, without its C compound literal
  BusError() = default;
  BusError(const BusError&) = delete;
  BusError& operator=(const BusError&) = delete;
  ~BusError() { sd_bus_error_free(&e); }
};

struct MessageUnref {
  void operator()(sd_bus_message* m) const { sd_bus_message_unref(m); }
};
using BusMessage = std::unique_ptr<sd_bus_message, MessageUnref>;

// "<call>: <D-Bus error message or errno text>", code "bus_failed".
inline Error bus_error(const char* call, const sd_bus_error& e, int r) {
  std::string msg = std::string(call) + ": ";
  msg += e.message ? e.message : std::strerror(-r);
  return make_error("bus_failed", msg);
}

inline Error errno_bus_error(const char* call, int r) {
  return make_error("bus_failed", std::string(call) + ": " + std::strerror(-r));
}

}  // namespace bianmin::update
