// Shared by the printer tests: realistic sample receipts and decoding a QR
// code from a rendered slip with ZXing-cpp, as a resident's phone would.
#pragma once

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <string>

#include "printer/render/paper.h"
#include "printer/slips.h"

namespace bianmin::drivers::printer::test {

inline const char* kToken = "q7Ff2xK9vLm3NpR8sT1wYA";  // 22 characters, as receipt_token() makes

inline ReceiptData sample_receipt_384() {
  ReceiptData r;
  r.hall_name = "张掖市甘州区政务服务中心";
  r.item_name = "最低生活保障申请（最低生活保障金给付）";
  r.applicant_masked = "𬌗**";  // 𬌗小燕: a 4-byte GB18030 surname
  r.id_masked = "620702********1232";
  r.receipt_no = "K03-20261122-0042";
  r.submitted_at = "2026-11-22T09:31:05+08:00";
  r.promised_days = 20;
  r.materials = {{"最低生活保障申请书", 2}, {"申请人及共同生活家庭成员居民身份证", 3}, {"居民户口簿", 4}};
  r.query_url = std::string("https://zwfw.example.gov.cn/q/K03-20261122-0042?t=") + kToken;
  r.consult_phone = "0936-8212536";
  r.supervise_phone = "12345";
  return r;
}

inline ReceiptData sample_receipt_576() {
  ReceiptData r = sample_receipt_384();
  r.hall_name = "甘州区梁家墩镇便民服务中心";
  r.item_name = "个体工商户登记（设立、变更、注销）";
  r.applicant_masked = "䶮*";  // 䶮: GB18030 2-byte but not GBK
  r.id_masked = "620702********003X";
  r.receipt_no = "K07-20261122-0137";
  r.promised_days = 1;
  r.deadline = "2026-11-23";
  r.materials = {{"个体工商户登记（备案）申请书", 1}, {"经营者居民身份证", 2}, {"经营场所使用证明", 1}};
  r.query_url = std::string("https://zwfw.example.gov.cn/q/K07-20261122-0137?t=") + kToken;
  r.consult_phone = "0936-8225315";
  r.supervise_phone = "12315";
  return r;
}

// The text of the first QR code found in the picture ("" when none).
inline std::string decode_qr(const GrayImage& img) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  const auto r = ZXing::ReadBarcode(
      ZXing::ImageView(img.pixels.data(), img.width, img.height, ZXing::ImageFormat::Lum), hints);
  return r.isValid() ? r.text() : std::string();
}

}  // namespace bianmin::drivers::printer::test
