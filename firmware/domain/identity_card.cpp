#include "domain/identity_card.h"

#include "base/bytes.h"
#include "domain/masking.h"

namespace bianmin::domain {

const char* card_type_key(CardType t) {
  switch (t) {
    case CardType::resident: return "resident";
    case CardType::foreign_permanent: return "foreign_permanent";
    case CardType::gat_residence: return "gat_residence";
  }
  return "resident";
}

const char* card_layout_key(CardLayout l) {
  switch (l) {
    case CardLayout::resident: return "resident";
    case CardLayout::foreign_2017: return "foreign_2017";
    case CardLayout::foreign_2023: return "foreign_2023";
    case CardLayout::gat: return "gat";
  }
  return "resident";
}

CardType card_type_of(CardLayout l) {
  switch (l) {
    case CardLayout::foreign_2017:
    case CardLayout::foreign_2023: return CardType::foreign_permanent;
    case CardLayout::gat: return CardType::gat_residence;
    case CardLayout::resident: break;
  }
  return CardType::resident;
}

Applicant IdentityCard::to_applicant() const {
  Applicant a;
  // Some foreign permanent residents have no Chinese name on the card.
  a.name = name.empty() ? name_en : name;
  a.id_type = card_type_key(type());
  a.id_number = id_number;
  a.sex = (sex == "男" || sex == "女") ? sex : std::string();
  a.birth_date = birth_date;
  a.address = current_address();
  a.verified_by = "id_card_reader";
  return a;
}

std::string IdentityCard::masked_name() const { return mask_name(name.empty() ? name_en : name); }
std::string IdentityCard::masked_id_number() const { return mask_id_number(id_number); }

void IdentityCard::wipe() {
  for (std::string* s : {&name, &name_en, &sex, &sex_code, &ethnicity, &ethnicity_code, &birth_date, &address,
                         &appended_address, &id_number, &issuer, &valid_from, &valid_until, &nationality,
                         &pass_number, &issue_count, &card_version, &renewal_count, &previous_number_link})
    secure_wipe(*s);
  secure_wipe(photo);
  secure_wipe(fingerprint);
  id_number_valid = false;
}

const char* idcard_event_key(IdCardEventKind k) {
  switch (k) {
    case IdCardEventKind::reader_present: return "reader_present";
    case IdCardEventKind::reader_absent: return "reader_absent";
    case IdCardEventKind::card_read: return "card_read";
    case IdCardEventKind::read_failed: return "read_failed";
    case IdCardEventKind::card_removed: return "card_removed";
  }
  return "reader_absent";
}

void IdCardEventQueue::on_idcard_event(IdCardEvent event) {
  {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
  }
  cv_.notify_all();
}

std::optional<IdCardEvent> IdCardEventQueue::poll() {
  std::lock_guard lock(mu_);
  if (events_.empty()) return std::nullopt;
  IdCardEvent e = std::move(events_.front());
  events_.pop_front();
  return e;
}

std::optional<IdCardEvent> IdCardEventQueue::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, timeout, [this] { return !events_.empty(); })) return std::nullopt;
  IdCardEvent e = std::move(events_.front());
  events_.pop_front();
  return e;
}

std::size_t IdCardEventQueue::size() const {
  std::lock_guard lock(mu_);
  return events_.size();
}

void IdCardEventQueue::clear() {
  std::lock_guard lock(mu_);
  for (auto& e : events_)
    if (e.card) e.card->wipe();
  events_.clear();
}

}  // namespace bianmin::domain
