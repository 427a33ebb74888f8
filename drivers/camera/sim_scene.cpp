#include "camera/sim_scene.h"

#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "camera/text_render.h"

namespace bianmin::drivers::camera {

double Rng::gauss() {
  if (have_) {
    have_ = false;
    return spare_;
  }
  double u = 0, v = 0, s = 0;
  do {
    u = uniform(-1, 1);
    v = uniform(-1, 1);
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  const double f = std::sqrt(-2 * std::log(s) / s);
  spare_ = v * f;
  have_ = true;
  return u * f;
}

std::optional<PageKind> parse_page_kind(std::string_view s) {
  if (s == "text") return PageKind::text;
  if (s == "form") return PageKind::form;
  if (s == "idcard") return PageKind::idcard;
  if (s == "certificate") return PageKind::certificate;
  if (s == "phone") return PageKind::phone;
  return std::nullopt;
}

const char* page_kind_name(PageKind k) {
  switch (k) {
    case PageKind::text: return "text";
    case PageKind::form: return "form";
    case PageKind::idcard: return "idcard";
    case PageKind::certificate: return "certificate";
    case PageKind::phone: return "phone";
  }
  return "form";
}

namespace {

constexpr Rgb kInk{28, 28, 32}, kBlueInk{30, 50, 140}, kRed{200, 30, 35}, kPaper{250, 249, 244};

const char* const kSentences[] = {
    "兹证明张三同志系我村村民，家庭人口三人，长期居住在本村。",
    "该户家庭年收入低于当地最低生活保障标准，情况属实。",
    "特此证明，请有关部门按规定予以办理。",
    "本人承诺以上所填内容真实有效，如有虚假愿承担相应责任。",
    "申请事项：城乡居民最低生活保障（低保）新申请。",
    "联系电话：139 0936 1234  邮政编码：734000",
    "办理地点：甘州区梁家墩镇便民服务中心二号窗口。",
    "所需材料：身份证、户口簿、收入证明各一份（原件）。",
    "Application No. 620702-QR-0002, received 2026-11-22 09:31.",
    "家庭住址：甘肃省张掖市甘州区梁家墩镇六号村三社十二号。",
    "经村民代表会议评议，同意上报乡镇人民政府审核。",
    "承办人意见：材料齐全，符合受理条件，予以受理。",
};

void fill_rect(Image& im, int x0, int y0, int x1, int y1, Rgb c, double alpha = 1) {
  x0 = std::max(x0, 0), y0 = std::max(y0, 0), x1 = std::min(x1, im.width), y1 = std::min(y1, im.height);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      for (int k = 0; k < 3; ++k) {
        uint8_t& d = im.at(x, y, k);
        d = static_cast<uint8_t>(d * (1 - alpha) + c[static_cast<std::size_t>(k)] * alpha + 0.5);
      }
}

void stroke_rect(Image& im, int x0, int y0, int x1, int y1, int t, Rgb c) {
  fill_rect(im, x0, y0, x1, y0 + t, c);
  fill_rect(im, x0, y1 - t, x1, y1, c);
  fill_rect(im, x0, y0, x0 + t, y1, c);
  fill_rect(im, x1 - t, y0, x1, y1, c);
}

void draw_qr(Image& im, const std::string& text, int x0, int y0, int size) {
  if (text.empty()) return;
  ZXing::MultiFormatWriter w(ZXing::BarcodeFormat::QRCode);
  w.setMargin(0);
  w.setEccLevel(2);
  ZXing::BitMatrix m = w.encode(text, 0, 0);
  const int n = m.width();
  const int quiet = 4;
  const double mod = static_cast<double>(size) / (n + 2 * quiet);
  fill_rect(im, x0, y0, x0 + size, y0 + size, {255, 255, 255});
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if (m.get(x, y))
        fill_rect(im, x0 + static_cast<int>((x + quiet) * mod), y0 + static_cast<int>((y + quiet) * mod),
                  x0 + static_cast<int>((x + quiet + 1) * mod), y0 + static_cast<int>((y + quiet + 1) * mod), {0, 0, 0});
}

void draw_seal(Image& im, TextRenderer& tr, int cx, int cy, int r, const std::string& name) {
  const int t = std::max(2, r / 14);
  for (int y = cy - r; y <= cy + r; ++y)
    for (int x = cx - r; x <= cx + r; ++x) {
      if (x < 0 || y < 0 || x >= im.width || y >= im.height) continue;
      const double d = std::hypot(x - cx, y - cy);
      if (d <= r && d >= r - t)
        for (int k = 0; k < 3; ++k) {
          uint8_t& p = im.at(x, y, k);
          p = static_cast<uint8_t>(p * 0.2 + kRed[static_cast<std::size_t>(k)] * 0.8);
        }
    }
  // A five-pointed star in the middle.
  const double R = r * 0.32, ri = R * 0.382;
  for (int y = cy - static_cast<int>(R); y <= cy + static_cast<int>(R); ++y)
    for (int x = cx - static_cast<int>(R); x <= cx + static_cast<int>(R); ++x) {
      const double a = std::atan2(x - cx, -(y - cy)), d = std::hypot(x - cx, y - cy);
      const double seg = std::fmod(a + 2 * M_PI + M_PI / 5, 2 * M_PI / 5) - M_PI / 5;
      // Radius of the star's outline at this angle (linear between tip and notch).
      const double lim = ri + (R - ri) * (1 - std::abs(seg) / (M_PI / 5));
      if (d <= lim && x >= 0 && y >= 0 && x < im.width && y < im.height)
        for (int k = 0; k < 3; ++k) im.at(x, y, k) = kRed[static_cast<std::size_t>(k)];
    }
  const int px = r / 4;
  const int w = tr.measure(name, px);
  tr.draw(im, cx - w / 2, cy + static_cast<int>(r * 0.68), name, px, kRed);
}

void draw_photo(Image& im, int x0, int y0, int w, int h, Rgb bg) {
  fill_rect(im, x0, y0, x0 + w, y0 + h, bg);
  const int cx = x0 + w / 2;
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x) {
      const double hx = (x - cx) / (w * 0.22), hy = (y - (y0 + h * 0.40)) / (h * 0.24);
      const double sx = (x - cx) / (w * 0.48), sy = (y - (y0 + h * 1.02)) / (h * 0.36);
      if (hx * hx + hy * hy <= 1) {
        const Rgb skin{225, 190, 160};
        for (int k = 0; k < 3; ++k) im.at(x, y, k) = skin[static_cast<std::size_t>(k)];
        if (hy < -0.45)
          for (int k = 0; k < 3; ++k) im.at(x, y, k) = 30;  // hair
      } else if (sx * sx + sy * sy <= 1) {
        for (int k = 0; k < 3; ++k) im.at(x, y, k) = static_cast<uint8_t>(k == 2 ? 70 : 40);  // jacket
      }
    }
}

// Wraps `text` into lines of at most `width` pixels.
std::vector<std::string> wrap(TextRenderer& tr, const std::string& text, int px, int width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = 1;
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0xF0) n = 4;
    else if (b >= 0xE0) n = 3;
    else if (b >= 0xC0) n = 2;
    std::string ch = text.substr(i, n);
    i += n;
    if (tr.measure(line + ch, px) > width && !line.empty()) {
      lines.push_back(line);
      line.clear();
    }
    line += ch;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

Result<Image> render_page(PageKind kind, uint64_t seed, const std::string& qr_text, double ppm, double* w_mm,
                          double* h_mm) {
  BIANMIN_ASSIGN(TextRenderer * tr, TextRenderer::get());
  Rng rng(seed * 7919 + 17);
  double W = 210, H = 297;
  if (kind == PageKind::idcard) W = 85.6, H = 54.0;
  if (kind == PageKind::certificate) W = 210, H = 148;
  if (kind == PageKind::phone) W = 72, H = 150;
  *w_mm = W;
  *h_mm = H;
  const int pw = static_cast<int>(std::lround(W * ppm)), ph = static_cast<int>(std::lround(H * ppm));
  auto mm = [&](double v) { return static_cast<int>(std::lround(v * ppm)); };
  Image p = Image::make(pw, ph, 3);
  for (std::size_t i = 0; i < p.px.size(); i += 3) {
    p.px[i] = kPaper[0];
    p.px[i + 1] = kPaper[1];
    p.px[i + 2] = kPaper[2];
  }
  const int body = mm(4.2);  // 12 pt
  switch (kind) {
    case PageKind::text: {
      const std::string title = "证  明";
      tr->draw(p, (pw - tr->measure(title, mm(9))) / 2, mm(38), title, mm(9), kInk, true);
      int y = mm(62);
      for (int para = 0; para < 6; ++para) {
        std::string t = "　　";
        for (int k = 0; k < 2 + rng.below(3); ++k) t += kSentences[rng.below(static_cast<int>(std::size(kSentences)))];
        for (const auto& line : wrap(*tr, t, body, pw - mm(50))) {
          tr->draw(p, mm(25), y, line, body, kInk);
          y += mm(8);
        }
        y += mm(3);
      }
      tr->draw(p, pw - mm(95), y + mm(20), "甘州区梁家墩镇六号村村民委员会", body, kInk);
      tr->draw(p, pw - mm(75), y + mm(30), "二〇二六年十一月二十日", body, kInk);
      if (!qr_text.empty()) draw_qr(p, qr_text, mm(25), ph - mm(60), mm(35));
      break;
    }
    case PageKind::form: {
      const std::string title = "最低生活保障申请表";
      tr->draw(p, (pw - tr->measure(title, mm(7))) / 2, mm(30), title, mm(7), kInk, true);
      tr->draw(p, mm(20), mm(42), "编号：620702-JF-0001    申请日期：2026年11月22日", mm(3.5), kInk);
      const char* labels[] = {"申请人姓名", "性别", "身份证号码", "家庭住址", "联系电话", "家庭人口", "月收入（元）",
                              "开户银行", "银行账号", "申请理由"};
      const char* values[] = {"张三", "男", "620702199003071232", "甘州区梁家墩镇六号村三社12号", "139 0936 1234",
                              "3 人", "1,280.00", "甘州区农村信用合作联社", "6228 4800 1234 5678 901", ""};
      const int x0 = mm(20), x1 = pw - mm(20), xm = mm(62), t = std::max(2, mm(0.35));
      int y = mm(48);
      const int row = mm(14);
      for (int i = 0; i < 10; ++i) {
        const int h = i == 9 ? mm(70) : row;
        stroke_rect(p, x0, y, x1, y + h + t, t, kInk);
        fill_rect(p, xm, y, xm + t, y + h, kInk);
        tr->draw(p, x0 + mm(3), y + mm(9), labels[i], body, kInk);
        tr->draw(p, xm + mm(4), y + mm(9.5), values[i], mm(4.6), kBlueInk);
        if (i == 9) {
          int yy = y + mm(10);
          std::string t2;
          for (int k = 0; k < 3; ++k) t2 += kSentences[rng.below(static_cast<int>(std::size(kSentences)))];
          for (const auto& line : wrap(*tr, t2, mm(4.6), x1 - xm - mm(8))) {
            tr->draw(p, xm + mm(4), yy, line, mm(4.6), kBlueInk);
            yy += mm(8);
          }
        }
        y += h;
      }
      tr->draw(p, x0, y + mm(14), "申请人签字：", body, kInk);
      tr->draw(p, x0 + mm(28), y + mm(14), "张三", mm(6), kBlueInk);
      tr->draw(p, pw / 2, y + mm(14), "受理人：李四   受理窗口：2号", body, kInk);
      if (!qr_text.empty()) draw_qr(p, qr_text, pw - mm(55), ph - mm(55), mm(35));
      break;
    }
    case PageKind::certificate: {
      // A certificate with photo and red seal: colour must be kept.
      for (int y = 0; y < ph; ++y)
        for (int x = 0; x < pw; ++x) {
          const bool border = x < mm(8) || y < mm(8) || x >= pw - mm(8) || y >= ph - mm(8);
          if (border) {
            const Rgb c = ((x / mm(3) + y / mm(3)) % 2) ? Rgb{180, 40, 40} : Rgb{220, 170, 60};
            for (int k = 0; k < 3; ++k) p.at(x, y, k) = c[static_cast<std::size_t>(k)];
          }
        }
      const std::string title = "荣 誉 证 书";
      tr->draw(p, (pw - tr->measure(title, mm(10))) / 2, mm(30), title, mm(10), {170, 30, 30}, true);
      draw_photo(p, mm(20), mm(45), mm(33), mm(45), {70, 120, 200});
      int y = mm(55);
      for (const auto& line : wrap(*tr, std::string("张三同志在2026年度便民服务工作中表现突出，被评为") + "优秀志愿者。特发此证，以资鼓励。", mm(5.5), pw - mm(85))) {
        tr->draw(p, mm(65), y, line, mm(5.5), kInk);
        y += mm(10);
      }
      tr->draw(p, pw - mm(90), ph - mm(28), "甘州区民政局  二〇二六年十一月", body, kInk);
      draw_seal(p, *tr, pw - mm(60), ph - mm(40), mm(19), "甘州区民政局");
      if (!qr_text.empty()) draw_qr(p, qr_text, mm(20), ph - mm(48), mm(30));
      break;
    }
    case PageKind::idcard: {
      for (int y = 0; y < ph; ++y)
        for (int x = 0; x < pw; ++x) {
          const double wave = 0.5 + 0.5 * std::sin(x * 0.08 / ppm * 8 + std::sin(y * 0.05 / ppm * 8) * 2);
          const Rgb c{static_cast<uint8_t>(215 + 15 * wave), static_cast<uint8_t>(228 + 10 * wave), 240};
          for (int k = 0; k < 3; ++k) p.at(x, y, k) = c[static_cast<std::size_t>(k)];
        }
      const Rgb label{60, 100, 150};
      const int s = mm(2.6);
      auto field = [&](double xmm, double ymm, const char* l, const char* v) {
        const int w = tr->draw(p, mm(xmm), mm(ymm), l, s, label);
        tr->draw(p, mm(xmm) + w + mm(2), mm(ymm), v, mm(3.0), kInk);
      };
      field(6, 10, "姓名", "张三");
      field(6, 17, "性别", "男");
      field(24, 17, "民族", "汉");
      field(6, 24, "出生", "1990年3月7日");
      field(6, 31, "住址", "甘肃省张掖市甘州区");
      tr->draw(p, mm(16.5), mm(37), "梁家墩镇六号村三社12号", mm(3.0), kInk);
      tr->draw(p, mm(6), mm(48), "公民身份号码", s, label);
      tr->draw(p, mm(26), mm(48), "620702199003071232", mm(3.6), kInk, true);
      draw_photo(p, mm(58), mm(8), mm(24), mm(30), {225, 232, 240});
      if (!qr_text.empty()) draw_qr(p, qr_text, mm(62), mm(38), mm(14));
      break;
    }
    case PageKind::phone: {
      fill_rect(p, 0, 0, pw, ph, {25, 25, 30});
      fill_rect(p, mm(4), mm(12), pw - mm(4), ph - mm(12), {245, 245, 245});
      tr->draw(p, mm(8), mm(22), "电子证照", mm(4), {40, 90, 200}, true);
      if (!qr_text.empty()) draw_qr(p, qr_text, mm(8), mm(40), pw - mm(16));
      else draw_qr(p, "https://example.org/e-licence/0001", mm(8), mm(40), pw - mm(16));
      break;
    }
  }
  return p;
}

namespace {

// Smooth random field in [0, 1] (value noise on a coarse grid).
struct Noise2 {
  int gw, gh;
  std::vector<double> v;
  Noise2(Rng& rng, int w, int h) : gw(w), gh(h), v(static_cast<std::size_t>(w * h)) {
    for (auto& x : v) x = rng.uniform();
  }
  double at(double fx, double fy) const {  // fx, fy in [0, 1]
    const double x = std::clamp(fx, 0.0, 1.0) * (gw - 1), y = std::clamp(fy, 0.0, 1.0) * (gh - 1);
    const int x0 = std::min(static_cast<int>(x), gw - 2), y0 = std::min(static_cast<int>(y), gh - 2);
    double tx = x - x0, ty = y - y0;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    auto g = [&](int a, int b) { return v[static_cast<std::size_t>(b * gw + a)]; };
    return (1 - ty) * ((1 - tx) * g(x0, y0) + tx * g(x0 + 1, y0)) + ty * ((1 - tx) * g(x0, y0 + 1) + tx * g(x0 + 1, y0 + 1));
  }
};

}  // namespace

Result<Scene> synthesize_scene(const SceneOptions& o) {
  if (o.width < 64 || o.height < 64 || o.width > 8192 || o.height > 8192)
    return make_error("usage", "scene size out of range");
  Rng rng(o.seed);
  Scene sc;
  const double cam_ppm = o.width / o.desk_width_mm;
  const double page_ppm = std::max(8.0, cam_ppm * 1.3);
  BIANMIN_ASSIGN(sc.page, render_page(o.kind, o.seed, o.qr_text, page_ppm, &sc.page_w_mm, &sc.page_h_mm));
  const double W = sc.page_w_mm, H = sc.page_h_mm;

  // Placement: rotation, scale that fits the rotated page, an offset, then
  // a keystone (the camera not quite straight above the desk).
  const double rot = o.rotation_deg ? *o.rotation_deg : rng.uniform(-o.max_rotation_deg, o.max_rotation_deg);
  sc.rotation_deg = rot;
  const double th = rot * M_PI / 180, c = std::cos(th), s = std::sin(th);
  const double bw = W * std::abs(c) + H * std::abs(s), bh = W * std::abs(s) + H * std::abs(c);
  double ppm = cam_ppm;
  const double margin = 0.86 / (1 + o.perspective);
  ppm = std::min({ppm, margin * o.width / bw, margin * o.height / bh});
  sc.px_per_mm = ppm;
  const double room_x = std::max(0.0, o.width - bw * ppm * (1 + o.perspective)) / 2 * 0.8;
  const double room_y = std::max(0.0, o.height - bh * ppm * (1 + o.perspective)) / 2 * 0.8;
  const Pt centre{o.width / 2.0 + rng.uniform(-room_x, room_x), o.height / 2.0 + rng.uniform(-room_y, room_y)};
  Quad page_mm{Pt{0, 0}, Pt{W, 0}, Pt{W, H}, Pt{0, H}};
  Quad q;
  for (std::size_t i = 0; i < 4; ++i) {
    const Pt d = page_mm[i] - Pt{W / 2, H / 2};
    q[i] = centre + Pt{(d.x * c - d.y * s) * ppm, (d.x * s + d.y * c) * ppm};
  }
  // Keystone: a projective map around the frame centre.
  const double kx = rng.uniform(-o.perspective, o.perspective) / o.width;
  const double ky = rng.uniform(-o.perspective, o.perspective) / o.height;
  for (auto& p : q) {
    const double x = p.x - o.width / 2.0, y = p.y - o.height / 2.0, w = 1 + kx * x + ky * y;
    p = Pt{x / w + o.width / 2.0, y / w + o.height / 2.0};
    p = p + Pt{rng.uniform(-1, 1) * ppm * 0.8, rng.uniform(-1, 1) * ppm * 0.8};  // paper not quite flat
  }
  sc.corners = q;
  auto fwd = Homography::from(page_mm, q);
  if (!fwd) return make_error("internal", "degenerate page placement");
  auto inv = fwd->inverse();
  if (!inv) return make_error("internal", "degenerate page placement");

  // Desk: a base colour with low-frequency mottling and grain.
  const Rgb desks[] = {{150, 108, 70}, {92, 94, 100}, {48, 72, 58}, {120, 86, 58}, {175, 170, 160}};
  const Rgb desk = desks[rng.below(5)];
  Noise2 mottle(rng, 9, 7), grain(rng, 64, 6), light(rng, 4, 3);
  const double grain_angle = rng.uniform(0, M_PI);
  const double gx = rng.uniform(-1, 1) * o.uneven_light, gy = rng.uniform(-1, 1) * o.uneven_light;
  // A soft shadow across part of the frame (the camera's arm, a hand).
  const double sh_angle = rng.uniform(0, 2 * M_PI);
  const Pt sh_n{std::cos(sh_angle), std::sin(sh_angle)};
  const double sh_off = rng.uniform(0.15, 0.4) * std::min(o.width, o.height);
  const double sh_soft = 0.06 * o.width;
  const Rgb cast{static_cast<uint8_t>(255), static_cast<uint8_t>(250 - rng.below(10)), static_cast<uint8_t>(236 - rng.below(20))};

  sc.frame = Image::make(o.width, o.height, 3);
  const Image& pg = sc.page;
  const double pscale = pg.width / W;
  for (int y = 0; y < o.height; ++y) {
    uint8_t* out = sc.frame.row(y);
    for (int x = 0; x < o.width; ++x) {
      const Pt pm = inv->apply(Pt{x + 0.5, y + 0.5});
      // Distance inside the page edge, in frame pixels (approximately).
      const double din = std::min({pm.x, W - pm.x, pm.y, H - pm.y}) * ppm;
      double rgb[3];
      const double fx = static_cast<double>(x) / o.width, fy = static_cast<double>(y) / o.height;
      const double gr = grain.at(0.5 + (fx - 0.5) * std::cos(grain_angle) - (fy - 0.5) * std::sin(grain_angle) * 0.2,
                                 0.5 + (fx - 0.5) * std::sin(grain_angle) + (fy - 0.5) * std::cos(grain_angle));
      const double mt = 0.85 + 0.3 * mottle.at(fx, fy) + 0.12 * (gr - 0.5);
      double drop = 1;
      if (din < 0) drop = 1 - 0.28 * std::exp(din / (1.5 * ppm));  // the page's own soft shadow
      for (int k = 0; k < 3; ++k) rgb[k] = desk[static_cast<std::size_t>(k)] * mt * drop;
      if (din > -1) {
        const double u = std::clamp(pm.x * pscale - 0.5, 0.0, pg.width - 1.001);
        const double v = std::clamp(pm.y * pscale - 0.5, 0.0, pg.height - 1.001);
        const int u0 = static_cast<int>(u), v0 = static_cast<int>(v);
        const double tu = u - u0, tv = v - v0;
        const double a = std::clamp(din + 0.5, 0.0, 1.0);
        for (int k = 0; k < 3; ++k) {
          const double pv = (1 - tv) * ((1 - tu) * pg.at(u0, v0, k) + tu * pg.at(u0 + 1, v0, k)) +
                            tv * ((1 - tu) * pg.at(u0, v0 + 1, k) + tu * pg.at(u0 + 1, v0 + 1, k));
          rgb[k] = rgb[k] * (1 - a) + pv * a;
        }
      }
      // Light: gradient, vignette, coarse unevenness, the shadow, colour cast.
      const double dx = fx - 0.5, dy = fy - 0.5;
      double L = (1 + gx * dx + gy * dy) * (1 - o.uneven_light * 0.9 * (dx * dx + dy * dy)) *
                 (1 - o.uneven_light * 0.25 * (light.at(fx, fy) - 0.5));
      const double sd = (x - o.width / 2.0) * sh_n.x + (y - o.height / 2.0) * sh_n.y - sh_off;
      L *= 1 - o.shadow / (1 + std::exp(-sd / (sh_soft * 0.25)));
      for (int k = 0; k < 3; ++k) {
        double v = rgb[k] * L * cast[static_cast<std::size_t>(k)] / 255.0;
        v = 128 + (v - 128) * o.contrast;
        out[3 * x + k] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
      }
    }
  }
  // Optics blur, then sensor noise.
  box_blur_in_place(sc.frame, 1);
  if (o.noise > 0)
    for (auto& v : sc.frame.px) v = static_cast<uint8_t>(std::clamp(v + rng.gauss() * o.noise, 0.0, 255.0));
  return sc;
}

Result<SceneOptions> parse_scene_spec(std::string_view spec) {
  SceneOptions o;
  std::size_t comma = spec.find(',');
  auto kind = parse_page_kind(spec.substr(0, comma));
  if (!kind) return make_error("usage", "scene kind must be text, form, idcard, certificate or phone");
  o.kind = *kind;
  while (comma != std::string_view::npos) {
    std::string_view rest = spec.substr(comma + 1);
    if (rest.substr(0, 3) == "qr=") {
      o.qr_text = std::string(rest.substr(3));
      break;
    }
    comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    if (comma != std::string_view::npos) comma += static_cast<std::size_t>(rest.data() - spec.data());
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return make_error("usage", "scene option '" + std::string(item) + "' needs =");
    const std::string key(item.substr(0, eq)), val(item.substr(eq + 1));
    char* end = nullptr;
    if (key == "size") {
      const auto x = val.find('x');
      if (x == std::string::npos) return make_error("usage", "size=WxH");
      o.width = std::atoi(val.substr(0, x).c_str());
      o.height = std::atoi(val.substr(x + 1).c_str());
      continue;
    }
    const double d = std::strtod(val.c_str(), &end);
    if (val.empty() || *end != '\0') return make_error("usage", "scene option " + key + ": not a number");
    if (key == "seed") o.seed = static_cast<uint64_t>(d);
    else if (key == "rot") o.rotation_deg = d;
    else if (key == "persp") o.perspective = d;
    else if (key == "shadow") o.shadow = d;
    else if (key == "light") o.uneven_light = d;
    else if (key == "contrast") o.contrast = d;
    else if (key == "noise") o.noise = d;
    else return make_error("usage", "unknown scene option '" + key + "'");
  }
  return o;
}

}  // namespace bianmin::drivers::camera
