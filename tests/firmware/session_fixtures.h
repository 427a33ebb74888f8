// What the session tests share: a card as the reader gives it, and finding
// an effect among those a session returned.
#pragma once

#include <vector>

#include "domain/identity_card.h"
#include "session/inputs.h"

namespace bianmin::session {

template <class E, class AnyEffect>
const E* find_effect(const std::vector<AnyEffect>& effects) {
  for (const auto& e : effects)
    if (auto* p = std::get_if<E>(&e)) return p;
  return nullptr;
}

inline domain::IdentityCard test_card() {
  domain::IdentityCard c;
  c.name = "张三丰";
  c.sex = "男";
  c.birth_date = "1990-03-07";
  c.address = "甘肃省张掖市甘州区梁家墩镇清凉寺村三社";
  c.id_number = "620702199003071232";
  c.id_number_valid = true;
  return c;
}

inline IdCard card_event(domain::IdCardEventKind kind, bool with_card = true) {
  IdCard e;
  e.event.kind = kind;
  if (with_card && kind == domain::IdCardEventKind::card_read) e.event.card = test_card();
  return e;
}

}  // namespace bianmin::session
