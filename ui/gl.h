// The handful of OpenGL calls the kiosk makes itself (the glyph atlas as a
// one-channel texture, updating it for on-demand glyphs, reading the frame
// back for screenshots), loaded through SDL so that nothing links libGL
// directly. ImGui's OpenGL3 backend loads its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bianmin::ui::gl {

// Loads the entry points from the current context (`es`: an OpenGL ES 3.0
// context). False when one is missing.
bool load(bool es);
// GL_VERSION of the current context ("OpenGL ES 3.2 Mesa …").
std::string version();
std::string renderer();

// A single-channel (alpha) texture drawn as white with that alpha: GL_R8
// swizzled to (1,1,1,R) where the context has texture swizzle (GL ≥ 3.3 or
// ARB_texture_swizzle), else RGBA expanded on upload. Returns the texture name.
unsigned create_alpha_texture(int width, int height, const unsigned char* alpha);
void update_alpha_texture(unsigned tex, int x, int y, int width, int height, const unsigned char* alpha);
void delete_texture(unsigned tex);
// RGB(A) texture for the camera preview.
unsigned create_rgb_texture(int width, int height, const unsigned char* rgb);
void update_rgb_texture(unsigned tex, int width, int height, const unsigned char* rgb);

void viewport_and_clear(int width, int height);

// The back buffer, top row first, RGB.
std::vector<unsigned char> read_pixels(int width, int height);

// Drops the resident code pages of the driver's shader compiler (libLLVM:
// Mesa's llvmpipe, radeonsi) at a quiet moment: it runs only when a new
// shader variant is built, and comes back from the page cache if one is
// (base/library_pages.h). About 46 MB of VmRSS under llvmpipe.
void release_compiler_pages();

}  // namespace bianmin::ui::gl
