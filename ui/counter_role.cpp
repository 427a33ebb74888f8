#include "counter_role.h"

#include "base/bytes.h"
#include "base/log.h"
#include "screens/counter_screens.h"
#include "shell.h"
#include "session/narration.h"
#include "speaker.h"

namespace bianmin::ui {
namespace {

template <class T, class Variant>
struct IsAlternative;
template <class T, class... Ts>
struct IsAlternative<T, std::variant<Ts...>> : std::disjunction<std::is_same<T, Ts>...> {};

}  // namespace

// The Shell's workers and the shared screens speak the kiosk's inputs; the
// counter takes those its session knows (a card, a page, a submit, a print,
// the form's edits) and drops the rest (a rating, a progress answer).
void CounterRole::feed(session::Input in) {
  std::visit(
      [this](auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, session::GoHome>) {
          // "Home" in the middle of an application is "drop this one".
          feed(session::ClerkInput{session::CancelApplication{}});
        } else if constexpr (IsAlternative<T, session::ClerkInput>::value) {
          feed(session::ClerkInput{std::move(e)});
        }
      },
      in);
  // A card read by the reader: the session has copied what it needs.
  if (auto* card = std::get_if<session::IdCard>(&in); card && card->event.card) card->event.card->wipe();
}

void CounterRole::feed(session::ClerkInput in) {
  const bool signing_in = std::holds_alternative<session::ClerkChecked>(in);
  auto effects = session_.handle(in);
  if (auto* card = std::get_if<session::IdCard>(&in); card && card->event.card) card->event.card->wipe();
  if (auto* s = std::get_if<session::ClerkSignIn>(&in)) secure_wipe(s->pin);
  for (auto& e : effects) carry_out(std::move(e));
  // Signed in: the line as it stands now, whole.
  if (signing_in && session_.view().signed_in()) desk_.refresh_line();
}

void CounterRole::carry_out(session::ClerkEffect effect) {
  std::visit(
      [this](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, session::DoCheckClerkPin>) {
          desk_.carry_out(e);
          secure_wipe(e.pin);
        } else if constexpr (std::is_same_v<E, session::DoCallNextTicket> ||
                             std::is_same_v<E, session::DoSetTicketState>) {
          desk_.carry_out(e);
        } else if constexpr (std::is_same_v<E, session::DoAnnounceTicket>) {
          // The hall display (every terminal's status bar) reads the last
          // called number from the hall's queue; the call is logged and
          // spoken (叫号), in Mandarin: it is for the hall, not the clerk.
          log::info("counter", "ticket called", {{"ticket", e.ticket.number}, {"window", e.ticket.window_no}});
          if (host_.speaker && host_.voice.calls_tickets()) host_.speaker->say(session::call_ticket(e.ticket), "zh-CN");
        } else {
          if constexpr (std::is_same_v<E, session::DoWipe>) host_.wipe_all();
          host_.shell.carry_out(session::Effect{std::move(e)});
        }
      },
      effect);
}

void CounterRole::code(std::string raw) {
  // No code means anything at the counter yet: nothing is kept of it.
  secure_wipe(raw);
}

bool CounterRole::tick(Clock::time_point now) {
  const int countdown = session_.view().countdown;
  const auto screen = session_.view().screen;
  feed(session::ClerkInput{session::Tick{now}});
  return countdown != session_.view().countdown || screen != session_.view().screen;
}

void CounterRole::draw(ScreenContext& c, Rect full) {
  c.counter_window = session_.config().window_no;
  draw_counter(c, session_.view(), full);
}

void CounterRole::take_intents(Ui& ui) {
  for (auto& in : ui.take_intents()) feed(std::move(in));
  for (auto& in : ui.take_counter_intents()) feed(std::move(in));
}

}  // namespace bianmin::ui
