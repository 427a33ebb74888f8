#include "fonts.h"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include FT_FREETYPE_H

#include <imgui.h>
#include <imgui_freetype.h>

#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

#include "base/log.h"
#include "font_lookup.h"
#include "gl.h"
#include "glyph_reserves.h"

namespace bianmin::ui {
namespace {

struct MappedFont {
  std::string path;
  int index = 0;
  void* data = nullptr;
  std::size_t size = 0;
  ~MappedFont() {
    if (data) ::munmap(data, size);
  }
  // Rasterising an atlas reads most of a CJK collection (25 of its 39 MB
  // here), and every page read stays mapped into the kiosk. Once the
  // atlas is on the GPU only an on-demand glyph needs a few of them again:
  // they come back from the page cache when touched.
  void release_pages() const {
    if (data) ::madvise(data, size, MADV_DONTNEED);
  }
};

Result<std::unique_ptr<MappedFont>> map_font(const std::string& path, int index) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error("font_missing", "cannot open " + path);
  struct stat st{};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    return make_error("font_missing", "cannot read " + path);
  }
  void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return make_error("font_missing", "cannot map " + path);
  // The first atlas reads most of the file: have the kernel start reading
  // it now (a cold start reads it from flash while the catalogue parses).
  ::madvise(p, static_cast<std::size_t>(st.st_size), MADV_WILLNEED);
  auto f = std::make_unique<MappedFont>();
  f->path = path;
  f->index = index;
  f->data = p;
  f->size = static_cast<std::size_t>(st.st_size);
  return f;
}

}  // namespace

// An atlas configured on the render thread and rasterised anywhere: it holds
// its own ImFontAtlas (not ImGui's), the glyph ranges that atlas points into,
// and where each font's reserve for on-demand glyphs will be.
struct PreparedAtlas {
  FontSizes sizes;
  std::unique_ptr<ImFontAtlas> atlas = std::make_unique<ImFontAtlas>();
  ImVector<ImWchar> body_ranges, title_ranges;
  ImFont* body = nullptr;
  ImFont* title = nullptr;
  ImFont* display = nullptr;
  struct Plan {
    ImFont* font;
    const MappedFont* file;
    float px;
    int rect_id, w, h;
    FT_Face face = nullptr;  // opened with the atlas (on its worker), handed to the reserve
  };
  std::vector<Plan> reserves;
  // The reserves' faces are opened where the atlas is rasterised, not on
  // the render thread (3 CJK faces: 2–4 ms); FreeType wants one library per
  // thread, so they belong to this one.
  FT_Library ft = nullptr;
  double rasterise_ms = 0;

  PreparedAtlas() = default;
  PreparedAtlas(const PreparedAtlas&) = delete;
  PreparedAtlas& operator=(const PreparedAtlas&) = delete;
  ~PreparedAtlas() {
    for (auto& r : reserves)
      if (r.face) FT_Done_Face(r.face);
    if (ft) FT_Done_FreeType(ft);
  }
};

namespace {

FT_Face open_face(FT_Library ft, const MappedFont& m, float px) {
  FT_Face f = nullptr;
  if (FT_New_Memory_Face(ft, static_cast<const FT_Byte*>(m.data), static_cast<FT_Long>(m.size), m.index, &f) != 0)
    return nullptr;
  FT_Select_Charmap(f, FT_ENCODING_UNICODE);
  set_pixel_size(f, px);
  return f;
}

}  // namespace

struct Fonts::Impl {
  std::unique_ptr<MappedFont> regular, bold;
  unsigned texture = 0;
  std::shared_ptr<PreparedAtlas> installed;  // the atlas ImGui draws from
  ImFontAtlas* context_atlas = nullptr;      // ImGui's own, put back on destruction
  std::set<uint32_t> body_chars, title_chars;
  // After `installed`: its faces belong to that atlas's FreeType library.
  GlyphReserves reserves;
};

Fonts::Fonts() : impl_(std::make_unique<Impl>()) {}
Fonts::~Fonts() {
  if (impl_->texture) gl::delete_texture(impl_->texture);
  if (impl_->context_atlas && ImGui::GetCurrentContext() && ImGui::GetIO().Fonts == impl_->installed->atlas.get())
    ImGui::GetIO().Fonts = impl_->context_atlas;
}

