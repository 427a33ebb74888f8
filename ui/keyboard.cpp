#include "keyboard.h"

#include <algorithm>

#include "base/bytes.h"

namespace bianmin::ui {
namespace {

constexpr const char* kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};

bool digits_kind(KeyboardKind k) {
  return k == KeyboardKind::digits || k == KeyboardKind::phone || k == KeyboardKind::date ||
         k == KeyboardKind::id_number;
}

float key_h(const Ui& ui) { return std::max(ui.m().min_target(), ui.m().mm(ui.m().elder ? 22.0f : 17.0f)); }

bool room(const std::string& buffer, int max_chars) {
  return max_chars <= 0 || static_cast<int>(utf8_length(buffer)) < max_chars;
}

}  // namespace

void pop_utf8(std::string& s) {
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s.back());
    s.pop_back();
    if ((c & 0xC0) != 0x80) break;
  }
}

float keyboard_height(const Ui& ui, KeyboardKind kind) {
  const float g = ui.m().mm(2.0f);
  const float k = key_h(ui);
  if (digits_kind(kind)) return 4 * k + 3 * g + 2 * g;
  const int rows = kind == KeyboardKind::pinyin ? 5 : 5;  // candidates or digits row + 3 letter rows + bottom row
  return static_cast<float>(rows) * k + static_cast<float>(rows - 1) * g + 2 * g;
}

