// The slips the terminal prints, as documents (document.h): the receipt
// (受理回执) a resident takes home from the kiosk, the acceptance slip
// (服务受理单) a clerk hands over at the window, the queue ticket (排队取号)
// and the technician's test page. Pure: what to print is decided here, how to
// print it on a given printer in encode_document().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "printer/document.h"

namespace bianmin::drivers::printer {

struct ReceiptMaterial {
  std::string name;
  int64_t pages = 0;
};

// Everything a receipt shows; personal data already masked.
struct ReceiptData {
  std::string hall_name;
  std::string item_name;
  std::string applicant_masked;  // 张*, 欧阳**
  std::string id_masked;         // 620702********1234
  std::string receipt_no;
  std::string submitted_at;      // RFC 3339 as stored
  std::optional<int64_t> promised_days;
  std::optional<std::string> deadline;  // from the central, when it has answered
  std::vector<ReceiptMaterial> materials;
  std::string query_url;         // with receipt number and token filled in
  std::string consult_phone, supervise_phone;
  bool reprint = false;          // printed again later: say so on the slip
  // Accepted at a window (channel "window"): the slip is the service
  // acceptance slip (服务受理单) with who accepted it ("王芳（c007）").
  std::string accepted_by;
};

inline constexpr const char* kReceiptInstruction = "凭此回执扫码或在自助终端查询办理进度";

Document compose_receipt(const ReceiptData& r);

struct QueueTicket {
  std::string hall_name, service, number, issued_at;
  int64_t waiting = 0;
};
Document compose_queue_ticket(const QueueTicket& t);

struct TestPageInfo {
  std::string model;  // from the device ID, or "unknown"
  std::string link;
  int width_dots = 384;
  FontSet font = FontSet::gb18030_2byte;
  bool native_qr = true;
  std::string font_file;
  std::string printed_at;
};
Document compose_test_page(const TestPageInfo& info);

// "2026-11-22T09:31:05+08:00" → "2026-11-22 09:31"; other text unchanged.
std::string display_time(const std::string& rfc3339);

}  // namespace bianmin::drivers::printer
