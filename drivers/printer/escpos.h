// ESC/POS command encoder (devices.md §2): pure, bytes out, no I/O.
//
// Every method appends the exact bytes of one command; the golden tests pin
// them. Text is passed already encoded (see gb_text.h) because what a
// printer can print depends on its resident font, which the layout decides.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "printer/bitmap.h"

namespace bianmin::drivers::printer {

enum class Align : uint8_t { left = 0, center = 1, right = 2 };
enum class QrEc : uint8_t { L = 48, M = 49, Q = 50, H = 51 };  // the fn 169 byte
enum class CutKind : uint8_t { full = 0, partial = 1 };

inline constexpr uint8_t ESC = 0x1B, GS = 0x1D, FS = 0x1C, DLE = 0x10, EOT = 0x04, LF = 0x0A;

// Longest QR payload: fn 180 allows pL+pH·256 ≤ 7092, i.e. 7089 data bytes.
// Many models take less (< 1021); the layout keeps URLs far below that.
inline constexpr std::size_t kQrMaxData = 7089;

class EscPos {
 public:
  EscPos& init();                        // ESC @
  EscPos& align(Align a);                // ESC a n
  EscPos& bold(bool on);                 // ESC E n
  EscPos& underline(int dots);           // ESC - n, 0..2
  EscPos& size(int width_mul, int height_mul);  // GS ! n, multipliers 1..8
  EscPos& chinese(bool on);              // FS & / FS .
  EscPos& text(std::string_view encoded);  // bytes as given
  EscPos& newline();                     // LF
  EscPos& feed(int lines);               // ESC d n, 0..255
  EscPos& cut(CutKind kind);             // GS V m (m = 0 full, 1 partial)
  EscPos& feed_and_cut(CutKind kind, int units);  // GS V 65/66 n
  // Native QR, model 2: model, module size, EC level, store, print.
  // Refuses an empty or too long payload and module sizes outside 1..16.
  Status qr(std::string_view payload, int module, QrEc ec);
  // GS v 0 m=0, cut into bands of at most `band_rows` rows: cheap printers
  // limit the image height one command may carry.
  EscPos& raster(const Bitmap& bmp, int band_rows);
  EscPos& status_query(int n);           // DLE EOT n, n = 1..4

  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void put(std::initializer_list<uint8_t> b);
  std::string out_;
};

}  // namespace bianmin::drivers::printer
