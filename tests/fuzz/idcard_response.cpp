// libFuzzer target: the ID-card reader's streaming frame parser (responses
// from the reader and commands from the host) and what a good frame is
// decoded into. Input bytes arrive in chunks whose sizes the input chooses,
// so split frames are explored too. Invariants: no crash, no unbounded
// buffering, every accepted frame re-encodes to a frame that parses back to
// the same values.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "base/bytes.h"
#include "idcard/card_text.h"
#include "idcard/protocol.h"

using namespace bianmin::drivers::idcard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // First byte: chunk size for feeding (1..256).
  const std::size_t chunk = std::size_t{data[0]} + 1;
  std::span<const uint8_t> in(data + 1, size - 1);
  ResponseParser responses;
  CommandParser commands;
  for (std::size_t at = 0; at < in.size(); at += chunk) {
    auto piece = in.subspan(at, std::min(chunk, in.size() - at));
    responses.feed(piece);
    commands.feed(piece);
    while (auto r = responses.next()) {
      if (!*r) continue;
      const Response& resp = r->value();
      // Round trip: the frame we would build from these values parses back.
      const Bytes again = build_response(resp.sw3, resp.data, resp.sw1, resp.sw2);
      ResponseParser check;
      check.feed(again);
      auto back = check.next();
      if (!back || !*back || (*back)->data != resp.data || (*back)->sw3 != resp.sw3) std::abort();
      (void)status_error(resp.sw3, resp.sw1, resp.sw2);
      // As the reader would after 30 01 / 30 10 (the text-block target covers
      // the decoding in depth; here it only has to survive any frame).
      auto card = decode_base_info(resp.data, (resp.sw1 & 1) != 0);
      if (card && !bianmin::is_valid_utf8(card->name + card->address + card->name_en)) std::abort();
    }
    while (auto c = commands.next()) {
      if (!*c) continue;
      (void)command_from_code((*c)->cmd, (*c)->para);
    }
  }
  return 0;
}
