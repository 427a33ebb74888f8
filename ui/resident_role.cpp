#include "resident_role.h"

#include "base/time.h"
#include "shell.h"
#include "speaker.h"

namespace bianmin::ui {

void ResidentRole::feed(session::Input in) {
  const session::Moment before = session::moment_of(session_.view());
  auto effects = session_.handle(in);
  speak(before);
  // 朗读: asked for, so said whatever the guidance setting is.
  if (auto* read = std::get_if<session::ReadAloud>(&in); read && host_.speaker)
    host_.speaker->read_aloud(read->text, session_.view().lang);
  // A card read by the reader: the session has copied what it needs.
  if (auto* card = std::get_if<session::IdCard>(&in); card && card->event.card) card->event.card->wipe();
  for (auto& e : effects) {
    if (std::holds_alternative<session::DoWipe>(e)) host_.wipe_all();
    host_.shell.carry_out(std::move(e));
  }
}

// Says what the step the session just took asks of the resident, when the
// resident wants guidance (their button, elder mode, the settings); and
// nothing more of a session that ended or that was told to be quiet.
bool ResidentRole::speaking() const {
  const session::View& v = session_.view();
  return host_.speaker && host_.voice.speaks(v.voice, v.elder, time::local_minute_of_day(time::Clock::now()));
}

void ResidentRole::speak(const session::Moment& before) {
  if (!host_.speaker) return;
  const session::View& v = session_.view();
  const bool on = speaking();
  const bool ended = v.screen == session::Screen::attract && before.screen != session::Screen::attract;
  // Quiet at once when the session ends or the resident turns guidance off
  // (not on every input while it is off: a 朗读 asked for then goes on).
  if (ended || (was_on_ && !on)) host_.speaker->silence();
  was_on_ = on;
  if (!on || ended) return;
  if (auto p = session::narrate(before, session::moment_of(v))) host_.speaker->say(*p, v.lang);
}

void ResidentRole::code(std::string raw) { feed(host_.shell.resident_code(std::move(raw))); }

bool ResidentRole::tick(Clock::time_point now) {
  const int countdown = session_.view().countdown;
  const auto screen = session_.view().screen;
  feed(session::Input{session::Tick{now}});
  return countdown != session_.view().countdown || screen != session_.view().screen;
}

}  // namespace bianmin::ui
