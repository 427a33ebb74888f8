#include "idcard/sim_card.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <map>

#include "base/bytes.h"
#include "base/json_input.h"
#include "base/fs.h"
#include "idcard/card_text.h"

namespace bianmin::drivers::idcard {
namespace {

using json = nlohmann::json;
using domain::CardLayout;

std::string compact_date(std::string_view iso) {
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-')
    return std::string(iso.substr(0, 4)) + std::string(iso.substr(5, 2)) + std::string(iso.substr(8, 2));
  return std::string(iso);
}

std::string sex_code_of(const domain::IdentityCard& c) {
  if (!c.sex_code.empty()) return c.sex_code;
  if (c.sex == "男") return "1";
  if (c.sex == "女") return "2";
  if (c.sex == "未知") return "0";
  if (c.sex == "未说明") return "9";
  return c.sex;  // already a code, or empty
}

// Writes UCS-2 fields into a space-filled block.
class Writer {
 public:
  Writer() : block_(kTextBlockSize, 0) {
    for (std::size_t i = 0; i < kTextBlockSize; i += 2) block_[i] = 0x20;
  }
  Status put(std::size_t off, std::size_t chars, std::string_view value, std::string_view field) {
    BIANMIN_ASSIGN(Bytes b, encode_ucs2_field(value, chars, field));
    std::memcpy(block_.data() + off, b.data(), b.size());
    return {};
  }
  Bytes take() { return std::move(block_); }