Result<std::unique_ptr<Fonts>> Fonts::open() {
  if (!FcInit()) return make_error("font_missing", "fontconfig cannot start");
  std::unique_ptr<Fonts> f(new Fonts());
  BIANMIN_ASSIGN(FontFile regular, find_cjk_font(kRegularFontPattern));
  BIANMIN_ASSIGN(f->impl_->regular, map_font(regular.path, regular.index));
  auto bold = find_cjk_font(kBoldFontPattern);
  if (bold && bold->path != regular.path) {
    auto mapped = map_font(bold->path, bold->index);
    if (mapped) f->impl_->bold = std::move(*mapped);
  }
  f->stats_.regular_file = regular.path + "#" + std::to_string(regular.index);
  f->stats_.bold_file = f->impl_->bold ? f->impl_->bold->path + "#" + std::to_string(f->impl_->bold->index) : "";
  log::info("ui", "fonts", {{"regular", f->stats_.regular_file}, {"bold", f->stats_.bold_file}});
  return f;
}

void Fonts::set_characters(std::set<uint32_t> body, std::set<uint32_t> titles) {
  // Always: printable ASCII, the replacement character, ellipsis and the
  // symbols the screens draw.
  for (uint32_t c = 0x20; c < 0x7F; ++c) {
    body.insert(c);
    titles.insert(c);
  }
  for (uint32_t c : {0xFFFDu, 0x2026u, 0x00B7u, 0x2190u, 0x2192u, 0x2191u, 0x2193u, 0x2713u, 0x25B2u, 0x25BCu,
                     0x258Fu, 0x2039u, 0x203Au, 0x25CFu, 0x25CBu, 0x2605u, 0x2606u, 0x2014u, 0x00D7u,
                     0x3001u, 0x3002u, 0xFF0Cu, 0xFF1Au})
    body.insert(c);
  // ImGui's common simplified-Chinese set (2,500 hanzi and punctuation).
  // (Static data; asked of an atlas of our own: this may run before the
  // ImGui context exists, on the start-up loader's thread.)
  ImFontAtlas ranges_source;
  const ImWchar* common = ranges_source.GetGlyphRangesChineseSimplifiedCommon();
  for (const ImWchar* r = common; r[0]; r += 2)
    for (uint32_t c = r[0]; c <= r[1]; ++c) body.insert(c);
  body.insert(titles.begin(), titles.end());
  impl_->body_chars = std::move(body);
  impl_->title_chars = std::move(titles);
}

std::shared_ptr<PreparedAtlas> Fonts::prepare_atlas(const FontSizes& sizes) const {
  auto p = std::make_shared<PreparedAtlas>();
  p->sizes = sizes;
  ImFontAtlas* atlas = p->atlas.get();
  atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  atlas->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
  atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight | ImFontAtlasFlags_NoMouseCursors;
  atlas->TexDesiredWidth = kMaxAtlasWidth;
  atlas->TexGlyphPadding = 1;

  auto ranges = [](const std::set<uint32_t>& chars, ImVector<ImWchar>& out) {
    ImFontGlyphRangesBuilder b;
    for (uint32_t c : chars)
      if (c <= 0xFFFF) b.AddChar(static_cast<ImWchar>(c));
    out.clear();
    b.BuildRanges(&out);
  };
  ranges(impl_->body_chars, p->body_ranges);
  ranges(impl_->title_chars, p->title_ranges);

  const MappedFont& reg = *impl_->regular;
  const MappedFont& bld = impl_->bold ? *impl_->bold : *impl_->regular;
  auto add = [&](const MappedFont& m, float px, const ImVector<ImWchar>& r, const char* name, bool synth_bold) {
    ImFontConfig cfg;
    cfg.FontData = m.data;
    cfg.FontDataSize = static_cast<int>(m.size);
    // ImGui copies font data it does not own (1.86 AddFont): three copies
    // of a 20 MB CJK collection, which also read every page of the file. It
    // is told it owns the mapping, so it keeps the pointer, and then that it
    // does not, so it never frees it (ClearInputData).
    cfg.FontDataOwnedByAtlas = true;
    cfg.FontNo = m.index;
    cfg.SizePixels = px;
    cfg.GlyphRanges = r.Data;
    cfg.PixelSnapH = true;
    cfg.OversampleH = cfg.OversampleV = 1;
    if (synth_bold) cfg.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_Bold;
    std::snprintf(cfg.Name, sizeof(cfg.Name), "%s %.0fpx", name, static_cast<double>(px));
    ImFont* font = atlas->AddFont(&cfg);
    atlas->ConfigData.back().FontDataOwnedByAtlas = false;
    return font;
  };
  const bool synth = !impl_->bold;
  p->body = add(reg, sizes.body, p->body_ranges, "body", false);
  p->title = add(bld, sizes.title, p->title_ranges, "title", synth);
  p->display = add(bld, sizes.display, p->title_ranges, "display", synth);

  // Reserves for on-demand glyphs: body text meets names and input-method
  // candidates; titles rarely need one.
  const std::pair<ImFont*, std::pair<const MappedFont*, std::pair<float, int>>> plans[] = {
      {p->body, {&reg, {sizes.body, 8}}}, {p->title, {&bld, {sizes.title, 3}}}, {p->display, {&bld, {sizes.display, 2}}}};
  for (const auto& [font, rest] : plans) {
    const auto& [file, geometry] = rest;
    const auto& [px, rows] = geometry;
    const int w = 2048, h = rows * (static_cast<int>(px) + 4);
    p->reserves.push_back({font, file, px, atlas->AddCustomRectRegular(w, h), w, h});
  }
  return p;
}

