#include "printer/document.h"

#include <algorithm>

#include "base/bytes.h"
#include "printer/glyphs.h"
#include "printer/qr_matrix.h"

namespace bianmin::drivers::printer {

TextBlock text_block(std::string utf8, Align a, bool bold, int w, int h) {
  TextBlock t;
  t.utf8 = std::move(utf8);
  t.align = a;
  t.bold = bold;
  t.width_mul = w;
  t.height_mul = h;
  return t;
}

Document& Document::text(std::string utf8, Align a, bool bold, int w, int h) {
  blocks.emplace_back(text_block(std::move(utf8), a, bold, w, h));
  return *this;
}
Document& Document::rule(char32_t ch) { blocks.emplace_back(RuleBlock{ch}); return *this; }
Document& Document::qr(std::string payload, int module) {
  blocks.emplace_back(QrBlock{std::move(payload), module});
  return *this;
}
Document& Document::feed(int lines) { blocks.emplace_back(FeedBlock{lines}); return *this; }
Document& Document::cut() { blocks.emplace_back(CutBlock{}); return *this; }

namespace {

// Lenient UTF-8 decoding: a malformed byte becomes U+FFFD, which then takes
// the raster path like any other character the printer lacks.
std::u32string decode_lenient(std::string_view s) {
  if (auto cps = utf8_decode(s)) return std::u32string(cps->begin(), cps->end());
  std::u32string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n > 0 && i + n <= s.size()) {
      if (auto one = utf8_decode(s.substr(i, n)); one && one->size() == 1) {
        out += (*one)[0];
        i += n;
        continue;
      }
    }
    out += U'\uFFFD';
    ++i;
  }
  return out;
}

// Tracks the printer's modes so each command is sent only when it changes.
class Writer {
 public:
  Writer(const Profile& p, GlyphRenderer* g) : p_(p), g_(g) {
    e_.init();
    e_.chinese(true);
  }

  void modes(Align a, bool bold, int w, int h) {
    if (a != align_) e_.align(align_ = a);
    if (bold != bold_) e_.bold(bold_ = bold);
    if (w != w_ || h != h_) {
      e_.size(w, h);
      w_ = w;
      h_ = h;
    }
  }

  Status line(const std::u32string& text, Align a, bool bold, int w, int h) {
    bool as_text = true;
    for (char32_t c : text) as_text = as_text && printable_as_text(c, p_.font);
    if (as_text) {
      modes(a, bold, w, h);
      e_.text(encode_text_line(text, p_.font));
      e_.newline();
      return {};
    }
    // The whole line as one image, so that its characters keep their
    // places and size next to each other (devices.md §2.1, 生僻字).
    if (!g_) return make_error("font_missing", "a line needs a raster font but none was loaded");
    Bitmap bmp(p_.width_dots, kCellHeight * h + kLineGap);
    const int width = text_width(text, w);
    const int x = a == Align::left ? 0 : a == Align::center ? (p_.width_dots - width) / 2 : p_.width_dots - width;
    g_->draw(bmp, std::max(0, x), 0, text, {w, h, bold, false});
    modes(Align::left, bold_, w_, h_);
    e_.raster(bmp, p_.band_rows);
    return {};
  }

  Status text(const TextBlock& t) {
    int w = std::clamp(t.width_mul, 1, std::max(1, p_.max_magnify));
    const int h = std::clamp(t.height_mul, 1, std::max(1, p_.max_magnify));
    std::u32string all = decode_lenient(t.utf8);
    std::vector<std::u32string> paragraphs(1);
    for (char32_t c : all) {
      if (c == U'\n') paragraphs.emplace_back();
      else paragraphs.back() += printable_form(c);
    }
    for (const auto& para : paragraphs) {
      if (t.shrink_to_fit)
        while (w > 1 && text_width(para, w) > p_.width_dots) --w;
      auto lines = wrap_text(para, p_.width_dots, w, t.indent_cols);
      if (t.align == Align::center && lines.size() > 1) {
        // Centred text wraps into lines of even length, not a long line
        // and a stray word.
        const int n = static_cast<int>(lines.size());
        const int even = (text_width(para, w) + n - 1) / n + 24 * w;
        auto balanced = wrap_text(para, std::min(p_.width_dots, even), w, t.indent_cols);
        if (balanced.size() == lines.size()) lines = std::move(balanced);
      }
      for (const auto& l : lines) BIANMIN_TRY(line(l, t.align, t.bold, w, h));
    }
    return {};
  }

  Status rule(const RuleBlock& r) {
    const char32_t ch = printable_form(r.ch);
    const int n = p_.width_dots / cell_width(ch);
    return line(std::u32string(static_cast<std::size_t>(std::max(0, n)), ch), Align::left, false, 1, 1);
  }

