// QR symbols: the byte-mode capacity table (to know how wide a native QR
// will print before sending it) and the module matrix itself, made with
// ZXing-cpp's writer, for the raster fallback and for the renderer, which
// draws a native QR as the printer would.
#pragma once

#include <string_view>

#include "base/result.h"
#include "printer/bitmap.h"
#include "printer/escpos.h"

namespace bianmin::drivers::printer {

// Smallest version (1..40) whose byte-mode capacity at `ec` holds `bytes`
// (ISO/IEC 18004 table 7), or 0 when none does.
int qr_version_for(std::size_t bytes, QrEc ec);
// Modules per side of a version: 17 + 4·version.
inline int qr_modules(int version) { return 17 + 4 * version; }

// The symbol as a width × width bitmap of modules (no quiet zone).
Result<Bitmap> qr_matrix(std::string_view payload, QrEc ec);

}  // namespace bianmin::drivers::printer