bool keyboard(Ui& ui, const Rect& area, KeyboardState& st, std::string& buffer, InputMethod* ime, int max_chars) {
  ui.fill(area, IM_COL32(226, 231, 240, 255));
  const float g = ui.m().mm(2.0f);
  const float kh = key_h(ui);
  Rect r = area.inset(g);
  // Landscape: a keyboard as wide as a portrait screen is wide enough.
  if (r.w > ui.m().mm(330.0f)) {
    const float w = ui.m().mm(330.0f);
    r = {r.x + (r.w - w) / 2, r.y, w, r.h};
  }
  bool done = false;
  auto type_char = [&](char c) {
    if (room(buffer, max_chars)) buffer += c;
    ui.changed();
  };

  if (digits_kind(st.kind)) {
    const char* extra = st.kind == KeyboardKind::id_number ? "X" : (st.kind == KeyboardKind::phone || st.kind == KeyboardKind::date) ? "-" : "";
    // 1 2 3 ⌫ / 4 5 6 extra / 7 8 9 (empty) / 0 … done
    auto cells = grid(r, 4, 4, g);
    const char* keys = "123456789";
    for (int i = 0; i < 9; ++i) {
      const Rect cell = cells[static_cast<std::size_t>((i / 3) * 4 + i % 3)];
      const std::string k(1, keys[i]);
      if (ui.button("kbd." + k, k, cell, Style::secondary, ui.title())) type_char(keys[i]);
    }
    if (ui.button("kbd.0", "0", cells[13], Style::secondary, ui.title())) type_char('0');
    if (ui.button("kbd.backspace", ui.t("kbd.backspace"), cells[3], Style::secondary)) {
      pop_utf8(buffer);
      ui.changed();
    }
    if (*extra) {
      const std::string id = extra[0] == 'X' ? "kbd.x" : "kbd.dash";
      if (ui.button(id, extra, cells[7], Style::secondary, ui.title())) type_char(extra[0]);
    }
    if (ui.button("kbd.clear", ui.t("kbd.clear"), cells[11], Style::secondary)) {
      buffer.clear();
      ui.changed();
    }
    const Rect done_r{cells[15].x, cells[12].y, cells[15].w, cells[15].bottom() - cells[12].y};
    (void)done_r;
    if (ui.button("kbd.done", ui.t("kbd.done"), cells[15], Style::primary)) done = true;
    return done;
  }

  const bool pinyin = st.kind == KeyboardKind::pinyin && !st.english;
  // Top row: candidates (pinyin) or digits (latin).
  Rect top = r.cut_top(kh);
  r.cut_top(g);
  if (pinyin) {
    if (!ime) {
      TextStyle ts;
      ts.color = color::kMuted;
      ts.vcenter = true;
      ui.text(top, ui.t("kbd.ime_starting"), ts);
    } else {
      const float pre_w = ui.m().mm(42.0f);
      Rect pre = top.cut_left(pre_w);
      TextStyle ts;
      ts.color = color::kPrimary;
      ts.vcenter = true;
      ts.wrap = false;
      ui.text(pre.inset(ui.m().mm(1.0f), 0), ime->preedit(), ts);
      const Rect next = top.cut_right(kh);
      const Rect prev = top.cut_right(kh);
      const auto& cands = ime->candidates();
      const int n = std::min<int>(static_cast<int>(cands.size()), ui.m().portrait ? 5 : 8);
      if (n > 0) {
        auto cells = columns(top, n, g);
        for (int i = 0; i < n; ++i) {
          const std::string cand = cands[static_cast<std::size_t>(i)];  // copy: pick() refreshes the list
          if (ui.button("kbd.cand." + std::to_string(i), cand, cells[static_cast<std::size_t>(i)], Style::quiet)) {
            std::string committed = ime->pick(static_cast<std::size_t>(i));
            if (room(buffer, max_chars)) buffer += committed;
            ui.changed();
          }
        }
      }
      if (ime->has_prev_page() && ui.button("kbd.cand.prev", "‹", prev, Style::secondary)) {
        ime->prev_page();
        ui.changed();
      }
      if (ime->has_next_page() && ui.button("kbd.cand.next", "›", next, Style::secondary)) {
        ime->next_page();
        ui.changed();
      }
    }
  } else {
    auto cells = columns(top, 10, g);
    for (int i = 0; i < 10; ++i) {
      const char c = static_cast<char>('0' + (i + 1) % 10);
      const std::string k(1, c);
      if (ui.button("kbd." + k, k, cells[static_cast<std::size_t>(i)])) type_char(c);
    }
  }
  // Letter rows.
  const float key_w = (r.w - 9 * g) / 10;
  for (int row = 0; row < 3; ++row) {
    Rect line = r.cut_top(kh);
    r.cut_top(g);
    const std::string keys = kRows[row];
    const float used = static_cast<float>(keys.size()) * key_w + static_cast<float>(keys.size() - 1) * g;
    float x = line.x + (line.w - used) / 2;
    if (row == 2) x = line.x + (line.w - used - key_w * 1.5f - g) / 2;
    for (char c : keys) {
      const Rect cell{x, line.y, key_w, kh};
      const std::string label(1, static_cast<char>(c - 'a' + 'A'));
      if (ui.button(std::string("kbd.") + c, pinyin ? std::string(1, c) : label, cell, Style::secondary, ui.title())) {
        if (pinyin && ime) {
          ime->type(c);
          ui.changed();
        } else {
          type_char(st.upper ? static_cast<char>(c - 'a' + 'A') : c);
        }
      }
      x += key_w + g;
    }
    if (row == 2) {
      const Rect bs{x, line.y, key_w * 1.5f, kh};
      if (ui.button("kbd.backspace", ui.t("kbd.backspace"), bs)) {
        if (pinyin && ime && ime->composing()) ime->backspace();
        else pop_utf8(buffer);
        ui.changed();
      }
    }
  }
  // Bottom row: [中/英] [space] [clear] [done]
  Rect bottom = r.cut_top(kh);
  const float side = std::max(ui.m().min_target(), key_w * 2.2f);
  const Rect done_r = bottom.cut_right(side);
  bottom.cut_right(g);
  const Rect clear_r = bottom.cut_right(side);
  bottom.cut_right(g);
  if (st.kind == KeyboardKind::pinyin) {
    const Rect lang_r = bottom.cut_left(side);
    bottom.cut_left(g);
    if (ui.button("kbd.lang", ui.t(st.english ? "kbd.to_pinyin" : "kbd.to_english"), lang_r)) {
      if (ime) ime->clear();
      st.english = !st.english;
      ui.changed();
    }
  }
  if (st.kind == KeyboardKind::latin && st.dash) {
    const Rect dash_r = bottom.cut_left(side);
    bottom.cut_left(g);
    if (ui.button("kbd.dash", "-", dash_r, Style::secondary, ui.title())) type_char('-');
  }
  if (ui.button("kbd.space", ui.t("kbd.space"), bottom)) {
    if (pinyin && ime && ime->composing()) {
      std::string committed = ime->pick(0);
      if (room(buffer, max_chars)) buffer += committed;
    } else if (room(buffer, max_chars)) {
      buffer += ' ';
    }
    ui.changed();
  }
  if (ui.button("kbd.clear", ui.t("kbd.clear"), clear_r)) {
    if (ime) ime->clear();
    buffer.clear();
    ui.changed();
  }
  if (ui.button("kbd.done", ui.t("kbd.done"), done_r, Style::primary)) {
    if (pinyin && ime && ime->composing()) {
      std::string committed = ime->pick(0);
      if (room(buffer, max_chars)) buffer += committed;
    }
    done = true;
  }
  return done;
}

}  // namespace bianmin::ui
