#include "printer/render/paper.h"

#include <algorithm>

#include "printer/glyphs.h"
#include "printer/qr_matrix.h"
#include "printer/render/escpos_parser.h"

namespace bianmin::drivers::printer {
namespace {

constexpr char32_t kBox = 0xFFFFFFFF;  // a character the emulated font lacks

struct Glyph {
  char32_t cp;
  int w, h;
  bool bold, underline, wide;
};

class PaperMachine {
 public:
  PaperMachine(const RenderOptions& o, GlyphRenderer* g) : o_(o), g_(g) {
    paper_.print = Bitmap(o.width_dots, 0);
    paper_.margin = o.width_dots <= 384 ? 40 : 32;  // 58 mm and 80 mm rolls
    reset();
  }

  void run(const Parsed& parsed) {
    for (const Op& op : parsed.ops) {
      if (paper_.truncated) break;
      apply(op);
    }
    flush(false);
    if (parsed.truncated) paper_.truncated = true;
    paper_.print.height = std::min(paper_.print.height, y_);
    paper_.print.dots.resize(static_cast<std::size_t>(paper_.print.width) * paper_.print.height);
  }

  Paper take() { return std::move(paper_); }

 private:
  void reset() {
    align_ = 0;
    bold_ = false;
    underline_ = 0;
    w_ = h_ = 1;
    cw_ = ch_ = 1;
    quad_ = false;
    chinese_ = o_.chinese_at_power_on;
    spacing_ = kCellHeight + kLineGap;
    qr_module_ = 3;
    qr_ec_ = QrEc::L;
    qr_data_.clear();
  }

  // Makes room down to row `bottom`; false when the paper limit is hit.
  bool grow(int bottom) {
    if (bottom <= paper_.print.height) return true;
    if (bottom > o_.max_height_dots) {
      paper_.truncated = true;
      return false;
    }
    const int h = std::max(bottom, std::min(o_.max_height_dots, paper_.print.height * 2 + 256));
    paper_.print.dots.resize(static_cast<std::size_t>(paper_.print.width) * h, 0);
    paper_.print.height = h;
    return true;
  }

  void advance(int dots) {
    y_ += std::max(0, dots);
    if (y_ > o_.max_height_dots) {
      y_ = o_.max_height_dots;
      paper_.truncated = true;
    }
  }

  int line_width() const {
    int x = 0;
    for (const auto& g : line_) x += (g.wide ? 24 : 12) * g.w;
    return x;
  }

  void put(char32_t cp, bool wide) {
    Glyph g{cp, wide ? std::max(w_, quad_ ? 2 : cw_) : w_, wide ? std::max(h_, quad_ ? 2 : ch_) : h_, bold_,
            underline_ > 0, wide};
    if (line_width() + (wide ? 24 : 12) * g.w > o_.width_dots) flush(true);
    line_.push_back(g);
  }

  void text(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto b = static_cast<uint8_t>(s[i]);
      if (b < 0x80) {
        put(b, false);
        continue;
      }
      if (chinese_ && b >= 0x81 && b <= 0xFE && i + 1 < s.size()) {
        const auto t = static_cast<uint8_t>(s[i + 1]);
        if ((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE)) {
          auto cp = resident_char(b, t, o_.font);
          if (!cp) ++paper_.text_boxes;
          put(cp ? *cp : kBox, true);
          ++i;
          continue;
        }
      }
      // A lead byte without a valid trail, or a code-page byte outside
      // Chinese mode: the printer prints something that is not the text.
      ++paper_.text_boxes;
      put(kBox, chinese_);
    }
  }

