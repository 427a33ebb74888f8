// A physical keyboard at the counter (a clerk types fast): each key press
// stands for the on-screen key it matches, so the keyboards, the PIN pad
// and the input method work the same whether a key was tapped or typed.
// Pure: SDL's text and key events in, element ids out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bianmin::ui {

// The ids one typed character may press (the first drawn this frame is
// pressed): 'a' → kbd.a; '7' → kbd.7, pin.7; '-' → kbd.dash; ' ' →
// kbd.space. One entry per character of `utf8`; characters no on-screen
// key has are left out.
std::vector<std::vector<std::string>> ids_for_text(std::string_view utf8);

enum class NamedKey { backspace, enter, escape, other };
// Backspace → kbd.backspace, pin.del; Enter → kbd.done, pin.ok; Escape →
// chooser.close.
std::vector<std::string> ids_for_key(NamedKey key);

}  // namespace bianmin::ui
