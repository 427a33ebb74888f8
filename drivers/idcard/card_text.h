// Decoding what the card holds (../shared/spec/devices.md §1.5–1.8): the
// data of "read base info", the 256-byte text block of the three card types,
// the appended address, the nation table. Pure and total: any input bytes
// give a value or an error, never a crash.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "domain/identity_card.h"
#include "idcard/protocol.h"

namespace bianmin::drivers::idcard {

inline constexpr std::size_t kTextBlockSize = 256;
inline constexpr std::size_t kPhotoBlockSize = 1024;
inline constexpr std::size_t kTypeFlagOffset = 248;

// UTF-16LE → UTF-8, surrogate pairs joined (characters outside the BMP, e.g.
// rare name characters, survive); an unpaired surrogate or a control
// character becomes U+FFFD. With `trim`, trailing U+0020 and U+0000 go.
std::string ucs2le_to_utf8(std::span<const uint8_t> bytes, bool trim = true);

// Name of a GB 3304 nation code ("01" → "汉"), 97 其他, 98 外国血统中国籍人士;
// empty for an unknown code.
std::string_view ethnicity_name(std::string_view code);
// The code of a nation name ("汉" or "汉族" → "01"), empty when unknown.
std::string_view ethnicity_code(std::string_view name);
// GB/T 2261.1: 1 男, 2 女, 0 未知, 9 未说明; empty for anything else.
std::string_view sex_name(std::string_view code);

// "19491231" → "1949-12-31"; any other text (e.g. "长期") is returned as it is.
std::string iso_date(std::string_view yyyymmdd);

// Which layout a text block has, from the character at byte 248.
domain::CardLayout detect_layout(std::span<const uint8_t> text);

// Every field of the block. Short blocks decode the fields they hold.
domain::IdentityCard decode_text_block(std::span<const uint8_t> text);

// The data of a 30 01 (text + photo) or 30 10 (+ fingerprint) response:
// big-endian 16-bit lengths first, then the blocks. Lengths are parsed, not
// assumed; a block that does not fit the data is an error.
struct BaseInfo {
  Bytes text, photo, fingerprint;
};
Result<BaseInfo> split_base_info(std::span<const uint8_t> data, bool with_fingerprint);
// split_base_info + decode_text_block; the photo kept as opaque bytes.
Result<domain::IdentityCard> decode_base_info(std::span<const uint8_t> data, bool with_fingerprint);

// The appended address (30 03): UCS-2LE text, normally 70 bytes.
std::string decode_appended_address(std::span<const uint8_t> data);

}  // namespace bianmin::drivers::idcard
