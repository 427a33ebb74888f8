#include "idcard/card_json.h"

namespace bianmin::drivers::idcard {

using json = nlohmann::json;
using domain::CardLayout;

json card_to_json(const domain::IdentityCard& c) {
  json j;
  j["card_type"] = domain::card_type_key(c.type());
  j["layout"] = domain::card_layout_key(c.layout);
  j["name"] = c.name;
  const bool foreign = c.type() == domain::CardType::foreign_permanent;
  if (foreign) j["name_en"] = c.name_en;
  j["sex"] = c.sex;
  j["sex_code"] = c.sex_code;
  if (c.layout == CardLayout::resident) {
    j["ethnicity"] = c.ethnicity;
    j["ethnicity_code"] = c.ethnicity_code;
  }
  j["birth_date"] = c.birth_date;
  j["address"] = c.address;
  if (!foreign) j["appended_address"] = c.appended_address.empty() ? json(nullptr) : json(c.appended_address);
  j["id_number"] = c.id_number;
  j["id_number_valid"] = c.id_number_valid;
  j["issuer"] = c.issuer;
  j["valid_from"] = c.valid_from;
  j["valid_until"] = c.valid_until;
  if (foreign) j["nationality"] = c.nationality;
  if (c.layout == CardLayout::gat) {
    j["pass_number"] = c.pass_number;
    // As it stands on the card: two characters ("01"), not a number
    // (devices.md: bytes 238–241, two UTF-16 characters).
    j["issue_count"] = c.issue_count;
  }
  if (c.layout == CardLayout::foreign_2017) j["card_version"] = c.card_version;
  if (c.layout == CardLayout::foreign_2023) {
    j["renewal_count"] = c.renewal_count;
    j["previous_number_link"] = c.previous_number_link;
  }
  j["photo_bytes"] = c.photo.size();
  return j;
}

}  // namespace bianmin::drivers::idcard
