// A card as the simulator holds it: the exact bytes a reader would return
// (256-byte text block, photo, fingerprint, appended address), built from a
// JSON description of any of the three card types or from a raw block file.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "domain/identity_card.h"
#include "idcard/protocol.h"

namespace bianmin::drivers::idcard {

struct CardImage {
  Bytes text;              // 256 bytes, UCS-2LE
  Bytes photo;             // opaque WLT-like block (1024 bytes by default)
  Bytes fingerprint;       // empty unless the description asks for one
  Bytes appended_address;  // 70 bytes UCS-2LE, or empty: the card has none (SW3 91)
  std::string source;      // file it came from, for `info`
};

// The text block for a card; fails when a field does not fit its width.
// Sex and ethnicity come from their codes when set, else from the names;
// ISO dates are written as YYYYMMDD, other text (长期) as it is.
Result<Bytes> encode_text_block(const domain::IdentityCard& card);
// UTF-8 → UCS-2LE padded with spaces to `chars` characters (surrogate
// pairs count as two); fails when it does not fit.
Result<Bytes> encode_ucs2_field(std::string_view utf8, std::size_t chars, std::string_view field);
// A recognisable placeholder for the WLT photo: "WL", 102, 126 (LE) and a
// deterministic filler. It is not a decodable image.
Bytes placeholder_photo(std::size_t size = 1024);

// Parses the card description. Keys are those `bianmin idcard read --json`
// prints (so its output can be fed back), plus `layout` (resident,
// foreign_2017, foreign_2023, gat: chosen from card_type and the number's
// form when absent), `fingerprint_bytes`, `photo_hex`. Unknown keys are refused.
Result<CardImage> card_image_from_json(std::string_view json_text);
// A .json description, or a raw block: 256 bytes (text) or 1280 (text +
// photo) or more (text + photo + fingerprint).
Result<CardImage> load_card_image(const std::string& path);

}  // namespace bianmin::drivers::idcard
