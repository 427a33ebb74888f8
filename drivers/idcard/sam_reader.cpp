#include "idcard/sam_reader.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "base/log.h"
#include "idcard/card_text.h"

namespace bianmin::drivers::idcard {
namespace {

using Clock = std::chrono::steady_clock;

// After a damaged frame, how long to wait for a good one before giving up
// early and letting the caller retry (instead of sitting out the full
// command timeout).
constexpr Millis kQuietAfterDamage{100};

Error with_context(Error e, std::string_view what) {
  e.message = std::string(what) + ": " + e.message;
  return e;
}

// Expected response sizes, for the wire-time allowance at low baud rates.
constexpr std::size_t kSmallResponse = 32;
constexpr std::size_t kBaseInfoResponse = 1295;
constexpr std::size_t kFingerprintResponse = 2321;

}  // namespace

SamReader::SamReader(Transport& transport, SamReaderOptions options) : transport_(transport), options_(options) {}

bool SamReader::is_transient(const Error& e) {
  return e.code == "reader_not_answering" || e.code == "frame_checksum" || e.code == "frame_length" ||
         e.code == "frame_incomplete" || e.code == "sam_host_checksum_error" || e.code == "sam_host_length_error";
}

Millis SamReader::with_wire_time(Millis timeout, std::size_t bytes) const {
  const int baud = transport_.baud();
  if (baud <= 0) return timeout;
  // 10 bits per byte (8N1), for the command and the response.
  return timeout + Millis((bytes + 16) * 10 * 1000 / static_cast<std::size_t>(baud) + 1);
}

Result<Response> SamReader::exchange(std::span<const uint8_t> frame, Millis timeout) {
  BIANMIN_TRY(transport_.open());
  transport_.discard_input();
  parser_.reset();
  ++stats_.commands;
  BIANMIN_TRY(transport_.send_frame(frame, timeout));
  stats_.bytes_sent += frame.size();
  const auto start = Clock::now();
  const auto hard_deadline = start + timeout;
  auto deadline = hard_deadline;
  std::optional<Error> damage;
  std::size_t received = 0;
  std::vector<uint8_t> chunk;
  chunk.reserve(8192);  // no reallocation, so no unwiped copies left behind
  // Received bytes may be a card's text block: never leave them in freed memory.
  struct WipeOnExit {
    std::vector<uint8_t>& v;
    ~WipeOnExit() {
      v.resize(v.capacity());
      OPENSSL_cleanse(v.data(), v.size());
    }
  } wipe_chunk{chunk};
  for (;;) {
    while (auto r = parser_.next()) {
      if (*r) {
        stats_.garbage_bytes += parser_.garbage_skipped();
        return std::move(*r).value();
      }
      ++stats_.damaged_frames;
      damage = r->take_error();
      deadline = std::min(hard_deadline, Clock::now() + kQuietAfterDamage);
    }
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0) break;
    chunk.clear();
    BIANMIN_TRY(transport_.receive(chunk, left));
    if (chunk.empty()) continue;
    received += chunk.size();
    stats_.bytes_received += chunk.size();
    parser_.feed(chunk);
    if (damage) deadline = std::min(hard_deadline, Clock::now() + kQuietAfterDamage);
  }
  stats_.garbage_bytes += parser_.garbage_skipped();
  if (damage) return *damage;
  if (received == 0)
    return make_error("reader_not_answering", "no answer within " + std::to_string(timeout.count()) + " ms");
  if (parser_.in_frame())
    return make_error("frame_incomplete", "frame incomplete after " + std::to_string(timeout.count()) + " ms (" +
                                              std::to_string(received) + " bytes received)");
  return make_error("frame_incomplete", "no frame in the " + std::to_string(received) + " bytes received within " +
                                            std::to_string(timeout.count()) + " ms");
}

Result<Response> SamReader::transact(std::span<const uint8_t> frame, Millis timeout, std::string_view what,
                                     int retries) {
  for (int attempt = 0;; ++attempt) {
    auto r = exchange(frame, timeout);
    if (r) {
      // The reader says our frame arrived damaged: line noise, send again.
      if ((r->sw3 == sw3::kHostChecksum || r->sw3 == sw3::kHostLength) && attempt < retries) {
        ++stats_.retries;
        continue;
      }
      return r;
    }
    Error e = r.take_error();
    if (!is_transient(e) || attempt >= retries) return with_context(std::move(e), what);
    ++stats_.retries;
    log::debug("idcard", "retrying", {{"command", what}, {"error", e.code}, {"attempt", attempt + 1}});
  }
}

Result<Response> SamReader::command(Command c, std::span<const uint8_t> frame, Millis timeout,
                                    std::size_t expected_response_bytes) {
  return transact(frame, with_wire_time(timeout, expected_response_bytes), command_name(c), options_.retries);
}

