#include "scanner/key_decoder.h"

#include <iconv.h>
#include <linux/input-event-codes.h>

#include <array>
#include <cstring>

namespace bianmin::drivers::scanner {
namespace {

struct KeyChars {
  uint16_t code;
  char plain, shifted;
};

// US layout by key position; what every scanner emulates by default.
constexpr KeyChars kKeys[] = {
    {KEY_1, '1', '!'}, {KEY_2, '2', '@'}, {KEY_3, '3', '#'}, {KEY_4, '4', '$'}, {KEY_5, '5', '%'},
    {KEY_6, '6', '^'}, {KEY_7, '7', '&'}, {KEY_8, '8', '*'}, {KEY_9, '9', '('}, {KEY_0, '0', ')'},
    {KEY_MINUS, '-', '_'}, {KEY_EQUAL, '=', '+'}, {KEY_Q, 'q', 'Q'}, {KEY_W, 'w', 'W'}, {KEY_E, 'e', 'E'},
    {KEY_R, 'r', 'R'}, {KEY_T, 't', 'T'}, {KEY_Y, 'y', 'Y'}, {KEY_U, 'u', 'U'}, {KEY_I, 'i', 'I'},
    {KEY_O, 'o', 'O'}, {KEY_P, 'p', 'P'}, {KEY_LEFTBRACE, '[', '{'}, {KEY_RIGHTBRACE, ']', '}'},
    {KEY_A, 'a', 'A'}, {KEY_S, 's', 'S'}, {KEY_D, 'd', 'D'}, {KEY_F, 'f', 'F'}, {KEY_G, 'g', 'G'},
    {KEY_H, 'h', 'H'}, {KEY_J, 'j', 'J'}, {KEY_K, 'k', 'K'}, {KEY_L, 'l', 'L'}, {KEY_SEMICOLON, ';', ':'},
    {KEY_APOSTROPHE, '\'', '"'}, {KEY_GRAVE, '`', '~'}, {KEY_BACKSLASH, '\\', '|'}, {KEY_Z, 'z', 'Z'},
    {KEY_X, 'x', 'X'}, {KEY_C, 'c', 'C'}, {KEY_V, 'v', 'V'}, {KEY_B, 'b', 'B'}, {KEY_N, 'n', 'N'},
    {KEY_M, 'm', 'M'}, {KEY_COMMA, ',', '<'}, {KEY_DOT, '.', '>'}, {KEY_SLASH, '/', '?'},
    {KEY_SPACE, ' ', ' '}, {KEY_102ND, '\\', '|'},
    {KEY_KP0, '0', '0'}, {KEY_KP1, '1', '1'}, {KEY_KP2, '2', '2'}, {KEY_KP3, '3', '3'}, {KEY_KP4, '4', '4'},
    {KEY_KP5, '5', '5'}, {KEY_KP6, '6', '6'}, {KEY_KP7, '7', '7'}, {KEY_KP8, '8', '8'}, {KEY_KP9, '9', '9'},
    {KEY_KPDOT, '.', '.'}, {KEY_KPSLASH, '/', '/'}, {KEY_KPASTERISK, '*', '*'}, {KEY_KPMINUS, '-', '-'},
    {KEY_KPPLUS, '+', '+'}, {KEY_KPEQUAL, '=', '='}, {KEY_KPCOMMA, ',', ','},
};

const std::array<KeyChars, KEY_MAX + 1>& key_table() {
  static const auto table = [] {
    std::array<KeyChars, KEY_MAX + 1> t{};
    for (const auto& k : kKeys) t[k.code] = k;
    return t;
  }();
  return table;
}

int keypad_digit(uint16_t code) {
  switch (code) {
    case KEY_KP0: return 0;
    case KEY_KP1: return 1;
    case KEY_KP2: return 2;
    case KEY_KP3: return 3;
    case KEY_KP4: return 4;
    case KEY_KP5: return 5;
    case KEY_KP6: return 6;
    case KEY_KP7: return 7;
    case KEY_KP8: return 8;
    case KEY_KP9: return 9;
    default: return -1;
  }
}

bool is_letter_key(char plain) { return plain >= 'a' && plain <= 'z'; }

// Ctrl+key → C0 control character, as terminals and scanners define it.
int control_char(char plain, bool shift) {
  if (is_letter_key(plain)) return plain - 'a' + 1;
  switch (plain) {
    case '2': return shift ? 0x00 : -1;   // Ctrl+@
    case '[': return 0x1B;                // ESC
    case '\\': return 0x1C;               // FS
    case ']': return 0x1D;                // GS (GS1 FNC1 separator)
    case '6': return shift ? 0x1E : -1;   // Ctrl+^ RS
    case '-': return shift ? 0x1F : -1;   // Ctrl+_ US
    default: return -1;
  }
}

// Windows-1252 0x80–0x9F; the rest of 0xA0–0xFF is Latin-1.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

char key_to_ascii(uint16_t code, bool shift) {
  if (code > KEY_MAX) return 0;
  const KeyChars& k = key_table()[code];
  return shift ? k.shifted : k.plain;
}

std::optional<std::pair<uint16_t, bool>> ascii_to_key(char c) {
  if (c == '\n') return std::make_pair(uint16_t{KEY_ENTER}, false);
  if (c == '\t') return std::make_pair(uint16_t{KEY_TAB}, false);
  for (const auto& k : kKeys) {
    if (k.code >= KEY_KP7 && k.code <= KEY_KPCOMMA && k.code != KEY_102ND) continue;  // prefer the main block
    if (k.plain == c) return std::make_pair(k.code, false);
    if (k.shifted == c) return std::make_pair(k.code, true);
  }
  return std::nullopt;
}

uint16_t hid_usage_to_key(uint8_t u) {
  // HID Usage Tables, Keyboard/Keypad page (0x07), as drivers/hid/hid-input.c maps it.
  static constexpr uint16_t kLetters[26] = {KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I,
                                            KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
                                            KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
  static constexpr uint16_t kDigits[10] = {KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9, KEY_0};
  static constexpr uint16_t k28[] = {KEY_ENTER, KEY_ESC, KEY_BACKSPACE, KEY_TAB, KEY_SPACE, KEY_MINUS, KEY_EQUAL,
                                     KEY_LEFTBRACE, KEY_RIGHTBRACE, KEY_BACKSLASH, KEY_BACKSLASH /*0x32 non-US #*/,
                                     KEY_SEMICOLON, KEY_APOSTROPHE, KEY_GRAVE, KEY_COMMA, KEY_DOT, KEY_SLASH,
                                     KEY_CAPSLOCK};
  static constexpr uint16_t k53[] = {KEY_NUMLOCK, KEY_KPSLASH, KEY_KPASTERISK, KEY_KPMINUS, KEY_KPPLUS,
                                     KEY_KPENTER, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5, KEY_KP6,
                                     KEY_KP7, KEY_KP8, KEY_KP9, KEY_KP0, KEY_KPDOT, KEY_102ND};
  static constexpr uint16_t kMods[8] = {KEY_LEFTCTRL, KEY_LEFTSHIFT, KEY_LEFTALT, KEY_LEFTMETA,
                                        KEY_RIGHTCTRL, KEY_RIGHTSHIFT, KEY_RIGHTALT, KEY_RIGHTMETA};
  if (u >= 0x04 && u <= 0x1D) return kLetters[u - 0x04];
  if (u >= 0x1E && u <= 0x27) return kDigits[u - 0x1E];
  if (u >= 0x28 && u <= 0x39) return k28[u - 0x28];
  if (u >= 0x53 && u <= 0x64) return k53[u - 0x53];
  if (u == 0x67) return KEY_KPEQUAL;
  if (u == 0x85) return KEY_KPCOMMA;
  if (u >= 0xE0 && u <= 0xE7) return kMods[u - 0xE0];
  return 0;
}

uint8_t key_to_hid_usage(uint16_t key) {
  for (unsigned u = 0x04; u <= 0xE7; ++u)
    if (u != 0x32 && hid_usage_to_key(static_cast<uint8_t>(u)) == key) return static_cast<uint8_t>(u);
  return 0;
}

std::string alt_code_to_utf8(uint32_t v) {
  std::string out;
  if (v == 0 || v > 0xFFFF) return out;
  if (v < 0x80) {
    out += static_cast<char>(v);
  } else if (v < 0x100) {
    append_utf8(out, v < 0xA0 ? kCp1252High[v - 0x80] : v);
  } else {
    const unsigned hi = v >> 8, lo = v & 0xFF;
    if (hi < 0x81 || hi > 0xFE || lo < 0x40 || lo == 0x7F || lo > 0xFE) {
      append_utf8(out, 0xFFFD);
      return out;
    }
    char in[2] = {static_cast<char>(hi), static_cast<char>(lo)};
    char buf[8];
    char* ip = in;
    char* op = buf;
    size_t il = 2, ol = sizeof buf;
    // One converter per thread: opening one loads a gconv module, far
    // dearer than the conversion.
    struct Converter {
      iconv_t cd = ::iconv_open("UTF-8", "GB18030");
      ~Converter() {
        if (cd != reinterpret_cast<iconv_t>(-1)) ::iconv_close(cd);
      }
    };
    thread_local Converter conv;
    iconv_t cd = conv.cd;
    if (cd != reinterpret_cast<iconv_t>(-1)) ::iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset state
    bool ok = cd != reinterpret_cast<iconv_t>(-1) && ::iconv(cd, &ip, &il, &op, &ol) != static_cast<size_t>(-1) && il == 0;
    if (ok) out.assign(buf, static_cast<size_t>(op - buf));
    else append_utf8(out, 0xFFFD);
  }
  return out;
}

void KeyDecoder::reset() {
  buf_.clear();
  truncated_ = false;
  lshift_ = rshift_ = lctrl_ = rctrl_ = lalt_ = ralt_ = caps_ = false;
  alt_digits_.clear();
  any_key_ = false;
}

void KeyDecoder::append(std::string_view s) {
  if (buf_.size() + s.size() > opt_.max_bytes) {
    truncated_ = true;
    return;
  }
  buf_ += s;
}

void KeyDecoder::flush_alt() {
  if (alt_digits_.empty()) return;
  uint32_t v = 0;
  for (char c : alt_digits_) v = v > 0xFFFFF ? v : v * 10 + static_cast<uint32_t>(c - '0');
  alt_digits_.clear();
  append(alt_code_to_utf8(v));
}

TypedCode KeyDecoder::take(CodeEnd end) {
  TypedCode c;
  c.bytes = std::move(buf_);
  c.truncated = truncated_;
  c.end = end;
  buf_.clear();
  truncated_ = false;
  alt_digits_.clear();
  return c;
}

std::vector<TypedCode> KeyDecoder::feed(const KeyEvent& e) {
  std::vector<TypedCode> out;
  if (e.value == 2) return out;  // autorepeat: a scanner never holds a key
  if (e.value != 0 && e.value != 1) return out;
  const bool down = e.value == 1;
  // A gap longer than the timeout ends whatever was pending, even if the
  // caller did not poll in time.
  if (down && any_key_ && e.time_us - last_key_us_ > opt_.inter_key_timeout_us && pending())
    out.push_back(take(CodeEnd::timeout));
  if (down) {
    last_key_us_ = e.time_us;
    any_key_ = true;
  }
  switch (e.code) {
    case KEY_LEFTSHIFT: lshift_ = down; return out;
    case KEY_RIGHTSHIFT: rshift_ = down; return out;
    case KEY_LEFTCTRL: lctrl_ = down; return out;
    case KEY_RIGHTCTRL: rctrl_ = down; return out;
    case KEY_LEFTALT:
    case KEY_RIGHTALT:
      (e.code == KEY_LEFTALT ? lalt_ : ralt_) = down;
      if (!down && !lalt_ && !ralt_) flush_alt();  // Alt released: the Alt code is complete
      return out;
    case KEY_CAPSLOCK:
      if (down) caps_ = !caps_;
      return out;
    default: break;
  }
  if (!down) return out;
  const bool alt = lalt_ || ralt_, ctrl = lctrl_ || rctrl_, shift = lshift_ || rshift_;
  if (e.code == KEY_ENTER || e.code == KEY_KPENTER) {
    flush_alt();
    out.push_back(take(CodeEnd::enter));
    return out;
  }
  if (e.code == KEY_TAB && opt_.tab_ends_code) {
    out.push_back(take(CodeEnd::tab));
    return out;
  }
  if (alt) {
    const int d = keypad_digit(e.code);
    if (d >= 0 && alt_digits_.size() < 8) alt_digits_ += static_cast<char>('0' + d);
    return out;  // Alt with anything else types nothing
  }
  if (e.code == KEY_TAB) {
    append("\t");
    return out;
  }
  if (e.code == KEY_ESC) {
    append("\x1b");
    return out;
  }
  const char plain = key_to_ascii(e.code, false);
  if (plain == 0) return out;  // function keys, arrows, …: type nothing
  if (ctrl) {
    const int c = control_char(plain, shift);
    if (c >= 0) {
      const char ch = static_cast<char>(c);
      append(std::string_view(&ch, 1));
    }
    return out;
  }
  const bool letter = is_letter_key(plain);
  const char ch = key_to_ascii(e.code, letter ? (shift != caps_) : shift);
  append(std::string_view(&ch, 1));
  return out;
}

std::optional<TypedCode> KeyDecoder::poll(int64_t now_us) {
  if (!pending() || !any_key_) return std::nullopt;
  if (now_us - last_key_us_ < opt_.inter_key_timeout_us) return std::nullopt;
  flush_alt();
  return take(truncated_ ? CodeEnd::overflow : CodeEnd::timeout);
}

std::optional<int64_t> KeyDecoder::deadline_us() const {
  if (!pending() || !any_key_) return std::nullopt;
  return last_key_us_ + opt_.inter_key_timeout_us;
}

}  // namespace bianmin::drivers::scanner
