// Parser of an ESC/POS byte stream into commands, for the renderer and the
// simulated printer. It is a parser of outside bytes (a stream someone sent
// to a printer): every command's length is taken from its own parameters,
// an unknown command is skipped, a truncated one ends the stream, and
// nothing allocates more than the input's size (fuzzed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bianmin::drivers::printer {

enum class OpKind {
  text,          // data: printable bytes (ASCII or GB codes)
  lf, cr,
  init,
  align,         // a: 0 left, 1 centre, 2 right
  bold,          // a: 0/1
  underline,     // a: 0..2
  print_mode,    // a: ESC ! bits
  size,          // a: width ×, b: height ×
  chinese_on, chinese_off,
  chinese_mode,  // a: FS ! bits
  chinese_quad,  // a: FS W on/off
  feed_lines,    // a: lines
  feed_dots,     // a: dots (ESC J)
  line_spacing,  // a: dots; -1 = default
  cut,           // a: 0 full, 1 partial; b: extra feed dots
  qr_model, qr_module, qr_ec,  // a: value byte
  qr_store,      // data: symbol data
  qr_print,
  raster,        // a: m, b: bytes per row, c: rows, data: b × c bytes
  status_query,  // a: n
  ignored,       // a known command without visible effect here
  unknown,       // a: the byte(s) not understood
};

struct Op {
  OpKind kind = OpKind::unknown;
  int a = 0, b = 0, c = 0;
  std::string data;
};

struct ParseStep {
  bool complete = false;    // false: the command at the start is cut short
  std::size_t consumed = 0;
  Op op;
};

// The command at the start of `buf` (buf not empty).
ParseStep parse_one(std::string_view buf);

struct Parsed {
  std::vector<Op> ops;
  bool truncated = false;  // the stream ended inside a command
};
Parsed parse_escpos(std::string_view bytes);

}  // namespace bianmin::drivers::printer