  // Prints the line buffer; an empty buffer on LF feeds one line.
  void flush(bool wrapped) {
    if (line_.empty()) {
      if (!wrapped) (void)0;
      return;
    }
    int hmax = 1;
    for (const auto& g : line_) hmax = std::max(hmax, g.h);
    const int height = kCellHeight * hmax + std::max(0, spacing_ - kCellHeight);
    if (!grow(y_ + height)) {
      line_.clear();
      return;
    }
    const int width = line_width();
    int x = align_ == 1 ? (o_.width_dots - width) / 2 : align_ == 2 ? o_.width_dots - width : 0;
    x = std::max(0, x);
    for (const auto& g : line_) {
      const int cw = (g.wide ? 24 : 12) * g.w;
      const int top = y_ + kCellHeight * (hmax - g.h);  // characters stand on a common baseline
      if (g.cp == kBox || !g_) {
        if (g.cp != U' ') draw_box(x, top, cw, kCellHeight * g.h);
      } else {
        g_->draw(paper_.print, x, top, std::u32string(1, g.cp), {g.w, g.h, g.bold, g.underline});
      }
      x += cw;
    }
    line_.clear();
    advance(height);
  }

  void draw_box(int x, int top, int w, int h) {
    Bitmap& b = paper_.print;
    b.fill_rect(x + 2, top + 3, w - 4, 1);
    b.fill_rect(x + 2, top + h - 3, w - 4, 1);
    b.fill_rect(x + 2, top + 3, 1, h - 5);
    b.fill_rect(x + w - 3, top + 3, 1, h - 5);
  }

  int aligned_x(int width) const {
    const int x = align_ == 1 ? (o_.width_dots - width) / 2 : align_ == 2 ? o_.width_dots - width : 0;
    return std::max(0, x);
  }

  void raster(const Op& op) {
    flush(false);
    const int xb = op.b, rows = op.c;
    const int sx = (op.a & 1) ? 2 : 1, sy = (op.a & 2) ? 2 : 1;
    const long long width = static_cast<long long>(xb) * 8 * sx;
    const int x0 = aligned_x(static_cast<int>(std::min<long long>(width, o_.width_dots)));
    if (!grow(y_ + rows * sy)) return;
    for (int r = 0; r < rows; ++r)
      for (int bx = 0; bx < xb && bx * 8 * sx < o_.width_dots; ++bx) {
        const auto byte = static_cast<uint8_t>(op.data[static_cast<std::size_t>(r) * xb + bx]);
        if (!byte) continue;
        for (int bit = 0; bit < 8; ++bit)
          if (byte & (0x80 >> bit))
            paper_.print.fill_rect(x0 + (bx * 8 + bit) * sx, y_ + r * sy, sx, sy);
      }
    advance(rows * sy);
  }

  void qr_print() {
    flush(false);
    if (qr_data_.empty() || qr_module_ < 1 || qr_module_ > 16) return;
    auto m = qr_matrix(qr_data_, qr_ec_);
    if (!m) return;  // the printer prints nothing for data it cannot encode
    const int size = m->width * qr_module_;
    if (size > o_.width_dots) return;
    if (!grow(y_ + size)) return;
    const int x0 = aligned_x(size);
    for (int y = 0; y < m->height; ++y)
      for (int x = 0; x < m->width; ++x)
        if (m->get(x, y)) paper_.print.fill_rect(x0 + x * qr_module_, y_ + y * qr_module_, qr_module_, qr_module_);
    advance(size);
  }

