#include "printer/qr_matrix.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

#include <array>
#include <exception>
#include <string>

namespace bianmin::drivers::printer {
namespace {

// Byte-mode data capacity per version 1..40 (ISO/IEC 18004:2015 table 7).
constexpr std::array<int, 40> kCapL = {17, 32, 53, 78, 106, 134, 154, 192, 230, 271, 321, 367, 425, 458,
                                       520, 586, 644, 718, 792, 858, 929, 1003, 1091, 1171, 1273, 1367, 1465,
                                       1528, 1628, 1732, 1840, 1952, 2068, 2188, 2303, 2431, 2563, 2699, 2809, 2953};
constexpr std::array<int, 40> kCapM = {14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362,
                                       412, 450, 504, 560, 624, 666, 711, 779, 857, 911, 997, 1059, 1125,
                                       1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331};
constexpr std::array<int, 40> kCapQ = {11, 20, 32, 46, 60, 74, 86, 108, 130, 151, 177, 203, 241, 258,
                                       292, 322, 364, 394, 442, 482, 509, 565, 611, 661, 715, 751, 805,
                                       868, 908, 982, 1030, 1112, 1168, 1228, 1283, 1351, 1423, 1499, 1579, 1663};
constexpr std::array<int, 40> kCapH = {7, 14, 24, 34, 44, 58, 64, 84, 98, 119, 137, 155, 177, 194,
                                       220, 250, 280, 310, 338, 382, 403, 439, 461, 511, 535, 593, 625,
                                       658, 698, 742, 790, 842, 898, 958, 983, 1051, 1093, 1139, 1219, 1273};

const std::array<int, 40>& capacity(QrEc ec) {
  switch (ec) {
    case QrEc::L: return kCapL;
    case QrEc::M: return kCapM;
    case QrEc::Q: return kCapQ;
    case QrEc::H: return kCapH;
  }
  return kCapM;
}

// ZXing-cpp 1.4's writer takes an EC "level" 0..8: 0–2 L, 3–4 M, 5–6 Q,
// 7–8 H (checked by decoding in the tests).
int zxing_level(QrEc ec) {
  switch (ec) {
    case QrEc::L: return 0;
    case QrEc::M: return 4;
    case QrEc::Q: return 6;
    case QrEc::H: return 8;
  }
  return 4;
}

}  // namespace

int qr_version_for(std::size_t bytes, QrEc ec) {
  const auto& cap = capacity(ec);
  for (std::size_t v = 0; v < cap.size(); ++v)
    if (bytes <= static_cast<std::size_t>(cap[v])) return static_cast<int>(v) + 1;
  return 0;
}

Result<Bitmap> qr_matrix(std::string_view payload, QrEc ec) {
  if (payload.empty()) return make_error("qr_invalid", "QR payload is empty");
  if (qr_version_for(payload.size(), ec) == 0) return make_error("qr_invalid", "QR payload too long");
  try {
    // Bytes as U+0000–U+00FF, encoding left to ZXing's default: ISO 8859-1
    // in byte mode without an ECI header, which is what a printer stores,
    // so versions (and capacities) match the printer's.
    std::string latin1;
    for (unsigned char c : payload) {
      if (c < 0x80) {
        latin1 += static_cast<char>(c);
      } else {
        latin1 += static_cast<char>(0xC0 | (c >> 6));
        latin1 += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    const ZXing::BitMatrix m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                                   .setEccLevel(zxing_level(ec))
                                   .setMargin(0)
                                   .encode(latin1, 0, 0);
    Bitmap out(m.width(), m.height());
    for (int y = 0; y < m.height(); ++y)
      for (int x = 0; x < m.width(); ++x)
        if (m.get(x, y)) out.set(x, y);
    return out;
  } catch (const std::exception& e) {
    return make_error("qr_invalid", std::string("QR encoding failed: ") + e.what());
  }
}

}  // namespace bianmin::drivers::printer
