// The JSON form of a card read, as `bianmin idcard read --json` prints it
// (issue 3's contract): card_type, name, name_en (foreign), sex, ethnicity
// (resident), birth_date, address, id_number, id_number_valid, issuer,
// valid_from, valid_until, nationality (foreign), pass_number and
// issue_count (GAT; the card's two characters, "01"), card_version (2017 foreign), photo_bytes; plus a few
// extra keys (layout, sex_code, ethnicity_code, appended_address,
// renewal_count, previous_number_link).
#pragma once

#include <nlohmann/json.hpp>

#include "domain/identity_card.h"

namespace bianmin::drivers::idcard {

nlohmann::json card_to_json(const domain::IdentityCard& card);

}  // namespace bianmin::drivers::idcard
