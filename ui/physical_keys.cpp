#include "physical_keys.h"

namespace bianmin::ui {

std::vector<std::vector<std::string>> ids_for_text(std::string_view utf8) {
  std::vector<std::vector<std::string>> out;
  for (char ch : utf8) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch >= 'a' && ch <= 'z') out.push_back({std::string("kbd.") + ch});
    else if (ch >= '0' && ch <= '9') out.push_back({std::string("kbd.") + ch, std::string("pin.") + ch});
    else if (ch == '-') out.push_back({"kbd.dash"});
    else if (ch == ' ') out.push_back({"kbd.space"});
    // Anything else (a Chinese character from a desktop input method, a
    // symbol) has no key on the screen: the screen's own IME is used.
  }
  return out;
}

std::vector<std::string> ids_for_key(NamedKey key) {
  switch (key) {
    case NamedKey::backspace: return {"kbd.backspace", "pin.del"};
    case NamedKey::enter: return {"kbd.done", "pin.ok"};
    case NamedKey::escape: return {"chooser.close"};
    case NamedKey::other: return {};
  }
  return {};
}

}  // namespace bianmin::ui