Status rasterise_atlas(PreparedAtlas& p) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!p.atlas->Build()) return make_error("font_atlas", "the glyph atlas could not be built");
  if (!p.ft && FT_Init_FreeType(&p.ft) != 0) return make_error("font_atlas", "FreeType cannot start");
  for (auto& r : p.reserves)
    if (!r.face) r.face = open_face(p.ft, *r.file, r.px);
  p.rasterise_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return {};
}

FontSizes atlas_sizes(const PreparedAtlas& p) { return p.sizes; }

Status Fonts::install_atlas(std::shared_ptr<PreparedAtlas> p) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!p->atlas->IsBuilt()) BIANMIN_TRY(rasterise_atlas(*p));
  if (impl_->texture) {
    gl::delete_texture(impl_->texture);
    impl_->texture = 0;
  }

  ImFontAtlas* atlas = p->atlas.get();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  atlas->GetTexDataAsAlpha8(&pixels, &w, &h);
  if (h > kMaxAtlasHeight) {
    log::warn("ui", "glyph atlas over budget", {{"width", w}, {"height", h}});
  }
  impl_->texture = gl::create_alpha_texture(w, h, pixels);
  atlas->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(impl_->texture)));
  atlas->ClearTexData();  // the texture holds it; 16 MiB less in RAM
  impl_->reserves.reset(impl_->texture, w, h);
  for (auto& plan : p->reserves) {
    const ImFontAtlasCustomRect* rect = atlas->GetCustomRectByIndex(plan.rect_id);
    impl_->reserves.add_region(
        {plan.font, std::exchange(plan.face, nullptr), plan.px, rect->X, rect->Y, plan.w, plan.h});
  }
  // ImGui draws from this atlas from the next frame on. The context's own
  // (empty) atlas is put back before the context is destroyed (~Fonts).
  ImGuiIO& io = ImGui::GetIO();
  if (!impl_->context_atlas) impl_->context_atlas = io.Fonts;
  io.Fonts = atlas;
  body_ = p->body;
  title_ = p->title;
  display_ = p->display;
  impl_->installed = std::move(p);  // after the swap: the old atlas is no longer referenced

  stats_.atlas_width = w;
  stats_.atlas_height = h;
  stats_.base_glyphs = impl_->reserves.base_glyphs();
  stats_.on_demand_glyphs = 0;
  stats_.build_ms = impl_->installed->rasterise_ms;
  const double install_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  log::info("ui", "glyph atlas installed",
            {{"width", w}, {"height", h}, {"glyphs", stats_.base_glyphs},
             {"rasterise_ms", static_cast<int>(stats_.build_ms)}, {"install_ms", static_cast<int>(install_ms)},
             {"body_px", static_cast<int>(impl_->installed->sizes.body)}});
  return {};
}

std::string_view Fonts::prepare(ImFont* font, std::string_view text) {
  const std::string_view drawn = impl_->reserves.prepare(font, text);
  stats_.on_demand_glyphs = impl_->reserves.on_demand_glyphs();
  stats_.missing = impl_->reserves.missing();
  return drawn;
}

void Fonts::end_frame() { impl_->reserves.end_frame(); }

void Fonts::forget_session_glyphs() {
  impl_->reserves.forget_session();
  stats_.on_demand_glyphs = 0;
  release_font_pages();
}

void Fonts::release_font_pages() const {
  impl_->regular->release_pages();
  if (impl_->bold) impl_->bold->release_pages();
}

}  // namespace bianmin::ui
