#include "idcard/protocol.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace bianmin::drivers::idcard {

CommandCode command_code(Command c) {
  switch (c) {
    case Command::reset_sam: return {0x10, 0xFF};
    case Command::sam_status: return {0x11, 0xFF};
    case Command::read_sam_id: return {0x12, 0xFF};
    case Command::find_card: return {0x20, 0x01};
    case Command::select_card: return {0x20, 0x02};
    case Command::read_base_info: return {0x30, 0x01};
    case Command::read_appended_address: return {0x30, 0x03};
    case Command::read_with_fingerprint: return {0x30, 0x10};
    case Command::set_uart_baud: return {0x60, 0x00};
    case Command::set_rf_frame_size: return {0x61, 0xFF};
  }
  return {0, 0};
}

const char* command_name(Command c) {
  switch (c) {
    case Command::reset_sam: return "reset SAM";
    case Command::sam_status: return "SAM status";
    case Command::read_sam_id: return "read SAM ID";
    case Command::find_card: return "find card";
    case Command::select_card: return "select card";
    case Command::read_base_info: return "read base info";
    case Command::read_appended_address: return "read appended address";
    case Command::read_with_fingerprint: return "read base info with fingerprint";
    case Command::set_uart_baud: return "set UART baud rate";
    case Command::set_rf_frame_size: return "set RF frame size";
  }
  return "?";
}

std::optional<Command> command_from_code(uint8_t cmd, uint8_t para) {
  if (cmd == 0x60) return Command::set_uart_baud;
  for (Command c : {Command::reset_sam, Command::sam_status, Command::read_sam_id, Command::find_card,
                    Command::select_card, Command::read_base_info, Command::read_appended_address,
                    Command::read_with_fingerprint, Command::set_rf_frame_size}) {
    const CommandCode k = command_code(c);
    if (k.cmd == cmd && k.para == para) return c;
  }
  return std::nullopt;
}

uint8_t xor_checksum(std::span<const uint8_t> bytes) {
  uint8_t x = 0;
  for (uint8_t b : bytes) x ^= b;
  return x;
}

namespace {

// Preamble, big-endian length of (body + CHK), body, XOR of Len..body.
Bytes frame_with_body(std::span<const uint8_t> body) {
  Bytes f(std::begin(kPreamble), std::end(kPreamble));
  const std::size_t len = body.size() + 1;
  f.push_back(static_cast<uint8_t>(len >> 8));
  f.push_back(static_cast<uint8_t>(len & 0xFF));
  f.insert(f.end(), body.begin(), body.end());
  f.push_back(xor_checksum(std::span<const uint8_t>(f).subspan(5)));
  return f;
}

}  // namespace

Bytes build_frame(uint8_t cmd, uint8_t para, std::span<const uint8_t> data) {
  Bytes body{cmd, para};
  body.insert(body.end(), data.begin(), data.end());
  return frame_with_body(body);
}

Bytes build_command(Command c) {
  const CommandCode k = command_code(c);
  if (c == Command::set_rf_frame_size) return build_set_rf_frame_size(0x50);
  return build_frame(k.cmd, k.para);
}

namespace {
constexpr int kBauds[] = {115200, 57600, 38400, 19200, 9600};
}

std::optional<uint8_t> baud_para(int baud) {
  for (uint8_t i = 0; i < 5; ++i)
    if (kBauds[i] == baud) return i;
  return std::nullopt;
}

std::optional<int> baud_of_para(uint8_t para) {
  if (para < 5) return kBauds[para];
  return std::nullopt;
}

Result<Bytes> build_set_uart_baud(int baud) {
  auto p = baud_para(baud);
  if (!p) return make_error("input_invalid", "the reader's UART takes 115200, 57600, 38400, 19200 or 9600 bit/s, not " +
                                                 std::to_string(baud));
  return build_frame(0x60, *p);
}

Bytes build_set_rf_frame_size(uint8_t max_bytes) {
  const uint8_t data[1] = {max_bytes};
  return build_frame(0x61, 0xFF, data);
}

Bytes build_response(uint8_t sw3, std::span<const uint8_t> data, uint8_t sw1, uint8_t sw2) {
  Bytes body{sw1, sw2, sw3};
  body.insert(body.end(), data.begin(), data.end());
  return frame_with_body(body);
}

// ---- Status table ------------------------------------------------------------

const std::vector<StatusInfo>& all_statuses() {
  static const std::vector<StatusInfo> table = {
      {0x90, "success", "操作成功", "success"},
      {0x91, "no_content", "证/卡中此项无内容", "the card has no content for this item"},
      {0x9F, "find_card_ok", "寻找证/卡成功", "card found"},
      {0x10, "host_checksum_error", "接收业务终端数据的校验和错", "checksum error in the data from the host"},
      {0x11, "host_length_error", "接收业务终端数据的长度错", "length error in the data from the host"},
      {0x21, "command_error", "接收业务终端的命令错误", "command error (bad values or illegal sequence)"},
      {0x23, "unauthorised_operation", "越权操作", "unauthorised operation"},
      {0x24, "unrecognised_error", "无法识别的错误", "unrecognised error"},
      {0x31, "card_auth_sam_failed", "证/卡认证SAM失败", "the card failed to authenticate the SAM"},
      {0x32, "sam_auth_card_failed", "SAM认证证/卡失败", "the SAM failed to authenticate the card"},
      {0x33, "info_verify_failed", "信息验证错误", "information verification error"},
      {0x40, "unknown_card_type", "无法识别的证/卡类型", "unrecognised card type"},
      {0x41, "read_card_failed", "读证/卡操作失败", "read card operation failed"},
      {0x47, "random_failed", "取随机数失败", "get random number failed"},
      {0x60, "sam_self_test_failed", "SAM自检失败，不能接收命令", "SAM self-test failed, cannot accept commands"},
      {0x66, "sam_not_authorised", "SAM未经授权，无法使用", "SAM not authorised, unusable"},
      {0x80, "find_card_failed", "寻找证/卡失败", "find card failed (no card on the reader)"},
      {0x81, "select_card_failed", "选取证/卡失败", "select card failed"},
  };
  return table;
}

