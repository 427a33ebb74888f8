#include "gl.h"

#include <SDL.h>

#include <cstring>

#include "base/library_pages.h"
#include "base/log.h"

namespace bianmin::ui::gl {
namespace {

using GLenum = unsigned int;
using GLuint = unsigned int;
using GLint = int;
using GLsizei = int;

constexpr GLenum kTexture2D = 0x0DE1, kUnsignedByte = 0x1401, kRed = 0x1903, kRgb = 0x1907, kRgba = 0x1908,
                 kR8 = 0x8229, kLinear = 0x2601, kMinFilter = 0x2801, kMagFilter = 0x2800, kClampToEdge = 0x812F,
                 kWrapS = 0x2802, kWrapT = 0x2803, kUnpackAlignment = 0x0CF5, kPackAlignment = 0x0D05,
                 kSwizzleRgba = 0x8E46, kOne = 1, kNoError = 0, kUnpackRowLength = 0x0CF2, kBack = 0x0405,
                 kTextureBinding2D = 0x8069;

struct Api {
  void (*GenTextures)(GLsizei, GLuint*);
  void (*DeleteTextures)(GLsizei, const GLuint*);
  void (*BindTexture)(GLenum, GLuint);
  void (*TexImage2D)(GLenum, GLint, GLint, GLsizei, GLsizei, GLint, GLenum, GLenum, const void*);
  void (*TexSubImage2D)(GLenum, GLint, GLint, GLint, GLsizei, GLsizei, GLenum, GLenum, const void*);
  void (*TexParameteri)(GLenum, GLenum, GLint);
  void (*TexParameteriv)(GLenum, GLenum, const GLint*);
  void (*PixelStorei)(GLenum, GLint);
  void (*ReadPixels)(GLint, GLint, GLsizei, GLsizei, GLenum, GLenum, void*);
  void (*ReadBuffer)(GLenum);
  void (*GetIntegerv)(GLenum, GLint*);
  GLenum (*GetError)();
  const unsigned char* (*GetString)(GLenum);
  void (*Viewport)(GLint, GLint, GLsizei, GLsizei);
  void (*ClearColor)(float, float, float, float);
  void (*Clear)(GLenum);
};
Api api{};
bool swizzle = true;

template <class F>
bool get(F& f, const char* name) {
  f = reinterpret_cast<F>(SDL_GL_GetProcAddress(name));
  return f != nullptr;
}

struct BindingGuard {
  GLint previous = 0;
  BindingGuard() { api.GetIntegerv(kTextureBinding2D, &previous); }
  ~BindingGuard() { api.BindTexture(kTexture2D, static_cast<GLuint>(previous)); }
};

void set_params() {
  api.TexParameteri(kTexture2D, kMinFilter, kLinear);
  api.TexParameteri(kTexture2D, kMagFilter, kLinear);
  api.TexParameteri(kTexture2D, kWrapS, kClampToEdge);
  api.TexParameteri(kTexture2D, kWrapT, kClampToEdge);
}

std::vector<unsigned char> expand(int w, int h, const unsigned char* alpha) {
  std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * h * 4, 255);
  for (std::size_t i = 0; i < static_cast<std::size_t>(w) * h; ++i) rgba[i * 4 + 3] = alpha[i];
  return rgba;
}

}  // namespace

bool load(bool es) {
  bool ok = get(api.GenTextures, "glGenTextures") && get(api.DeleteTextures, "glDeleteTextures") &&
            get(api.BindTexture, "glBindTexture") && get(api.TexImage2D, "glTexImage2D") &&
            get(api.TexSubImage2D, "glTexSubImage2D") && get(api.TexParameteri, "glTexParameteri") &&
            get(api.TexParameteriv, "glTexParameteriv") && get(api.PixelStorei, "glPixelStorei") &&
            get(api.ReadPixels, "glReadPixels") && get(api.GetIntegerv, "glGetIntegerv") &&
            get(api.GetError, "glGetError") && get(api.Viewport, "glViewport") &&
            get(api.ClearColor, "glClearColor") && get(api.Clear, "glClear");
  get(api.ReadBuffer, "glReadBuffer");
  get(api.GetString, "glGetString");
  int major = 0, minor = 0;
  SDL_GL_GetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, &major);
  SDL_GL_GetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, &minor);
  // Texture swizzle is core in OpenGL 3.3 and OpenGL ES 3.0.
  swizzle = es || SDL_GL_ExtensionSupported("GL_ARB_texture_swizzle") || major > 3 || (major == 3 && minor >= 3);
  return ok;
}

