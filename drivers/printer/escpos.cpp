#include "printer/escpos.h"

#include <algorithm>

namespace bianmin::drivers::printer {

void EscPos::put(std::initializer_list<uint8_t> b) {
  for (uint8_t c : b) out_ += static_cast<char>(c);
}

EscPos& EscPos::init() { put({ESC, '@'}); return *this; }
EscPos& EscPos::align(Align a) { put({ESC, 'a', static_cast<uint8_t>(a)}); return *this; }
EscPos& EscPos::bold(bool on) { put({ESC, 'E', static_cast<uint8_t>(on ? 1 : 0)}); return *this; }
EscPos& EscPos::underline(int dots) {
  put({ESC, '-', static_cast<uint8_t>(std::clamp(dots, 0, 2))});
  return *this;
}
EscPos& EscPos::size(int width_mul, int height_mul) {
  const int w = std::clamp(width_mul, 1, 8) - 1, h = std::clamp(height_mul, 1, 8) - 1;
  put({GS, '!', static_cast<uint8_t>((w << 4) | h)});
  return *this;
}
EscPos& EscPos::chinese(bool on) { put({FS, static_cast<uint8_t>(on ? '&' : '.')}); return *this; }
EscPos& EscPos::text(std::string_view encoded) { out_.append(encoded); return *this; }
EscPos& EscPos::newline() { put({LF}); return *this; }
EscPos& EscPos::feed(int lines) { put({ESC, 'd', static_cast<uint8_t>(std::clamp(lines, 0, 255))}); return *this; }
EscPos& EscPos::cut(CutKind kind) { put({GS, 'V', static_cast<uint8_t>(kind)}); return *this; }
EscPos& EscPos::feed_and_cut(CutKind kind, int units) {
  put({GS, 'V', static_cast<uint8_t>(kind == CutKind::full ? 65 : 66), static_cast<uint8_t>(std::clamp(units, 0, 255))});
  return *this;
}
EscPos& EscPos::status_query(int n) { put({DLE, EOT, static_cast<uint8_t>(std::clamp(n, 1, 4))}); return *this; }

Status EscPos::qr(std::string_view payload, int module, QrEc ec) {
  if (payload.empty()) return make_error("qr_invalid", "QR payload is empty");
  if (payload.size() > kQrMaxData) return make_error("qr_invalid", "QR payload longer than the printer can store");
  if (module < 1 || module > 16) return make_error("qr_invalid", "QR module size must be 1..16 dots");
  const std::size_t n = payload.size() + 3;
  put({GS, '(', 'k', 4, 0, 0x31, 0x41, 0x32, 0});                        // fn 165: model 2
  put({GS, '(', 'k', 3, 0, 0x31, 0x43, static_cast<uint8_t>(module)});   // fn 167: module size
  put({GS, '(', 'k', 3, 0, 0x31, 0x45, static_cast<uint8_t>(ec)});       // fn 169: EC level
  put({GS, '(', 'k', static_cast<uint8_t>(n & 0xFF), static_cast<uint8_t>(n >> 8), 0x31, 0x50, 0x30});  // fn 180
  out_.append(payload);
  put({GS, '(', 'k', 3, 0, 0x31, 0x51, 0x30});                           // fn 181: print
  return {};
}

EscPos& EscPos::raster(const Bitmap& bmp, int band_rows) {
  const int rb = bmp.row_bytes();
  const int band = std::clamp(band_rows, 1, 0xFFFF);
  for (int y = 0; y < bmp.height; y += band) {
    const int rows = std::min(band, bmp.height - y);
    put({GS, 'v', '0', 0, static_cast<uint8_t>(rb & 0xFF), static_cast<uint8_t>(rb >> 8),
         static_cast<uint8_t>(rows & 0xFF), static_cast<uint8_t>(rows >> 8)});
    out_ += bmp.pack_rows(y, rows);
  }
  return *this;
}

}  // namespace bianmin::drivers::printer