  void apply(const Op& op) {
    switch (op.kind) {
      case OpKind::text: text(op.data); break;
      case OpKind::lf:
        if (line_.empty()) advance(spacing_);
        else flush(false);
        break;
      case OpKind::cr: break;
      case OpKind::init: flush(false); reset(); break;
      case OpKind::align: if (line_.empty() && op.a <= 2) align_ = op.a; break;
      case OpKind::bold: bold_ = op.a != 0; break;
      case OpKind::underline: underline_ = op.a; break;
      case OpKind::print_mode:
        bold_ = op.a & 0x08;
        h_ = (op.a & 0x10) ? 2 : 1;
        w_ = (op.a & 0x20) ? 2 : 1;
        underline_ = (op.a & 0x80) ? 1 : 0;
        break;
      case OpKind::size: w_ = op.a; h_ = op.b; break;
      case OpKind::chinese_on: chinese_ = true; break;
      case OpKind::chinese_off: chinese_ = false; break;
      case OpKind::chinese_mode: cw_ = (op.a & 0x04) ? 2 : 1; ch_ = (op.a & 0x08) ? 2 : 1; break;
      case OpKind::chinese_quad: quad_ = op.a != 0; break;
      case OpKind::feed_lines: flush(false); advance(spacing_ * op.a); break;
      case OpKind::feed_dots: flush(false); advance(op.a); break;
      case OpKind::line_spacing: spacing_ = op.a < 0 ? kCellHeight + kLineGap : op.a; break;
      case OpKind::cut:
        flush(false);
        advance(op.b);
        paper_.cuts.push_back({y_, op.a == 1});
        break;
      case OpKind::qr_model: break;
      case OpKind::qr_module: qr_module_ = op.a; break;
      case OpKind::qr_ec:
        if (op.a >= 48 && op.a <= 51) qr_ec_ = static_cast<QrEc>(op.a);
        break;
      case OpKind::qr_store: qr_data_ = op.data; break;
      case OpKind::qr_print: qr_print(); break;
      case OpKind::raster: raster(op); break;
      case OpKind::status_query: case OpKind::ignored: break;
      case OpKind::unknown: ++paper_.unknown_commands; break;
    }
  }

  const RenderOptions& o_;
  GlyphRenderer* g_;
  Paper paper_;
  std::vector<Glyph> line_;
  int y_ = 0;
  int align_ = 0, underline_ = 0, w_ = 1, h_ = 1, cw_ = 1, ch_ = 1, spacing_ = 30;
  bool bold_ = false, quad_ = false, chinese_ = true;
  int qr_module_ = 3;
  QrEc qr_ec_ = QrEc::L;
  std::string qr_data_;
};

}  // namespace

Paper render_escpos(std::string_view bytes, const RenderOptions& opt, GlyphRenderer* glyphs) {
  RenderOptions o = opt;
  o.width_dots = std::clamp(o.width_dots, 8, 4096);
  PaperMachine m(o, glyphs);
  m.run(parse_escpos(bytes));
  return m.take();
}

GrayImage paper_image(const Paper& p) {
  constexpr int kTop = 24, kBottom = 24;
  GrayImage img;
  img.width = p.print.width + 2 * p.margin;
  img.height = p.print.height + kTop + kBottom;
  img.pixels.assign(static_cast<std::size_t>(img.width) * img.height, 255);
  auto px = [&](int x, int y) -> uint8_t& { return img.pixels[static_cast<std::size_t>(y) * img.width + x]; };
  for (int y = 0; y < img.height; ++y) {
    uint8_t* row = &px(0, y);
    std::fill(row, row + p.margin, uint8_t{238});
    std::fill(row + p.margin + p.print.width, row + img.width, uint8_t{238});
  }
  for (int y = 0; y < p.print.height; ++y) {
    const uint8_t* src = p.print.dots.data() + static_cast<std::size_t>(y) * p.print.width;
    uint8_t* dst = &px(p.margin, kTop + y);
    for (int x = 0; x < p.print.width; ++x)
      if (src[x]) dst[x] = 0;
  }
  for (const Cut& c : p.cuts) {
    const int y = std::min(img.height - 1, kTop + c.y);
    // Full cut: dashes across the roll; partial: a bridge left in the middle.
    for (int x = 0; x < img.width; ++x) {
      const bool dash = (x / 8) % 2 == 0;
      const bool bridge = c.partial && std::abs(x - img.width / 2) < 24;
      if (dash && !bridge) px(x, y) = 128, px(x, std::max(0, y - 1)) = 128;
    }
  }
  return img;
}

}  // namespace bianmin::drivers::printer