unsigned create_alpha_texture(int width, int height, const unsigned char* alpha) {
  BindingGuard guard;
  GLuint tex = 0;
  api.GenTextures(1, &tex);
  api.BindTexture(kTexture2D, tex);
  set_params();
  api.PixelStorei(kUnpackRowLength, 0);
  if (swizzle) {
    // An error left by an earlier call (ImGui's backend asks an ES context
    // for desktop-only state) must not be taken for this one's.
    for (int stale = 0; stale < 16 && api.GetError() != kNoError; ++stale) {
    }
    api.PixelStorei(kUnpackAlignment, 1);
    api.TexImage2D(kTexture2D, 0, static_cast<GLint>(kR8), width, height, 0, kRed, kUnsignedByte, alpha);
    const GLint sw[4] = {kOne, kOne, kOne, static_cast<GLint>(kRed)};
    api.TexParameteriv(kTexture2D, kSwizzleRgba, sw);
    if (api.GetError() == kNoError) return tex;
    swizzle = false;  // the driver refused: fall back to RGBA, on a texture without the swizzle
    api.DeleteTextures(1, &tex);
    api.GenTextures(1, &tex);
    api.BindTexture(kTexture2D, tex);
    set_params();
  }
  api.PixelStorei(kUnpackAlignment, 4);
  auto rgba = expand(width, height, alpha);
  api.TexImage2D(kTexture2D, 0, static_cast<GLint>(kRgba), width, height, 0, kRgba, kUnsignedByte, rgba.data());
  return tex;
}

void update_alpha_texture(unsigned tex, int x, int y, int width, int height, const unsigned char* alpha) {
  BindingGuard guard;
  api.BindTexture(kTexture2D, tex);
  api.PixelStorei(kUnpackRowLength, 0);
  if (swizzle) {
    api.PixelStorei(kUnpackAlignment, 1);
    api.TexSubImage2D(kTexture2D, 0, x, y, width, height, kRed, kUnsignedByte, alpha);
  } else {
    api.PixelStorei(kUnpackAlignment, 4);
    auto rgba = expand(width, height, alpha);
    api.TexSubImage2D(kTexture2D, 0, x, y, width, height, kRgba, kUnsignedByte, rgba.data());
  }
}

void delete_texture(unsigned tex) {
  if (tex) api.DeleteTextures(1, &tex);
}

unsigned create_rgb_texture(int width, int height, const unsigned char* rgb) {
  BindingGuard guard;
  GLuint tex = 0;
  api.GenTextures(1, &tex);
  api.BindTexture(kTexture2D, tex);
  set_params();
  api.PixelStorei(kUnpackAlignment, 1);
  api.PixelStorei(kUnpackRowLength, 0);
  api.TexImage2D(kTexture2D, 0, static_cast<GLint>(kRgb), width, height, 0, kRgb, kUnsignedByte, rgb);
  return tex;
}

void update_rgb_texture(unsigned tex, int width, int height, const unsigned char* rgb) {
  BindingGuard guard;
  api.BindTexture(kTexture2D, tex);
  api.PixelStorei(kUnpackAlignment, 1);
  api.TexSubImage2D(kTexture2D, 0, 0, 0, width, height, kRgb, kUnsignedByte, rgb);
}

std::string version() {
  const unsigned char* v = api.GetString ? api.GetString(0x1F02) : nullptr;  // GL_VERSION
  return v ? reinterpret_cast<const char*>(v) : "?";
}

std::string renderer() {
  const unsigned char* v = api.GetString ? api.GetString(0x1F01) : nullptr;  // GL_RENDERER
  return v ? reinterpret_cast<const char*>(v) : "?";
}

void viewport_and_clear(int width, int height) {
  api.Viewport(0, 0, width, height);
  api.ClearColor(0.95f, 0.96f, 0.98f, 1.0f);
  api.Clear(0x00004000);  // GL_COLOR_BUFFER_BIT
}

std::vector<unsigned char> read_pixels(int width, int height) {
  // RGBA is the one format every GL and GL ES reads back; the screenshot
  // keeps RGB, top row first (GL's rows start at the bottom).
  const std::size_t w = static_cast<std::size_t>(width), h = static_cast<std::size_t>(height);
  std::vector<unsigned char> rgba(w * h * 4);
  if (api.ReadBuffer) api.ReadBuffer(kBack);
  api.PixelStorei(kPackAlignment, 4);
  api.ReadPixels(0, 0, width, height, kRgba, kUnsignedByte, rgba.data());
  std::vector<unsigned char> px(w * h * 3);
  for (std::size_t y = 0; y < h; ++y) {
    const unsigned char* src = rgba.data() + (h - 1 - y) * w * 4;
    unsigned char* dst = px.data() + y * w * 3;
    for (std::size_t x = 0; x < w; ++x) std::memcpy(dst + x * 3, src + x * 4, 3);
  }
  return px;
}

void release_compiler_pages() {
  auto r = release_library_pages("/libLLVM");
  if (!r) {
    log::warn("ui", "compiler pages kept", {{"error", r.error().message}});
    return;
  }
  if (r->mappings > 0 || r->skipped > 0)
    log::debug("ui", "compiler pages released", {{"kb", r->bytes / 1024}, {"mappings", r->mappings}, {"skipped", r->skipped}});
}

}  // namespace bianmin::ui::gl
