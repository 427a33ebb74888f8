#include "scanner/hid_report.h"

#include <algorithm>
#include <map>

namespace bianmin::drivers::scanner {
namespace {

constexpr uint32_t kPagePos = 0x8C, kPageKeyboard = 0x07, kPageDesktop = 0x01;
constexpr uint32_t usage(uint32_t page, uint32_t id) { return (page << 16) | id; }

struct Field {
  uint8_t report_id;
  uint32_t bit_offset;  // after the report ID byte
  uint32_t bit_size;
  uint32_t count;
  bool variable, constant;
  std::vector<uint32_t> usages;  // page << 16 | id
  uint32_t usage_min = 0, usage_max = 0;  // for arrays declared by a range
};

struct Globals {
  uint32_t usage_page = 0, report_size = 0, report_count = 0;
  uint8_t report_id = 0;
};

uint32_t item_value(std::string_view d, std::size_t pos, std::size_t n) {
  uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(d[pos + i])) << (8 * i);
  return v;
}

}  // namespace

Result<HidLayout> parse_report_descriptor(std::string_view d) {
  Globals g;
  std::vector<Globals> stack;
  std::vector<uint32_t> usages;
  uint32_t umin = 0, umax = 0;
  bool have_min = false, have_max = false;
  std::vector<Field> fields;
  std::map<uint8_t, uint32_t> offsets;  // input bits used so far, per report ID
  std::vector<uint32_t> app_usages;     // usages of application collections
  int depth = 0;
  bool has_ids = false;
  auto bad = [](const char* why) { return make_error("hid_descriptor_invalid", std::string("HID report descriptor: ") + why); };
  auto full = [&](uint32_t u, std::size_t size) { return size == 4 ? u : usage(g.usage_page, u & 0xFFFF); };

  for (std::size_t i = 0; i < d.size();) {
    const auto prefix = static_cast<unsigned char>(d[i]);
    if (prefix == 0xFE) {  // long item: skip
      if (i + 2 >= d.size()) return bad("truncated long item");
      i += 3 + static_cast<unsigned char>(d[i + 1]);
      continue;
    }
    const std::size_t size = (prefix & 3) == 3 ? 4 : (prefix & 3);
    const unsigned type = (prefix >> 2) & 3, tag = prefix >> 4;
    if (i + 1 + size > d.size()) return bad("truncated item");
    const uint32_t v = item_value(d, i + 1, size);
    i += 1 + size;
    if (type == 1) {  // global
      switch (tag) {
        case 0: g.usage_page = v & 0xFFFF; break;
        case 7: g.report_size = v; break;
        case 8:
          if (v == 0 || v > 255) return bad("report ID out of range");
          g.report_id = static_cast<uint8_t>(v);
          has_ids = true;
          break;
        case 9: g.report_count = v; break;
        case 10:
          if (stack.size() >= 16) return bad("push nested too deep");
          stack.push_back(g);
          break;
        case 11:
          if (stack.empty()) return bad("pop without push");
          g = stack.back();
          stack.pop_back();
          break;
        default: break;
      }
    } else if (type == 2) {  // local
      switch (tag) {
        case 0:
          if (usages.size() < 1024) usages.push_back(full(v, size));
          break;
        case 1: umin = full(v, size), have_min = true; break;
        case 2: umax = full(v, size), have_max = true; break;
        default: break;
      }
    } else if (type == 0) {  // main
      if (tag == 8) {  // Input
        if (g.report_size == 0 || g.report_size > 32 || g.report_count > 4096)
          return bad("report size or count out of range");
        Field f{g.report_id, offsets[g.report_id], g.report_size, g.report_count, (v & 2) != 0, (v & 1) != 0,
                usages, 0, 0};
        if (have_min && have_max) {
          f.usage_min = umin;
          f.usage_max = umax;
          if (f.variable && f.usages.empty() && umax >= umin && umax - umin < 1024)
            // Counted, not `u <= umax`: a range ending at 0xFFFFFFFF would wrap forever.
            for (uint32_t k = 0; k <= umax - umin; ++k) f.usages.push_back(umin + k);
        }
        const uint64_t end = uint64_t{f.bit_offset} + uint64_t{g.report_size} * g.report_count;
        if (end > 8 * 4096) return bad("report longer than 4096 bytes");
        offsets[g.report_id] = static_cast<uint32_t>(end);
        fields.push_back(std::move(f));
      } else if (tag == 10) {  // Collection
        if (++depth > 32) return bad("collections nested too deep");
        if ((v & 0xFF) == 1 && !usages.empty()) app_usages.push_back(usages.front());
      } else if (tag == 12) {  // End Collection
        if (--depth < 0) return bad("end collection without collection");
      }
      usages.clear();
      have_min = have_max = false;
    }
  }

  HidLayout out;
  out.from_descriptor = true;
  auto has = [](const Field& f, uint32_t u) { return std::find(f.usages.begin(), f.usages.end(), u) != f.usages.end(); };
  const Field* data = nullptr;
  for (const auto& f : fields)
    if (!f.constant && f.bit_size == 8 && f.bit_offset % 8 == 0 && has(f, usage(kPagePos, 0xFE))) {
      data = &f;
      break;
    }
  if (data) {
    HidPosLayout& p = out.pos;
    p.report_id = has_ids ? data->report_id : 0;
    p.data_offset = data->bit_offset / 8;
    p.data_bytes = data->count;
    std::size_t first = p.data_offset;
    for (const auto& f : fields) {
      if (f.report_id != data->report_id || f.constant) continue;
      for (std::size_t k = 0; k < f.usages.size() && f.variable; ++k) {
        const uint32_t bit = f.bit_offset + static_cast<uint32_t>(k) * f.bit_size;
        if (f.usages[k] == usage(kPagePos, 0xFB) && f.bit_size == 8 && bit % 8 == 0 && !p.aim_offset) {
          p.aim_offset = bit / 8;
          first = std::min<std::size_t>(first, bit / 8);
        }
        if (f.usages[k] == usage(kPagePos, 0xFF) && !p.continued_offset) {
          p.continued_offset = bit / 8;
          p.continued_mask = static_cast<uint8_t>(1u << (bit % 8));
        }
      }
    }
    // A one-byte field just before the symbology/data fields, declared by
    // none of their usages, is the count of valid data bytes (as HID POS
    // scanners in the field send it).
    for (const auto& f : fields)
      if (f.report_id == data->report_id && !f.constant && f.bit_size == 8 && f.count == 1 &&
          f.bit_offset % 8 == 0 && f.bit_offset / 8 + 1 == first && !has(f, usage(kPagePos, 0xFB)) &&
          !has(f, usage(kPagePos, 0xFE)) && !has(f, usage(kPagePos, 0xFF)))
        p.length_offset = f.bit_offset / 8;
    out.kind = HidLayout::Kind::pos;
    return out;
  }
  // Keyboard: a key-usage array and (usually) the modifier bits.
  const Field* keys = nullptr;
  const Field* mods = nullptr;
  for (const auto& f : fields) {
    if (f.constant) continue;
    const bool kbd_range = (f.usage_min >> 16) == kPageKeyboard || (!f.usages.empty() && (f.usages.front() >> 16) == kPageKeyboard);
    if (!f.variable && f.bit_size == 8 && f.bit_offset % 8 == 0 && kbd_range && !keys) keys = &f;
    if (f.variable && f.bit_size == 1 && f.count == 8 && f.bit_offset % 8 == 0 && has(f, usage(kPageKeyboard, 0xE0)) && !mods)
      mods = &f;
  }
  const bool keyboard_app =
      std::find(app_usages.begin(), app_usages.end(), usage(kPageDesktop, 0x06)) != app_usages.end();
  if (keys && (keyboard_app || mods)) {
    out.kind = HidLayout::Kind::keyboard;
    out.keyboard.report_id = has_ids ? keys->report_id : 0;
    out.keyboard.keys_offset = keys->bit_offset / 8;
    out.keyboard.key_count = std::min<std::size_t>(keys->count, 32);
    out.keyboard.modifier_offset = mods && mods->report_id == keys->report_id ? mods->bit_offset / 8 : SIZE_MAX;
    return out;
  }
  return make_error("hid_not_scanner",
                    "the HID device is neither a HID POS scanner (usage page 0x8C) nor a keyboard-mode scanner");
}

