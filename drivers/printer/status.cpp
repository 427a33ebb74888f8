#include "printer/status.h"

namespace bianmin::drivers::printer {

const char* state_key(PrinterState s) {
  switch (s) {
    case PrinterState::ok: return "ok";
    case PrinterState::paper_low: return "paper_low";
    case PrinterState::paper_out: return "paper_out";
    case PrinterState::cover_open: return "cover_open";
    case PrinterState::offline: return "offline";
    case PrinterState::error: return "error";
    case PrinterState::absent: return "absent";
  }
  return "error";
}

const char* state_message(PrinterState s) {
  switch (s) {
    case PrinterState::ok: return "打印机就绪 / the printer is ready";
    case PrinterState::paper_low: return "打印纸即将用完 / the printer's paper is low";
    case PrinterState::paper_out: return "打印纸用完 / the printer is out of paper";
    case PrinterState::cover_open: return "打印机纸仓盖未关 / the printer's cover is open";
    case PrinterState::offline: return "打印机离线 / the printer is offline";
    case PrinterState::error: return "打印机故障 / the printer reports an error";
    case PrinterState::absent: return "未连接打印机 / no printer is connected";
  }
  return "";
}

bool valid_status_byte(uint8_t b) { return (b & 0x12) == 0x12; }

std::optional<uint8_t> find_status_byte(std::string_view reply) {
  for (std::size_t i = reply.size(); i > 0; --i) {
    const auto b = static_cast<uint8_t>(reply[i - 1]);
    if (valid_status_byte(b)) return b;
  }
  return std::nullopt;
}

Result<PrinterStatus> interpret_status(const StatusBytes& b) {
  for (const auto& v : {b.printer, b.offline_cause, b.error_cause, b.paper})
    if (v && !valid_status_byte(*v))
      return make_error("status_invalid", "the printer's status answer does not look like DLE EOT");
  PrinterStatus st;
  st.two_way = b.printer || b.offline_cause || b.error_cause || b.paper;
  bool offline = false, cover = false, paper_out = false, error = false, low = false;
  if (b.printer && (*b.printer & 0x08)) { offline = true; st.flags.push_back("offline"); }
  if (b.offline_cause) {
    const uint8_t v = *b.offline_cause;
    if (v & 0x04) { cover = true; st.flags.push_back("cover_open"); }
    if (v & 0x08) st.flags.push_back("feed_button");
    if (v & 0x20) { paper_out = true; st.flags.push_back("stopped_by_paper_end"); }
    if (v & 0x40) { error = true; st.flags.push_back("error"); }
  }
  if (b.error_cause) {
    const uint8_t v = *b.error_cause;
    if (v & 0x08) { error = true; st.flags.push_back("recoverable_error"); }
    if (v & 0x20) { error = true; st.flags.push_back("unrecoverable_error"); }
    if (v & 0x40) { error = true; st.flags.push_back("auto_recoverable_error"); }
  }
  if (b.paper) {
    const uint8_t v = *b.paper;
    if (v & 0x60) { paper_out = true; st.flags.push_back("paper_end"); }
    if (v & 0x0C) { low = true; st.flags.push_back("paper_near_end"); }
  }
  // The cause a person can fix first comes first.
  st.state = cover ? PrinterState::cover_open
             : paper_out ? PrinterState::paper_out
             : error ? PrinterState::error
             : offline ? PrinterState::offline
             : low ? PrinterState::paper_low
                   : PrinterState::ok;
  return st;
}

PrinterStatus interpret_port_status(uint8_t b) {
  PrinterStatus st;
  st.two_way = true;
  const bool paper_out = b & 0x20, selected = b & 0x10, no_error = b & 0x08;
  if (paper_out) st.flags.push_back("paper_empty");
  if (!selected) st.flags.push_back("not_selected");
  if (!no_error) st.flags.push_back("error");
  st.state = paper_out ? PrinterState::paper_out
             : !no_error ? PrinterState::error
             : !selected ? PrinterState::offline
                         : PrinterState::ok;
  return st;
}

Result<DeviceId> parse_device_id(std::string_view reply) {
  if (reply.size() < 2) return make_error("device_id_invalid", "device ID reply shorter than its length field");
  const auto hi = static_cast<uint8_t>(reply[0]), lo = static_cast<uint8_t>(reply[1]);
  const std::size_t be = std::size_t{hi} << 8 | lo, le = std::size_t{lo} << 8 | hi;
  std::size_t len = 0;
  if (be >= 2 && be <= reply.size()) len = be;
  else if (le >= 2 && le <= reply.size()) len = le;
  else return make_error("device_id_invalid", "device ID length does not match the reply");
  DeviceId id;
  id.raw = std::string(reply.substr(2, len - 2));
  std::size_t pos = 0;
  while (pos < id.raw.size()) {
    std::size_t end = id.raw.find(';', pos);
    if (end == std::string::npos) end = id.raw.size();
    const std::string_view field(id.raw.data() + pos, end - pos);
    const std::size_t colon = field.find(':');
    if (colon != std::string_view::npos) {
      std::string_view key = field.substr(0, colon);
      while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
      const std::string value(field.substr(colon + 1));
      if (key == "MFG" || key == "MANUFACTURER") id.manufacturer = value;
      else if (key == "MDL" || key == "MODEL") id.model = value;
      else if (key == "CMD" || key == "COMMAND SET") id.command_set = value;
      else if (key == "DES" || key == "DESCRIPTION") id.description = value;
    }
    pos = end + 1;
  }
  return id;
}

}  // namespace bianmin::drivers::printer
