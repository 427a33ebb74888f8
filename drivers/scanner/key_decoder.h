// Keyboard-wedge scanners (HID-KBW) "type" what they read: key presses of
// key *positions*. This decoder turns those key events back into the code's
// characters without asking the desktop's keyboard layout (a Czech, UK or
// AZERTY layout would otherwise change the text): positions are mapped as
// on the US layout that scanners emulate, with the shift state.
//
// Also handled: Ctrl+key control characters (GS/RS/EOT of GS1 and ISO 15434
// payloads: Ctrl+] is GS), Alt+numpad sequences (how scanners type
// non-ASCII: Alt+0176 is Windows-1252, Alt+45235 a GBK double byte, 啊),
// and the end of a code: Enter (or keypad Enter), optionally Tab, or no key
// for `inter_key_timeout_us`.
//
// Pure: events in, codes out. Fuzzed (tests/fuzz/scanner_keys.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bianmin::drivers::scanner {

struct KeyEvent {
  uint16_t code = 0;   // Linux KEY_* (linux/input-event-codes.h)
  int32_t value = 0;   // 0 release, 1 press, 2 autorepeat
  int64_t time_us = 0;
};

enum class CodeEnd { enter, tab, timeout, overflow };

struct TypedCode {
  std::string bytes;  // the characters typed, UTF-8 (Alt codes decoded)
  CodeEnd end = CodeEnd::enter;
  bool truncated = false;  // longer than max_bytes; the rest was dropped
};

struct KeyDecoderOptions {
  int64_t inter_key_timeout_us = 100'000;  // a scanner types a code in one burst
  bool tab_ends_code = false;              // scanners configured with a TAB suffix
  std::size_t max_bytes = 4096;
};

class KeyDecoder {
 public:
  explicit KeyDecoder(KeyDecoderOptions o = {}) : opt_(o) {}

  // Feeds one event. Returns the codes it completes: at most two (the
  // previous one, ended by the inter-key gap before this key, and the one
  // this key ends).
  std::vector<TypedCode> feed(const KeyEvent& e);
  // The pending code when no key came for the timeout by `now_us`.
  std::optional<TypedCode> poll(int64_t now_us);
  // When poll() should next be called, or nullopt when nothing is pending.
  std::optional<int64_t> deadline_us() const;
  bool pending() const { return !buf_.empty() || truncated_; }
  void reset();

 private:
  void append(std::string_view s);
  void flush_alt();
  TypedCode take(CodeEnd end);

  KeyDecoderOptions opt_;
  std::string buf_;
  bool truncated_ = false;
  bool lshift_ = false, rshift_ = false, lctrl_ = false, rctrl_ = false, lalt_ = false, ralt_ = false;
  bool caps_ = false;
  std::string alt_digits_;
  int64_t last_key_us_ = 0;
  bool any_key_ = false;
};

// The US-layout character at key `code` with `shift`, or 0 for keys that
// type nothing (modifiers, function keys). Keypad keys type their digit or
// operator.
char key_to_ascii(uint16_t code, bool shift);
// Reverse, for simulators: the key and shift state that type `c` (printable
// ASCII, '\n' as Enter, '\t' as Tab); nullopt for anything else.
std::optional<std::pair<uint16_t, bool>> ascii_to_key(char c);

// The Linux key code of a HID Keyboard/Keypad page usage (boot reports of a
// keyboard-mode scanner read through hidraw), or 0.
uint16_t hid_usage_to_key(uint8_t usage);
// Reverse of the above, for simulators (0 when none).
uint8_t key_to_hid_usage(uint16_t key);

// The character an Alt+numpad code types, as UTF-8: 1–255 as Windows-1252
// (ASCII below 128), 256–65535 as a GBK/GB18030 double byte; "" otherwise.
std::string alt_code_to_utf8(uint32_t value);

}  // namespace bianmin::drivers::scanner
