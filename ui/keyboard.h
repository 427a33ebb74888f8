// On-screen keyboards, each key a touch target of at least 15 mm:
//  - pinyin: letters into the input method, a candidate bar, 中/英 switch;
//  - latin: letters and digits typed as they are (catalogue search takes
//    pinyin initials and full pinyin this way; receipt numbers);
//  - digits: 0–9 plus what the field allows (X for identity numbers, - for
//    landlines and dates).
// Element ids: kbd.a … kbd.z, kbd.0 … kbd.9, kbd.x, kbd.dash, kbd.space,
// kbd.backspace, kbd.done, kbd.lang, kbd.cand.N, kbd.cand.prev, kbd.cand.next.
#pragma once

#include <string>

#include "ime.h"
#include "layout.h"
#include "widgets.h"

namespace bianmin::ui {

enum class KeyboardKind { pinyin, latin, digits, phone, date, id_number };

struct KeyboardState {
  KeyboardKind kind = KeyboardKind::latin;
  bool english = false;  // pinyin keyboard switched to plain letters
  bool upper = false;    // latin: type capitals (receipt numbers)
  bool dash = false;     // latin: offer "-" (receipt numbers)
};

// Height the keyboard needs at width `w`.
float keyboard_height(const Ui& ui, KeyboardKind kind);
// Draws the keyboard in `r` and applies taps to `buffer` (at most
// `max_chars` characters, 0: no limit). Returns true when "done" was tapped.
// `ime` may be null (not ready yet): the pinyin keyboard then types letters.
bool keyboard(Ui& ui, const Rect& r, KeyboardState& st, std::string& buffer, InputMethod* ime, int max_chars = 0);

// Removes the last UTF-8 character.
void pop_utf8(std::string& s);

}  // namespace bianmin::ui
