#include "resident_role.h"

#include "shell.h"

namespace bianmin::ui {

void ResidentRole::feed(session::Input in) {
  auto effects = session_.handle(in);
  // A card read by the reader: the session has copied what it needs.
  if (auto* card = std::get_if<session::IdCard>(&in); card && card->event.card) card->event.card->wipe();
  for (auto& e : effects) {
    if (std::holds_alternative<session::DoWipe>(e)) host_.wipe_all();
    host_.shell.carry_out(std::move(e));
  }
}

void ResidentRole::code(std::string raw) { feed(host_.shell.resident_code(std::move(raw))); }

bool ResidentRole::tick(Clock::time_point now) {
  const int countdown = session_.view().countdown;
  const auto screen = session_.view().screen;
  feed(session::Input{session::Tick{now}});
  return countdown != session_.view().countdown || screen != session_.view().screen;
}

}  // namespace bianmin::ui