  Status qr(const QrBlock& q) {
    const int version = qr_version_for(q.payload.size(), p_.qr_ec);
    if (version == 0 || q.payload.size() > kQrMaxData) return make_error("qr_invalid", "QR payload too long");
    const int modules = qr_modules(version);
    // The host leaves the quiet zone (4 modules each side, devices.md §2.2).
    const int fit = p_.width_dots / (modules + 8);
    int n = q.module > 0 ? q.module : p_.qr_module > 0 ? p_.qr_module : std::min(fit, p_.width_dots >= 576 ? 8 : 6);
    if (n > fit) n = fit;
    // Below 3 dots (0.375 mm) a module is too small for phones to read.
    const int legible = q.module > 0 || p_.qr_module > 0 ? 1 : 3;
    if (n < legible || (modules + 8) * n > p_.width_dots)
      return make_error("qr_invalid", "QR code of " + std::to_string(q.payload.size()) + " bytes does not fit " +
                                          std::to_string(p_.width_dots) + " dots");
    const int quiet_lines = (4 * n + kCellHeight + kLineGap - 1) / (kCellHeight + kLineGap);
    e_.feed(quiet_lines);
    if (p_.native_qr) {
      modes(Align::center, bold_, w_, h_);
      BIANMIN_TRY(e_.qr(q.payload, n, p_.qr_ec));
    } else {
      BIANMIN_ASSIGN(Bitmap m, qr_matrix(q.payload, p_.qr_ec));
      Bitmap big = Bitmap::scaled(m, n, n);
      Bitmap bmp(p_.width_dots, big.height);
      bmp.blit(big, (p_.width_dots - big.width) / 2, 0);
      modes(Align::left, bold_, w_, h_);
      e_.raster(bmp, p_.band_rows);
    }
    e_.feed(quiet_lines);
    return {};
  }

  void image(const ImageBlock& im) {
    modes(im.align, bold_, w_, h_);
    e_.raster(im.bitmap, p_.band_rows);
  }

  void cut() {
    if (p_.feed_before_cut > 0) e_.feed(p_.feed_before_cut);
    e_.cut(p_.cut);
  }

  void feed(int lines) { e_.feed(lines); }
  std::string take() { return e_.take(); }

 private:
  const Profile& p_;
  GlyphRenderer* g_;
  EscPos e_;
  Align align_ = Align::left;
  bool bold_ = false;
  int w_ = 1, h_ = 1;
};

}  // namespace

std::vector<std::u32string> wrap_text(std::u32string_view text, int width_dots, int w, int indent_cols) {
  std::vector<std::u32string> lines;
  std::u32string cur;
  int used = 0;
  const std::u32string indent(static_cast<std::size_t>(std::max(0, indent_cols)), U' ');
  for (char32_t c : text) {
    const int cw = cell_width(c) * w;
    if (used + cw > width_dots && !cur.empty()) {
      // Break Latin words at their last space when there is one.
      std::size_t sp = cur.find_last_of(U' ');
      std::u32string rest;
      if (c < 0x80 && c != U' ' && sp != std::u32string::npos && sp > indent.size() && cur.back() < 0x80) {
        rest = cur.substr(sp + 1);
        cur.resize(sp);
      }
      while (!cur.empty() && cur.back() == U' ') cur.pop_back();
      lines.push_back(cur);
      cur = indent + rest;
      used = text_width(cur, w);
      if (c == U' ' && rest.empty()) continue;
    }
    cur += c;
    used += cw;
  }
  if (!cur.empty() || lines.empty()) lines.push_back(cur);
  return lines;
}

Result<std::string> encode_document(const Document& doc, const Profile& profile, GlyphRenderer* glyphs) {
  if (profile.width_dots < 96 || profile.width_dots > 4096)
    return make_error("input_invalid", "paper width must be 96..4096 dots");
  Writer wr(profile, glyphs);
  for (const auto& b : doc.blocks) {
    if (auto* t = std::get_if<TextBlock>(&b)) BIANMIN_TRY(wr.text(*t));
    else if (auto* r = std::get_if<RuleBlock>(&b)) BIANMIN_TRY(wr.rule(*r));
    else if (auto* q = std::get_if<QrBlock>(&b)) BIANMIN_TRY(wr.qr(*q));
    else if (auto* im = std::get_if<ImageBlock>(&b)) wr.image(*im);
    else if (auto* f = std::get_if<FeedBlock>(&b)) wr.feed(f->lines);
    else wr.cut();
  }
  return wr.take();
}

}  // namespace bianmin::drivers::printer
