#include "printer/render/escpos_parser.h"

#include <algorithm>

namespace bianmin::drivers::printer {
namespace {

uint8_t at(std::string_view b, std::size_t i) { return static_cast<uint8_t>(b[i]); }

ParseStep need() { return {}; }

ParseStep done(std::size_t n, OpKind k, int a = 0, int b = 0, int c = 0) {
  ParseStep s;
  s.complete = true;
  s.consumed = n;
  s.op.kind = k;
  s.op.a = a;
  s.op.b = b;
  s.op.c = c;
  return s;
}

// A fixed-length command of `n` bytes whose last byte is the parameter.
ParseStep fixed(std::string_view buf, std::size_t n, OpKind k) {
  if (buf.size() < n) return need();
  return done(n, k, n > 2 ? at(buf, n - 1) : 0);
}

ParseStep esc(std::string_view buf) {
  if (buf.size() < 2) return need();
  const uint8_t c = at(buf, 1);
  switch (c) {
    case '@': return done(2, OpKind::init);
    case 'a': { auto s = fixed(buf, 3, OpKind::align); if (s.complete) s.op.a = s.op.a >= 48 ? s.op.a - 48 : s.op.a; return s; }
    case 'E': { auto s = fixed(buf, 3, OpKind::bold); if (s.complete) s.op.a &= 1; return s; }
    case '-': { auto s = fixed(buf, 3, OpKind::underline); if (s.complete) s.op.a = s.op.a >= 48 ? s.op.a - 48 : s.op.a; return s; }
    case '!': return fixed(buf, 3, OpKind::print_mode);
    case 'd': return fixed(buf, 3, OpKind::feed_lines);
    case 'J': return fixed(buf, 3, OpKind::feed_dots);
    case '2': return done(2, OpKind::line_spacing, -1);
    case '3': return fixed(buf, 3, OpKind::line_spacing);
    case 'M': case 't': case 'R': case ' ': case 'G': case 'V': case '{': case '=': case 'U': case 'T': case 'r':
    case 'e': case '%': case '?':
      return fixed(buf, 3, OpKind::ignored);
    case 'S': case 'L': case '<': case 'i': case 'm': return done(2, OpKind::ignored);
    case '$': case '\\': return fixed(buf, 4, OpKind::ignored);
    case 'c': return fixed(buf, 4, OpKind::ignored);
    case 'p': return fixed(buf, 5, OpKind::ignored);
    case 'W': return fixed(buf, 10, OpKind::ignored);
    case 'D': {  // tab positions, NUL-terminated, at most 32
      for (std::size_t i = 2; i < buf.size() && i < 2 + 33; ++i)
        if (at(buf, i) == 0) return done(i + 1, OpKind::ignored);
      if (buf.size() >= 2 + 33) return done(2 + 33, OpKind::ignored);
      return need();
    }
    case '*': {  // bit image: m nL nH data
      if (buf.size() < 5) return need();
      const uint8_t m = at(buf, 2);
      const std::size_t cols = at(buf, 3) | static_cast<std::size_t>(at(buf, 4)) << 8;
      const std::size_t k = (m == 32 || m == 33) ? cols * 3 : cols;
      if (buf.size() < 5 + k) return need();
      return done(5 + k, OpKind::ignored);
    }
    default: return done(2, OpKind::unknown, c);
  }
}

ParseStep fs(std::string_view buf) {
  if (buf.size() < 2) return need();
  const uint8_t c = at(buf, 1);
  switch (c) {
    case '&': return done(2, OpKind::chinese_on);
    case '.': return done(2, OpKind::chinese_off);
    case '!': return fixed(buf, 3, OpKind::chinese_mode);
    case 'W': { auto s = fixed(buf, 3, OpKind::chinese_quad); if (s.complete) s.op.a &= 1; return s; }
    case 'C': case '-': return fixed(buf, 3, OpKind::ignored);
    case 'S': return fixed(buf, 4, OpKind::ignored);
    case 'p': return fixed(buf, 4, OpKind::ignored);
    case '2': return fixed(buf, 4 + 72, OpKind::ignored);  // user-defined 24×24 character
    default: return done(2, OpKind::unknown, c);
  }
}

ParseStep gs_paren(std::string_view buf) {
  // GS ( X pL pH ...: pL + pH·256 bytes follow pH.
  if (buf.size() < 5) return need();
  const std::size_t len = at(buf, 3) | static_cast<std::size_t>(at(buf, 4)) << 8;
  if (buf.size() < 5 + len) return need();
  const std::size_t total = 5 + len;
  if (at(buf, 2) != 'k' || len < 3 || at(buf, 5) != 0x31) return done(total, OpKind::ignored);
  const uint8_t fn = at(buf, 6);
  switch (fn) {
    case 0x41: return done(total, OpKind::qr_model, len >= 3 ? at(buf, 7) : 0);
    case 0x43: return done(total, OpKind::qr_module, at(buf, 7));
    case 0x45: return done(total, OpKind::qr_ec, at(buf, 7));
    case 0x50: {
      auto s = done(total, OpKind::qr_store);
      s.op.data = std::string(buf.substr(8, len - 3));
      return s;
    }
    case 0x51: return done(total, OpKind::qr_print);
    default: return done(total, OpKind::ignored);
  }
}

ParseStep gs(std::string_view buf) {
  if (buf.size() < 2) return need();
  const uint8_t c = at(buf, 1);
  switch (c) {
    case '!': {
      auto s = fixed(buf, 3, OpKind::size);
      if (s.complete) {
        const int n = s.op.a;
        s.op.a = ((n >> 4) & 7) + 1;
        s.op.b = (n & 7) + 1;
      }
      return s;
    }
    case 'V': {
      if (buf.size() < 3) return need();
      const uint8_t m = at(buf, 2);
      if (m == 65 || m == 66) {
        if (buf.size() < 4) return need();
        return done(4, OpKind::cut, m == 65 ? 0 : 1, at(buf, 3));
      }
      return done(3, OpKind::cut, (m == 0 || m == 48) ? 0 : 1, 0);
    }
    case 'v': {
      if (buf.size() < 8) return need();
      if (at(buf, 2) != '0') return done(3, OpKind::unknown, c);
      const int m = at(buf, 3) >= 48 ? at(buf, 3) - 48 : at(buf, 3);
      const std::size_t xb = at(buf, 4) | static_cast<std::size_t>(at(buf, 5)) << 8;
      const std::size_t rows = at(buf, 6) | static_cast<std::size_t>(at(buf, 7)) << 8;
      const std::size_t k = xb * rows;
      if (buf.size() < 8 + k) return need();
      auto s = done(8 + k, OpKind::raster, m & 3, static_cast<int>(xb), static_cast<int>(rows));
      s.op.data = std::string(buf.substr(8, k));
      return s;
    }
    case '(': return gs_paren(buf);
    case 'B': case 'H': case 'h': case 'w': case 'f': case 'r': case 'I': case 'a': case 'b': case '/': case 'E':
    case 'T':
      return fixed(buf, 3, OpKind::ignored);
    case 'L': case 'W': case 'P': case '$': case '\\': return fixed(buf, 4, OpKind::ignored);
    case '*': {
      if (buf.size() < 4) return need();
      const std::size_t k = static_cast<std::size_t>(at(buf, 2)) * at(buf, 3) * 8;
      if (buf.size() < 4 + k) return need();
      return done(4 + k, OpKind::ignored);
    }
    case 'k': {  // barcodes
      if (buf.size() < 3) return need();
      const uint8_t m = at(buf, 2);
      if (m <= 6) {
        for (std::size_t i = 3; i < buf.size(); ++i)
          if (at(buf, i) == 0) return done(i + 1, OpKind::ignored);
        return need();
      }
      if (buf.size() < 4) return need();
      const std::size_t n = at(buf, 3);
      if (buf.size() < 4 + n) return need();
      return done(4 + n, OpKind::ignored);
    }
    case '8': {  // GS 8 L p1..p4 …: a 4-byte length
      if (buf.size() < 7) return need();
      const std::size_t len = at(buf, 3) | static_cast<std::size_t>(at(buf, 4)) << 8 |
                              static_cast<std::size_t>(at(buf, 5)) << 16 | static_cast<std::size_t>(at(buf, 6)) << 24;
      if (buf.size() - 7 < len) return need();
      return done(7 + len, OpKind::ignored);
    }
    default: return done(2, OpKind::unknown, c);
  }
}

ParseStep dle(std::string_view buf) {
  if (buf.size() < 2) return need();
  const uint8_t c = at(buf, 1);
  if (c == 0x04) {
    if (buf.size() < 3) return need();
    return done(3, OpKind::status_query, at(buf, 2));
  }
  if (c == 0x05) return fixed(buf, 3, OpKind::ignored);
  if (c == 0x14) return fixed(buf, 5, OpKind::ignored);
  return done(1, OpKind::unknown, 0x10);
}

}  // namespace

ParseStep parse_one(std::string_view buf) {
  if (buf.empty()) return need();
  const uint8_t b = at(buf, 0);
  switch (b) {
    case 0x0A: return done(1, OpKind::lf);
    case 0x0D: return done(1, OpKind::cr);
    case 0x1B: return esc(buf);
    case 0x1C: return fs(buf);
    case 0x1D: return gs(buf);
    case 0x10: return dle(buf);
    default: break;
  }
  if (b < 0x20 || b == 0x7F) return done(1, OpKind::ignored, b);
  std::size_t n = 0;
  while (n < buf.size() && at(buf, n) >= 0x20 && at(buf, n) != 0x7F) ++n;
  auto s = done(n, OpKind::text);
  s.op.data = std::string(buf.substr(0, n));
  return s;
}

Parsed parse_escpos(std::string_view bytes) {
  Parsed out;
  while (!bytes.empty()) {
    ParseStep s = parse_one(bytes);
    if (!s.complete) {
      out.truncated = true;
      break;
    }
    out.ops.push_back(std::move(s.op));
    bytes.remove_prefix(s.consumed);
  }
  return out;
}

}  // namespace bianmin::drivers::printer