HidLayout fallback_pos_layout() {
  HidLayout l;
  l.kind = HidLayout::Kind::pos;
  l.pos.report_id = 2;
  l.pos.length_offset = 0;
  l.pos.aim_offset = 1;
  l.pos.data_offset = 4;
  l.pos.data_bytes = 56;
  l.pos.continued_offset = 62;
  l.pos.continued_mask = 0x01;
  return l;
}

Result<std::optional<ScannedData>> HidPosDecoder::feed(std::string_view report) {
  if (l_.report_id != 0) {
    if (report.empty()) return make_error("hid_report_invalid", "empty HID report");
    if (static_cast<uint8_t>(report[0]) != l_.report_id) return std::optional<ScannedData>();  // another report
    report.remove_prefix(1);
  }
  if (report.size() <= l_.data_offset)
    return make_error("hid_report_invalid", "HID POS report shorter than its data field");
  const std::size_t avail = std::min(l_.data_bytes, report.size() - l_.data_offset);
  std::string_view data = report.substr(l_.data_offset, avail);
  bool counted = false;
  if (l_.length_offset && *l_.length_offset < report.size()) {
    const auto n = static_cast<unsigned char>(report[*l_.length_offset]);
    if (n <= avail) {
      data = data.substr(0, n);
      counted = true;
    }
  }
  if (!counted)
    while (!data.empty() && data.back() == '\0') data.remove_suffix(1);
  if (l_.aim_offset && *l_.aim_offset + 3 <= report.size() && buf_.empty()) {
    std::string aim(report.substr(*l_.aim_offset, 3));
    while (!aim.empty() && aim.back() == '\0') aim.pop_back();
    bool printable = std::all_of(aim.begin(), aim.end(), [](char c) { return c > 0x20 && c < 0x7F; });
    aim_ = printable ? aim : "";
  }
  if (buf_.size() + data.size() > max_) {
    buf_.clear();
    aim_.clear();
    return make_error("hid_report_invalid", "HID POS code longer than the limit; dropped");
  }
  buf_ += data;
  bool more = false;
  if (l_.continued_offset && *l_.continued_offset < report.size())
    more = (static_cast<unsigned char>(report[*l_.continued_offset]) & l_.continued_mask) != 0;
  if (more) return std::optional<ScannedData>();
  ScannedData out{std::move(buf_), std::move(aim_)};
  buf_.clear();
  aim_.clear();
  if (out.bytes.empty()) return std::optional<ScannedData>();  // an empty report (e.g. a status poll)
  return std::optional<ScannedData>(std::move(out));
}