const StatusInfo& status_info(uint8_t sw3) {
  static const StatusInfo unknown{0, "unknown_status", "未知状态", "status not in the SAM_V table"};
  for (const auto& s : all_statuses())
    if (s.sw3 == sw3) return s;
  return unknown;
}

bool is_success(uint8_t sw3) { return sw3 == sw3::kSuccess || sw3 == sw3::kNoContent || sw3 == sw3::kFindOk; }

Error status_error(uint8_t sw3, uint8_t sw1, uint8_t sw2) {
  const StatusInfo& s = status_info(sw3);
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", sw3);
  std::string msg = std::string("reader status ") + hex + " " + s.code + ": " + s.zh + " (" + s.en + ")";
  if (sw1 != 0 || sw2 != 0) {
    char card[24];
    std::snprintf(card, sizeof card, "; card SW1 SW2 %02X %02X", sw1, sw2);
    msg += card;
  }
  return make_error(std::string("sam_") + s.code, msg);
}

// ---- Streaming parser ----------------------------------------------------------

void FrameParser::feed(std::span<const uint8_t> bytes) {
  // Growing the buffer would leave copies of earlier bytes in freed memory;
  // a frame is never longer than max_len_, so reserve that once.
  const std::size_t need = std::max(buf_.size() + bytes.size(), max_len_ + 64);
  if (buf_.capacity() < need) {
    Bytes bigger;
    bigger.reserve(need + need / 2);
    bigger.assign(buf_.begin(), buf_.end());
    buf_.resize(buf_.capacity());
    OPENSSL_cleanse(buf_.data(), buf_.size());
    buf_.swap(bigger);
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

void FrameParser::reset() {
  // Card frames carry a resident's data: overwrite the whole allocation,
  // including bytes left beyond size() by earlier compaction.
  buf_.resize(buf_.capacity());
  OPENSSL_cleanse(buf_.data(), buf_.size());
  buf_.clear();
  pos_ = 0;
  skipped_ = 0;
}

void FrameParser::compact() {
  if (pos_ == 0) return;
  if (pos_ >= buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ >= 4096 || pos_ * 2 >= buf_.size()) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
}

bool FrameParser::in_frame() const {
  return buffered() >= sizeof kPreamble && std::memcmp(buf_.data() + pos_, kPreamble, sizeof kPreamble) == 0;
}

std::optional<Result<Bytes>> FrameParser::next() {
  const auto begin = buf_.begin() + static_cast<std::ptrdiff_t>(pos_);
  const auto hit = std::search(begin, buf_.end(), std::begin(kPreamble), std::end(kPreamble));
  if (hit == buf_.end()) {
    // Keep a tail that may be the start of a preamble split across reads.
    std::size_t keep = 0;
    for (std::size_t k = std::min<std::size_t>(sizeof kPreamble - 1, buffered()); k > 0; --k)
      if (std::memcmp(buf_.data() + buf_.size() - k, kPreamble, k) == 0) {
        keep = k;
        break;
      }
    skipped_ += buffered() - keep;
    pos_ = buf_.size() - keep;
    compact();
    return std::nullopt;
  }
  const auto at = static_cast<std::size_t>(hit - buf_.begin());
  skipped_ += at - pos_;
  pos_ = at;
  compact();
  if (buffered() < kHeaderSize) return std::nullopt;
  const uint8_t* f = buf_.data() + pos_;
  const std::size_t len = (std::size_t{f[5]} << 8) | f[6];
  if (len < min_len_ || len > max_len_) {
    pos_ += 1;  // resynchronise on the next preamble
    compact();
    return Result<Bytes>(make_error("frame_length", "impossible frame length " + std::to_string(len)));
  }
  if (buffered() < kHeaderSize + len) return std::nullopt;
  const uint8_t expected = xor_checksum(std::span<const uint8_t>(f + 5, len + 2));  // Len1..CHK: XOR is 0 when good
  if (expected != 0) {
    pos_ += 1;
    compact();
    return Result<Bytes>(make_error("frame_checksum", "frame checksum mismatch"));
  }
  Bytes body(f + kHeaderSize, f + kHeaderSize + len - 1);
  pos_ += kHeaderSize + len;
  compact();
  return Result<Bytes>(std::move(body));
}

std::optional<Result<Response>> ResponseParser::next() {
  auto body = frames_.next();
  if (!body) return std::nullopt;
  if (!*body) return Result<Response>(body->take_error());
  Bytes& b = body->value();
  Response r;
  r.sw1 = b[0];
  r.sw2 = b[1];
  r.sw3 = b[2];
  r.data.assign(b.begin() + 3, b.end());
  OPENSSL_cleanse(b.data(), b.size());  // the body may hold a card's text
  return Result<Response>(std::move(r));
}

std::optional<Result<CommandFrame>> CommandParser::next() {
  auto body = frames_.next();
  if (!body) return std::nullopt;
  if (!*body) return Result<CommandFrame>(body->take_error());
  Bytes& b = body->value();
  CommandFrame c;
  c.cmd = b[0];
  c.para = b[1];
  c.data.assign(b.begin() + 2, b.end());
  return Result<CommandFrame>(std::move(c));
}

}  // namespace bianmin::drivers::idcard