 private:
  Bytes block_;
};

Status encode_resident_like(const domain::IdentityCard& c, Writer& w) {
  BIANMIN_TRY(w.put(0, 15, c.name, "name"));
  BIANMIN_TRY(w.put(30, 1, sex_code_of(c), "sex"));
  if (c.layout == CardLayout::resident) {
    std::string code = c.ethnicity_code.empty() ? std::string(ethnicity_code(c.ethnicity)) : c.ethnicity_code;
    if (code.empty() && !c.ethnicity.empty())
      return make_error("input_invalid", "ethnicity \"" + c.ethnicity + "\" is not in the GB 3304 table");
    BIANMIN_TRY(w.put(32, 2, code, "ethnicity"));
  }
  BIANMIN_TRY(w.put(36, 8, compact_date(c.birth_date), "birth_date"));
  BIANMIN_TRY(w.put(52, 35, c.address, "address"));
  BIANMIN_TRY(w.put(122, 18, c.id_number, "id_number"));
  BIANMIN_TRY(w.put(158, 15, c.issuer, "issuer"));
  BIANMIN_TRY(w.put(188, 8, compact_date(c.valid_from), "valid_from"));
  BIANMIN_TRY(w.put(204, 8, compact_date(c.valid_until), "valid_until"));
  if (c.layout == CardLayout::gat) {
    BIANMIN_TRY(w.put(220, 9, c.pass_number, "pass_number"));
    std::string count = c.issue_count;
    if (count.size() == 1) count = "0" + count;
    BIANMIN_TRY(w.put(238, 2, count, "issue_count"));
    BIANMIN_TRY(w.put(248, 1, "J", "type flag"));
  }
  return {};
}

Status encode_foreign_2017(const domain::IdentityCard& c, Writer& w) {
  BIANMIN_TRY(w.put(0, 60, c.name_en, "name_en"));
  BIANMIN_TRY(w.put(120, 1, sex_code_of(c), "sex"));
  BIANMIN_TRY(w.put(122, 15, c.id_number, "id_number"));
  BIANMIN_TRY(w.put(152, 3, c.nationality, "nationality"));
  BIANMIN_TRY(w.put(158, 15, c.name, "name"));
  BIANMIN_TRY(w.put(188, 8, compact_date(c.valid_from), "valid_from"));
  BIANMIN_TRY(w.put(204, 8, compact_date(c.valid_until), "valid_until"));
  BIANMIN_TRY(w.put(220, 8, compact_date(c.birth_date), "birth_date"));
  BIANMIN_TRY(w.put(236, 2, c.card_version, "card_version"));
  BIANMIN_TRY(w.put(240, 4, c.issuer, "issuer"));
  return w.put(248, 1, "I", "type flag");
}

Status encode_foreign_2023(const domain::IdentityCard& c, Writer& w) {
  BIANMIN_TRY(w.put(0, 15, c.name, "name"));
  BIANMIN_TRY(w.put(30, 1, sex_code_of(c), "sex"));
  BIANMIN_TRY(w.put(32, 2, c.renewal_count, "renewal_count"));
  BIANMIN_TRY(w.put(36, 8, compact_date(c.birth_date), "birth_date"));
  // English name: characters 1–35 at 52, the rest (up to 46) at 220.
  auto cps = utf8_decode(c.name_en);
  if (!cps) return make_error("input_invalid", "name_en is not valid UTF-8");
  std::string first, rest;
  for (std::size_t i = 0; i < cps->size(); ++i) utf8_append(i < 35 ? first : rest, (*cps)[i]);
  BIANMIN_TRY(w.put(52, 35, first, "name_en"));
  BIANMIN_TRY(w.put(220, 11, rest, "name_en (characters 36-46)"));
  BIANMIN_TRY(w.put(122, 18, c.id_number, "id_number"));
  BIANMIN_TRY(w.put(188, 8, compact_date(c.valid_from), "valid_from"));
  BIANMIN_TRY(w.put(204, 8, compact_date(c.valid_until), "valid_until"));
  BIANMIN_TRY(w.put(242, 3, c.nationality, "nationality"));
  BIANMIN_TRY(w.put(248, 1, "Y", "type flag"));
  return w.put(250, 3, c.previous_number_link, "previous_number_link");
}

Result<CardLayout> layout_from(const json& j, const domain::IdentityCard& c) {
  static const std::map<std::string, CardLayout> kLayouts = {{"resident", CardLayout::resident},
                                                             {"foreign_2017", CardLayout::foreign_2017},
                                                             {"foreign_2023", CardLayout::foreign_2023},
                                                             {"gat", CardLayout::gat}};
  if (j.contains("layout")) {
    auto it = kLayouts.find(j["layout"].get<std::string>());
    if (it == kLayouts.end())
      return make_error("input_invalid", "layout must be resident, foreign_2017, foreign_2023 or gat");
    return it->second;
  }
  const std::string type = j.value("card_type", std::string("resident"));
  if (type == "resident") return CardLayout::resident;
  if (type == "gat_residence") return CardLayout::gat;
  if (type == "foreign_permanent")
    return c.id_number.size() == 15 ? CardLayout::foreign_2017 : CardLayout::foreign_2023;
  return make_error("input_invalid", "card_type must be resident, foreign_permanent or gat_residence");
}

}  // namespace

Result<Bytes> encode_ucs2_field(std::string_view utf8, std::size_t chars, std::string_view field) {
  auto cps = utf8_decode(utf8);
  if (!cps) return make_error("input_invalid", std::string(field) + " is not valid UTF-8");
  Bytes out;
  auto unit = [&out](char32_t u) {
    out.push_back(static_cast<uint8_t>(u & 0xFF));
    out.push_back(static_cast<uint8_t>(u >> 8));
  };
  for (char32_t cp : *cps) {
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  if (out.size() > 2 * chars)
    return make_error("input_invalid", std::string(field) + " \"" + std::string(utf8) + "\" does not fit its " +
                                           std::to_string(chars) + " UCS-2 characters");
  while (out.size() < 2 * chars) unit(U' ');
  return out;
}

Result<Bytes> encode_text_block(const domain::IdentityCard& c) {
  Writer w;
  switch (c.layout) {
    case CardLayout::resident:
    case CardLayout::gat: BIANMIN_TRY(encode_resident_like(c, w)); break;
    case CardLayout::foreign_2017: BIANMIN_TRY(encode_foreign_2017(c, w)); break;
    case CardLayout::foreign_2023: BIANMIN_TRY(encode_foreign_2023(c, w)); break;
  }
  return w.take();
}

Bytes placeholder_photo(std::size_t size) {
  Bytes p(size);
  const uint8_t head[] = {0x57, 0x4C, 0x66, 0x00, 0x7E, 0x00};
  uint32_t x = 0x2545F491u;
  for (std::size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    p[i] = i < sizeof head ? head[i] : static_cast<uint8_t>(x);
  }
  return p;
}

Result<CardImage> card_image_from_json(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed) return make_error("input_invalid", "card description: " + parsed.error().message);
  const json j = std::move(parsed).value();
  if (!j.is_object()) return make_error("input_invalid", "card description must be a JSON object");
  domain::IdentityCard c;
  const std::map<std::string, std::string*> strings = {
      {"name", &c.name}, {"name_en", &c.name_en}, {"sex", &c.sex}, {"sex_code", &c.sex_code},
      {"ethnicity", &c.ethnicity}, {"ethnicity_code", &c.ethnicity_code}, {"birth_date", &c.birth_date},
      {"address", &c.address}, {"appended_address", &c.appended_address}, {"id_number", &c.id_number},
      {"issuer", &c.issuer}, {"valid_from", &c.valid_from}, {"valid_until", &c.valid_until},
      {"nationality", &c.nationality}, {"pass_number", &c.pass_number}, {"issue_count", &c.issue_count},
      {"card_version", &c.card_version}, {"renewal_count", &c.renewal_count},
      {"previous_number_link", &c.previous_number_link}};
  std::size_t photo_bytes = kPhotoBlockSize, fingerprint_bytes = 0;
  std::string photo_hex;
  for (auto& [key, value] : j.items()) {
    if (key == "card_type" || key == "layout" || key == "id_number_valid" || key == "comment") {
      if (key != "id_number_valid" && !value.is_string())
        return make_error("input_invalid", key + " must be a string");
      continue;
    }
    if (key == "photo_bytes" || key == "fingerprint_bytes") {
      if (!value.is_number_unsigned() || value.get<uint64_t>() > 4096)
        return make_error("input_invalid", key + " must be a number from 0 to 4096");
      (key == "photo_bytes" ? photo_bytes : fingerprint_bytes) = value.get<std::size_t>();
      continue;
    }
    if (key == "photo_hex") {
      if (!value.is_string()) return make_error("input_invalid", "photo_hex must be a string");
      photo_hex = value.get<std::string>();
      continue;
    }
    auto it = strings.find(key);
    if (it == strings.end()) return make_error("input_invalid", "card description: unknown key \"" + key + "\"");
    if (value.is_null()) continue;
    if (key == "issue_count" && value.is_number_unsigned()) {
      c.issue_count = std::to_string(value.get<uint64_t>());
      continue;
    }
    if (!value.is_string()) return make_error("input_invalid", key + " must be a string");
    *it->second = value.get<std::string>();
  }
  BIANMIN_ASSIGN(c.layout, layout_from(j, c));
  CardImage img;
  BIANMIN_ASSIGN(img.text, encode_text_block(c));
  if (!photo_hex.empty()) {
    auto raw = from_hex(photo_hex);
    if (!raw) return make_error("input_invalid", "photo_hex is not hex");
    img.photo.assign(raw->begin(), raw->end());
  } else {
    img.photo = placeholder_photo(photo_bytes);
  }
  img.fingerprint = placeholder_photo(fingerprint_bytes);
  if (!c.appended_address.empty()) {
    BIANMIN_ASSIGN(img.appended_address, encode_ucs2_field(c.appended_address, 35, "appended_address"));
  }
  c.wipe();
  return img;
}

Result<CardImage> load_card_image(const std::string& path) {
  BIANMIN_ASSIGN(std::string content, fs::read_file(path, 1u << 20));
  CardImage img;
  const bool is_json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (is_json) {
    auto parsed = card_image_from_json(content);
    if (!parsed) return parsed.take_error().context(path);
    img = std::move(parsed).value();
  } else {
    if (content.size() < kTextBlockSize)
      return make_error("input_invalid", path + ": a raw card block needs at least 256 bytes, this has " +
                                             std::to_string(content.size()));
    const auto* b = reinterpret_cast<const uint8_t*>(content.data());
    img.text.assign(b, b + kTextBlockSize);
    const std::size_t photo = std::min(content.size() - kTextBlockSize, kPhotoBlockSize);
    img.photo = photo > 0 ? Bytes(b + kTextBlockSize, b + kTextBlockSize + photo) : placeholder_photo();
    img.fingerprint.assign(b + kTextBlockSize + photo, b + content.size());
  }
  img.source = path;
  return img;
}

}  // namespace bianmin::drivers::idcard