namespace {

Status expect(const Result<Response>& r, uint8_t ok, std::string_view what) {
  if (!r) return r.error();
  if (r->sw3 != ok) return with_context(status_error(r->sw3, r->sw1, r->sw2), what);
  return {};
}

}  // namespace

Status SamReader::reset_sam() {
  auto r = command(Command::reset_sam, build_command(Command::reset_sam), options_.timeouts.reset, kSmallResponse);
  return expect(r, sw3::kSuccess, "reset SAM");
}

Status SamReader::status_check() {
  auto r = command(Command::sam_status, build_command(Command::sam_status), options_.timeouts.status, kSmallResponse);
  return expect(r, sw3::kSuccess, "SAM status");
}

Result<Bytes> SamReader::sam_id() {
  auto r = command(Command::read_sam_id, build_command(Command::read_sam_id), options_.timeouts.sam_id, kSmallResponse);
  BIANMIN_TRY(expect(r, sw3::kSuccess, "read SAM ID"));
  if (r->data.size() < 16)
    return make_error("frame_short", "read SAM ID: " + std::to_string(r->data.size()) + " data bytes, expected 16");
  return Bytes(r->data.begin(), r->data.begin() + 16);
}

Result<bool> SamReader::find_card() {
  auto r = command(Command::find_card, build_command(Command::find_card), options_.timeouts.find, kSmallResponse);
  if (!r) return r.take_error();
  if (r->sw3 == sw3::kFindOk) return true;
  if (r->sw3 == sw3::kFindFailed) return false;
  return with_context(status_error(r->sw3, r->sw1, r->sw2), "find card");
}

Status SamReader::select_card() {
  auto r = command(Command::select_card, build_command(Command::select_card), options_.timeouts.select, kSmallResponse);
  return expect(r, sw3::kSuccess, "select card");
}

Result<domain::IdentityCard> SamReader::read_base_info(bool with_fingerprint) {
  const Command c = with_fingerprint ? Command::read_with_fingerprint : Command::read_base_info;
  auto r = command(c, build_command(c), options_.timeouts.read,
                   with_fingerprint ? kFingerprintResponse : kBaseInfoResponse);
  BIANMIN_TRY(expect(r, sw3::kSuccess, command_name(c)));
  auto card = decode_base_info(r->data, with_fingerprint);
  OPENSSL_cleanse(r->data.data(), r->data.size());
  parser_.reset();  // overwrites the frame the parser still holds
  if (!card) return with_context(card.take_error(), command_name(c));
  return card;
}

Result<std::optional<std::string>> SamReader::read_appended_address() {
  const Bytes frame = build_command(Command::read_appended_address);
  auto r = transact(frame, with_wire_time(options_.timeouts.appended, 80), "read appended address", 0);
  if (!r) return r.take_error();
  if (r->sw3 == sw3::kNoContent) return std::optional<std::string>();
  if (r->sw3 != sw3::kSuccess) return with_context(status_error(r->sw3, r->sw1, r->sw2), "read appended address");
  std::optional<std::string> address(decode_appended_address(r->data));
  OPENSSL_cleanse(r->data.data(), r->data.size());
  parser_.reset();
  return address;
}

Status SamReader::set_uart_baud(int baud) {
  BIANMIN_ASSIGN(Bytes frame, build_set_uart_baud(baud));
  auto r = command(Command::set_uart_baud, frame, options_.timeouts.config, kSmallResponse);
  return expect(r, sw3::kSuccess, "set UART baud rate");
}

Status SamReader::set_rf_frame_size(uint8_t max_bytes) {
  auto r = command(Command::set_rf_frame_size, build_set_rf_frame_size(max_bytes), options_.timeouts.config,
                   kSmallResponse);
  return expect(r, sw3::kSuccess, "set RF frame size");
}

Result<domain::IdentityCard> SamReader::read_card(bool with_fingerprint) {
  BIANMIN_TRY(select_card());
  BIANMIN_ASSIGN(domain::IdentityCard card, read_base_info(with_fingerprint));
  if (card.type() != domain::CardType::foreign_permanent) {
    auto extra = read_appended_address();
    if (extra && *extra) card.appended_address = std::move(**extra);
    else if (!extra)  // optional: the card's data is complete without it
      log::debug("idcard", "no appended address", {{"error", extra.error().code}});
  }
  log::info("idcard", "card read",
            {{"type", domain::card_layout_key(card.layout)}, {"name", card.masked_name()},
             {"id_number", card.masked_id_number()}, {"id_number_valid", card.id_number_valid ? "yes" : "no"}});
  return card;
}

int exit_code_for(const Error& e) {
  const std::string& c = e.code;
  if (c.starts_with("reader_")) return 4;  // not found, busy, access, disconnected, not answering
  return 5;                                // sam_* statuses, frame_*, card data
}

}  // namespace bianmin::drivers::idcard
