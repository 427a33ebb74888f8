#include "widgets.h"

#include <algorithm>
#include <cfloat>

#include "base/bytes.h"
#include "base/log.h"

namespace bianmin::ui {

int Metrics::list_rows() const {
  // Rows of a list page that fit between the header and the navigation,
  // each a touch target; elder mode's are taller, so there are fewer.
  const float usable = height - mm(portrait ? 120.0f : 95.0f);
  const float row = target() + gap();
  return std::clamp(static_cast<int>(usable / row), 3, elder ? 6 : 10);
}

FontSizes Metrics::font_sizes(bool elder) {
  FontSizes s;
  if (elder) {
    s.body = 46;
    s.title = 60;
    s.display = 96;
  }
  return s;
}

void Ui::begin_frame(const session::View& v, ImDrawList* dl, const Metrics& m, bool record_texts) {
  view_ = &v;
  counter_ = nullptr;
  face_ = {v.lang, v.notice, v.countdown, v.reader_present, v.screen == session::Screen::attract, false, &v};
  start(dl, m, record_texts);
}

void Ui::begin_frame(const session::ClerkView& v, ImDrawList* dl, const Metrics& m, bool record_texts) {
  view_ = nullptr;
  counter_ = &v;
  face_ = {v.lang, v.notice, v.countdown, v.reader_present, false, true, &v};
  start(dl, m, record_texts);
}

void Ui::start(ImDrawList* dl, const Metrics& m, bool record_texts) {
  frame_key_.clear();
  if (!key_queue_.empty()) {
    frame_key_ = std::move(key_queue_.front());
    key_queue_.pop_front();
  }
  dl_ = dl;
  m_ = m;
  animating_ = false;
  record_ = record_texts;
  wipe_texts();
}

void Ui::wipe_texts() {
  for (auto& s : texts_) secure_wipe(s);
  texts_.clear();
}

void Ui::fill(const Rect& r, ImU32 c, float rounding) {
  dl_->AddRectFilled({r.x, r.y}, {r.right(), r.bottom()}, c, rounding);
}

void Ui::frame(const Rect& r, ImU32 c, float thickness, float rounding) {
  dl_->AddRect({r.x, r.y}, {r.right(), r.bottom()}, c, rounding, 0, thickness);
}

namespace {

struct Line {
  const char* b;
  const char* e;
};

std::size_t utf8_step(const char* p) {
  const auto c = static_cast<unsigned char>(*p);
  return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

// Breaks `s` into lines of at most `w` pixels (ImGui's word wrap; runs of
// hanzi break anywhere, as Chinese text does).
void break_lines(ImFont* font, float size, std::string_view s, float w, std::vector<Line>& out) {
  const char* p = s.data();
  const char* end = s.data() + s.size();
  const float scale = size / font->FontSize;
  while (p < end) {
    const char* eol = w > 0 ? font->CalcWordWrapPositionA(scale, p, end, w) : end;
    for (const char* q = p; q < eol; ++q)
      if (*q == '\n') {
        eol = q;
        break;
      }
    if (eol == p && *p != '\n') eol = std::min(end, p + utf8_step(p));
    out.push_back({p, eol});
    p = eol;
    if (p < end && *p == '\n') ++p;
    else
      while (p < end && *p == ' ') ++p;
  }
}

constexpr float kLineSpacing = 1.28f;

}  // namespace

float Ui::measure(std::string_view s, ImFont* font, float size, float w) {
  if (!font) font = body();
  if (size <= 0) size = font->FontSize;
  const std::string_view drawn = fonts_.prepare(font, s);
  std::vector<Line> lines;
  break_lines(font, size, drawn, w, lines);
  if (lines.empty()) return 0;
  return size * (1 + kLineSpacing * static_cast<float>(lines.size() - 1));
}

float Ui::text(const Rect& r, std::string_view s, const TextStyle& st) {
  ImFont* font = st.font ? st.font : body();
  const float base = st.size > 0 ? st.size : font->FontSize;
  const std::string_view drawn = fonts_.prepare(font, s);
  if (record_) texts_.emplace_back(s);
  std::vector<Line> lines;
  float size = base;
  float height = 0;
  bool fits = false;
  for (float scale : {1.0f, 0.92f, 0.84f, 0.76f, 0.68f}) {
    size = base * scale;
    lines.clear();
    break_lines(font, size, drawn, st.wrap ? r.w : 0, lines);
    height = lines.empty() ? 0 : size * (1 + kLineSpacing * static_cast<float>(lines.size() - 1));
    float widest = 0;
    for (const auto& l : lines) widest = std::max(widest, font->CalcTextSizeA(size, FLT_MAX, 0, l.b, l.e).x);
    if (height <= r.h + 1 && widest <= r.w + 1) {
      fits = true;
      break;
    }
  }
  if (!fits) {
    log::debug("ui", "text does not fit", {{"chars", static_cast<int>(s.size())}});
    dl_->PushClipRect({r.x, r.y}, {r.right(), r.bottom()}, true);
  }
  float y = r.y;
  if (st.vcenter && height < r.h) y += (r.h - height) / 2;
  for (const auto& l : lines) {
    const float lw = font->CalcTextSizeA(size, FLT_MAX, 0, l.b, l.e).x;
    float x = r.x;
    if (st.align == Align::center) x += (r.w - lw) / 2;
    else if (st.align == Align::right) x += r.w - lw;
    dl_->AddText(font, size, {x, y}, st.color, l.b, l.e);
    y += size * kLineSpacing;
  }
  if (!fits) dl_->PopClipRect();
  return std::min(height, r.h);
}

namespace {

struct Colors {
  ImU32 bg, bg_pressed, text, border;
};

Colors colors_of(Style s) {
  switch (s) {
    case Style::primary: return {color::kPrimary, color::kPrimaryPressed, color::kOnPrimary, 0};
    case Style::danger: return {color::kDanger, IM_COL32(150, 20, 20, 255), color::kOnPrimary, 0};
    case Style::selected: return {color::kSelected, color::kSurfacePressed, color::kPrimary, color::kPrimary};
    case Style::quiet: return {0, color::kSurfacePressed, color::kPrimary, 0};
    case Style::secondary:
    default: return {color::kSurface, color::kSurfacePressed, color::kText, color::kBorder};
  }
}

}  // namespace

bool Ui::area(std::string_view id, const Rect& r, Style style, const std::function<void(const Rect&)>& content) {
  if (r.h < m_.min_target() - 0.5f || r.w < m_.min_target() - 0.5f)
    log::debug("ui", "touch target below 15 mm", {{"id", std::string(id)}});
  touch_.add(id, r);
  const Colors c = colors_of(style);
  const bool held = touch_.held(id);
  const ImU32 bg = held ? c.bg_pressed : c.bg;
  if (bg) fill(r, bg, m_.radius());
  if (c.border) frame(r, style == Style::selected ? c.border : color::kBorder, style == Style::selected ? 4.0f : 2.0f, m_.radius());
  if (content) content(r);
  if (touch_.take_activation(id)) return true;
  for (const auto& k : frame_key_)
    if (k == id) {
      frame_key_.clear();  // one element per key press
      changed();
      return true;
    }
  return false;
}

bool Ui::button(std::string_view id, std::string_view label, const Rect& r, Style style, ImFont* font, float size) {
  const Colors c = colors_of(style);
  return area(id, r, style, [&](const Rect& in) {
    TextStyle ts;
    ts.font = font ? font : body();
    ts.size = size;
    ts.color = c.text;
    ts.align = Align::center;
    ts.vcenter = true;
    text(in.inset(m_.mm(2.5f), m_.mm(1.5f)), label, ts);
  });
}

int Ui::pager(std::string_view id, const Rect& r, int count, int per_page, int& page) {
  const int pages = std::max(1, (count + per_page - 1) / per_page);
  page = std::clamp(page, 0, pages - 1);
  if (pages > 1) {
    Rect row = r;
    const float bw = std::max(m_.mm(40.0f), r.w * 0.3f);
    const Rect prev = row.cut_left(bw);
    const Rect next = row.cut_right(bw);
    const std::string sid(id);
    if (page > 0) {
      if (button(sid + ".prev", t("pager.prev"), prev, Style::secondary)) {
        --page;
        changed();
      }
    }
    if (page < pages - 1) {
      if (button(sid + ".next", t("pager.next"), next, Style::secondary)) {
        ++page;
        changed();
      }
    }
    TextStyle ts;
    ts.align = Align::center;
    ts.vcenter = true;
    ts.color = color::kMuted;
    text(row, f("pager.page", {{"page", std::to_string(page + 1)}, {"pages", std::to_string(pages)}}), ts);
  }
  return page * per_page;
}

}  // namespace bianmin::ui