Result<std::vector<KeyEvent>> HidKeyboardDecoder::feed(std::string_view report, int64_t t) {
  std::vector<KeyEvent> ev;
  if (l_.report_id != 0) {
    if (report.empty()) return make_error("hid_report_invalid", "empty HID report");
    if (static_cast<uint8_t>(report[0]) != l_.report_id) return ev;
    report.remove_prefix(1);
  }
  if (report.size() < l_.keys_offset + 1) return make_error("hid_report_invalid", "keyboard report too short");
  const std::size_t n = std::min(l_.key_count, report.size() - l_.keys_offset);
  std::vector<uint8_t> now;
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<uint8_t>(report[l_.keys_offset + i]);
    if (u == 0x01) return ev;  // ErrorRollOver: too many keys; the report says nothing
    if (u >= 0x04 && std::find(now.begin(), now.end(), u) == now.end()) now.push_back(u);
  }
  uint8_t mods = mods_;
  if (l_.modifier_offset < report.size()) mods = static_cast<uint8_t>(report[l_.modifier_offset]);
  for (int b = 0; b < 8; ++b) {
    const uint8_t bit = static_cast<uint8_t>(1u << b);
    if ((mods ^ mods_) & bit)
      ev.push_back({hid_usage_to_key(static_cast<uint8_t>(0xE0 + b)), (mods & bit) ? 1 : 0, t});
  }
  for (uint8_t u : keys_)
    if (std::find(now.begin(), now.end(), u) == now.end())
      if (uint16_t k = hid_usage_to_key(u)) ev.push_back({k, 0, t});
  for (uint8_t u : now)
    if (std::find(keys_.begin(), keys_.end(), u) == keys_.end())
      if (uint16_t k = hid_usage_to_key(u)) ev.push_back({k, 1, t});
  mods_ = mods;
  keys_ = std::move(now);
  return ev;
}

