// Scanners read through hidraw: the HID report descriptor says where a
// report's fields are; this file finds them and decodes input reports.
//
// Two personalities (spec devices.md 3.2):
//  - HID POS, usage page 0x8C "Bar Code Scanner": the whole code arrives in
//    scanned-data reports (usage 0x12) whose Decoded Data field (0xFE)
//    holds the bytes, Symbology Identifier 1–3 (0xFB–0xFD) the AIM
//    identifier ("]Q1" QR, "]E0" EAN-13, "]C0" Code 128 …) and Decoded
//    Data Continued (0xFF) says that more reports follow;
//  - a keyboard-mode scanner (usage page 0x01, usage 0x06) read raw: its
//    reports are key usages with a modifier byte, turned into key events for
//    the same KeyDecoder as evdev.
//
// Lengths and offsets come from the descriptor, never assumed. When no
// descriptor can be read (a pipe, some bridges), the layout that HID POS
// scanners in the field use (report ID 2: length byte, three AIM bytes, 56
// data bytes, continued flag at the end; Honeywell) is the fallback, and an
// 8-byte report without report ID is taken as a boot keyboard report.
//
// Pure: bytes in, values out. Fuzzed (tests/fuzz/scanner_hid.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "scanner/key_decoder.h"

namespace bianmin::drivers::scanner {

struct HidPosLayout {
  uint8_t report_id = 0;        // 0: reports carry no ID byte
  std::size_t data_offset = 0;  // bytes after the report ID
  std::size_t data_bytes = 0;
  std::optional<std::size_t> aim_offset;     // 3 bytes
  std::optional<std::size_t> length_offset;  // a one-byte count of valid data bytes
  std::optional<std::size_t> continued_offset;  // byte holding the Continued flag
  uint8_t continued_mask = 0x01;
};

struct HidKeyboardLayout {
  uint8_t report_id = 0;
  std::size_t modifier_offset = 0;
  std::size_t keys_offset = 2;
  std::size_t key_count = 6;
};

struct HidLayout {
  enum class Kind { pos, keyboard } kind = Kind::pos;
  HidPosLayout pos;
  HidKeyboardLayout keyboard;
  bool from_descriptor = false;
};

// Parses a report descriptor (HIDIOCGRDESC). "hid_descriptor_invalid"
// when it is malformed, "hid_not_scanner" when it declares neither a
// HID POS scanned-data field nor a keyboard.
Result<HidLayout> parse_report_descriptor(std::string_view desc);
// The fallback layout above (HID POS, report ID 2).
HidLayout fallback_pos_layout();

struct ScannedData {
  std::string bytes;        // the code as the scanner decoded it
  std::string aim;          // "]Q1", or "" when the scanner sent none
};

// Reassembles HID POS scanned-data reports (Continued flag) into codes.
class HidPosDecoder {
 public:
  explicit HidPosDecoder(HidPosLayout layout, std::size_t max_bytes = 8192) : l_(layout), max_(max_bytes) {}
  // One input report as read from hidraw (report ID byte first when the
  // layout has one). Returns a code when the report completes one; an
  // error for a report that does not fit the layout ("hid_report_invalid").
  Result<std::optional<ScannedData>> feed(std::string_view report);

 private:
  HidPosLayout l_;
  std::size_t max_;
  std::string buf_;
  std::string aim_;
};

// Turns keyboard reports (modifier bits + pressed key usages) into key
// press/release events for KeyDecoder.
class HidKeyboardDecoder {
 public:
  explicit HidKeyboardDecoder(HidKeyboardLayout layout) : l_(layout) {}
  Result<std::vector<KeyEvent>> feed(std::string_view report, int64_t time_us);

 private:
  HidKeyboardLayout l_;
  uint8_t mods_ = 0;
  std::vector<uint8_t> keys_;
};

// The AIM symbology identifier (ISO/IEC 15424, "]Q1") as a ZXing format
// name ("QRCode", "EAN-13", "Code128" …), or "unknown".
std::string aim_to_format(std::string_view aim);

// For simulators: a descriptor of the fallback layout (with a vendor-page
// length byte), and the reports that carry `data` with AIM id `aim`.
std::string pos_report_descriptor();
std::vector<std::string> pos_reports(std::string_view data, std::string_view aim);
// A boot-keyboard descriptor (8-byte reports, no report ID).
std::string keyboard_report_descriptor();

}  // namespace bianmin::drivers::scanner
