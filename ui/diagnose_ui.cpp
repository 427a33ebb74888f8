#include "diagnose_ui.h"

#include <SDL.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "font_lookup.h"

namespace bianmin::ui {
namespace {

using namespace diagnose;
// The report's verdict makers, not the command line's fail(Error).
using diagnose::fail;
using diagnose::ok;
using diagnose::warn;
using namespace std::chrono_literals;

// 𠮷 (U+20BB7, CJK Extension B): a surname character that ID cards carry
// and that fonts without the extensions lack. If it renders, the rare
// characters of residents' names do.
constexpr uint32_t kRareChar = 0x20BB7;
constexpr const char* kRareUtf8 = "\xF0\xA0\xAE\xB7";

struct FreeType {
  FT_Library lib = nullptr;
  FT_Face face = nullptr;
  ~FreeType() {
    if (face) FT_Done_Face(face);
    if (lib) FT_Done_FreeType(lib);
  }
};

// Pixels of ink in `cp` drawn from `file` at 48 px; 0 when the face lacks it.
Result<long> ink_of(const FontFile& file, uint32_t cp) {
  FreeType ft;
  if (FT_Init_FreeType(&ft.lib) != 0) return make_error("font_missing", "FreeType cannot start");
  if (FT_New_Face(ft.lib, file.path.c_str(), file.index, &ft.face) != 0)
    return make_error("font_missing", "FreeType cannot open " + file.path);
  FT_Select_Charmap(ft.face, FT_ENCODING_UNICODE);
  FT_Set_Pixel_Sizes(ft.face, 0, 48);
  const FT_UInt glyph = FT_Get_Char_Index(ft.face, cp);
  if (glyph == 0) return 0L;
  if (FT_Load_Glyph(ft.face, glyph, FT_LOAD_RENDER) != 0) {
    char name[16];
    std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(cp));
    return make_error("font_broken", std::string("FreeType cannot render ") + name + " from " + file.path);
  }
  const FT_Bitmap& bm = ft.face->glyph->bitmap;
  long ink = 0;
  for (unsigned y = 0; y < bm.rows; ++y)
    for (unsigned x = 0; x < bm.width; ++x)
      if (bm.buffer[static_cast<long>(y) * bm.pitch + static_cast<long>(x)] > 0) ++ink;
  return ink;
}

std::string named(const FontFile& f) {
  return std::filesystem::path(f.path).filename().string() + "#" + std::to_string(f.index);
}

Finding check_fonts() {
  if (!FcInit()) return fail("fontconfig cannot start", "reinstall the Debian package fontconfig");
  auto regular = find_cjk_font(kRegularFontPattern);
  if (!regular)
    return fail(regular.error().message, "the kiosk cannot draw Chinese: install the Debian package fonts-noto-cjk");
  std::string figure = "CJK font " + named(*regular);
  const std::string rare = std::string(kRareUtf8) + " (U+20BB7)";
  auto ink = ink_of(*regular, kRareChar);
  if (!ink) return fail(figure + ": " + ink.error().message, "reinstall the Debian package fonts-noto-cjk");
  if (*ink > 0) return ok(figure + "; " + rare + " renders, " + std::to_string(*ink) + " px of ink at 48 px");
  // The kiosk draws a character its face lacks from another installed font
  // (fonts.cpp): look where it would.
  auto other = font_with_char(kRareChar);
  const char* advice = "residents' names with rare characters would show as boxes: install a font with the CJK "
                       "extensions (Debian: fonts-noto-cjk, fonts-hanazono)";
  if (!other) return warn(figure + "; no installed font has " + rare, advice);
  auto other_ink = ink_of(*other, kRareChar);
  if (!other_ink || *other_ink == 0)
    return warn(figure + "; " + rare + " does not render from " + named(*other), advice);
  return ok(figure + "; " + rare + " renders from " + named(*other) + ", " + std::to_string(*other_ink) +
            " px of ink at 48 px");
}

// Whether SDL could reach a screen at all: a display server to talk to, or
// a DRM device for the kiosk's KMSDRM mode. Without either SDL may try
// back-ends one after another; better not to ask it.
bool a_display_is_reachable() {
  if (const char* d = std::getenv("DISPLAY"); d && *d) return true;
  if (const char* w = std::getenv("WAYLAND_DISPLAY"); w && *w) return true;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/dev/dri", ec))
    if (e.path().filename().string().starts_with("card")) return true;
  return false;
}

struct SdlProbe {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  ~SdlProbe() {
    if (gl) SDL_GL_DeleteContext(gl);
    if (window) SDL_DestroyWindow(window);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
  }
};

// The facts the kiosk recorded, when that kiosk is still running.
std::optional<std::string> running_kiosk_display(cli::Runner& r) {
  auto s = r.store();
  if (!s) return std::nullopt;
  auto v = (*s)->setting("kiosk.display");
  if (!v || !*v) return std::nullopt;
  const auto j = nlohmann::json::parse(**v, nullptr, false);
  if (!j.is_object() || !j.contains("pid") || !j["pid"].is_number_integer()) return std::nullopt;
  const int pid = j["pid"].get<int>();
  std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline");
  std::string line((std::istreambuf_iterator<char>(cmd)), {});
  if (pid <= 0 || line.find("kiosk") == std::string::npos) return std::nullopt;
  return "the kiosk (pid " + std::to_string(pid) + ") shows on it: " + j.value("facts", "");
}

Finding check_display(cli::Runner& r) {
  if (auto kiosk = running_kiosk_display(r)) return ok(*kiosk);
  if (!a_display_is_reachable())
    return warn("no display here: DISPLAY and WAYLAND_DISPLAY are unset and there is no /dev/dri/card*",
                "run diagnose on the terminal itself (or in service mode); if this is the terminal, check the "
                "screen's cable and that the GPU driver is loaded");
  // A kiosk running fullscreen on DRM holds the screen, and then SDL cannot
  // open it here: that alone does not say the screen is broken.
  const char* screen_advice = "if the kiosk is running, the screen is in use: test it from service mode; "
                              "otherwise check the screen's cable and power";
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
    return warn(std::string("SDL cannot open the display: ") + SDL_GetError(), screen_advice);
  SdlProbe p;
  SDL_DisplayMode mode{};
  if (SDL_GetCurrentDisplayMode(0, &mode) != 0)
    return warn(std::string("no display mode: ") + SDL_GetError(), screen_advice);
  std::string figure = std::string(SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?") + ", " +
                       std::to_string(mode.w) + "x" + std::to_string(mode.h) + " at " +
                       std::to_string(mode.refresh_rate) + " Hz";
  // A hidden 16×16 window is enough to get the context the kiosk would get.
  p.window = SDL_CreateWindow("bianmin diagnose", 0, 0, 16, 16, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
  if (!p.window) return fail(figure + "; no window: " + SDL_GetError(), screen_advice);
  p.gl = SDL_GL_CreateContext(p.window);
  if (!p.gl) return fail(figure + "; no OpenGL context: " + SDL_GetError(), "the GPU driver is missing: reinstall the image");
  using GetString = const unsigned char* (*)(unsigned);
  auto get = reinterpret_cast<GetString>(SDL_GL_GetProcAddress("glGetString"));
  const unsigned char* renderer = get ? get(0x1F01) : nullptr;  // GL_RENDERER
  figure += ", GL renderer " + std::string(renderer ? reinterpret_cast<const char*>(renderer) : "?");
  return ok(figure);
}

}  // namespace

Status record_display_facts(store::Store& s, const std::string& facts) {
  return s.set_setting("kiosk.display", nlohmann::json{{"pid", static_cast<int>(::getpid())}, {"facts", facts}}.dump());
}

void add_ui_checks(Checklist& list, cli::Runner& r) {
  list.add({"fonts", "Fonts", Stage::fonts, 5s, [] { return check_fonts(); }, nullptr});
  list.add({"display", "Display", Stage::display, 5s, [&r] { return check_display(r); }, nullptr});
}

}  // namespace bianmin::ui