std::string aim_to_format(std::string_view aim) {
  if (aim.size() < 2 || aim[0] != ']') return "unknown";
  const char s = aim[1];
  const char m = aim.size() > 2 ? aim[2] : '0';
  switch (s) {
    case 'Q': return "QRCode";
    case 'd': return "DataMatrix";
    case 'z': return "Aztec";
    case 'L': return "PDF417";
    case 'U': return "MaxiCode";
    case 'C': return "Code128";
    case 'A': return "Code39";
    case 'G': return "Code93";
    case 'F': return "Codabar";
    case 'I': return "ITF";
    case 'e': return "DataBar";
    case 'E': return m == '4' ? "EAN-8" : "EAN-13";
    default: return "unknown";
  }
}

std::string pos_report_descriptor() {
  static const unsigned char d[] = {
      0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01,              // Bar Code Scanner page, scanner, application
      0x85, 0x02, 0x09, 0x12, 0xA1, 0x02,              // report 2: scanned data report (logical)
      0x06, 0x00, 0xFF, 0x09, 0x01,                    // vendor usage: data length
      0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02,
      0x05, 0x8C, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD,  // symbology identifier 1..3
      0x95, 0x03, 0x81, 0x02,
      0x09, 0xFE, 0x95, 0x38, 0x82, 0x02, 0x01,        // decoded data, 56 bytes, buffered
      0x06, 0x00, 0xFF, 0x09, 0x02, 0x09, 0x03, 0x95, 0x02, 0x81, 0x02,  // vendor bytes
      0x05, 0x8C, 0x09, 0xFF, 0x95, 0x01, 0x81, 0x02,  // decoded data continued
      0xC0, 0xC0};
  return std::string(reinterpret_cast<const char*>(d), sizeof d);
}

std::string keyboard_report_descriptor() {
  static const unsigned char d[] = {
      0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01,
      0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x05, 0x75, 0x01,
      0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01, 0x75, 0x03, 0x91, 0x01, 0x95, 0x06,
      0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0};
  return std::string(reinterpret_cast<const char*>(d), sizeof d);
}

std::vector<std::string> pos_reports(std::string_view data, std::string_view aim) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  do {
    const std::size_t n = std::min<std::size_t>(56, data.size() - pos);
    std::string r(64, '\0');
    r[0] = 0x02;
    r[1] = static_cast<char>(n);
    for (std::size_t k = 0; k < 3 && k < aim.size(); ++k) r[2 + k] = aim[k];
    std::copy_n(data.begin() + static_cast<long>(pos), n, r.begin() + 5);
    pos += n;
    r[63] = pos < data.size() ? 1 : 0;
    out.push_back(std::move(r));
  } while (pos < data.size());
  return out;
}

}  // namespace bianmin::drivers::scanner
