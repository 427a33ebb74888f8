// Software GL (Mesa's llvmpipe) compiles the code for a draw the first time
// a draw with that state runs: ImGui's textured, blended triangles from an
// alpha texture. That is 0.1–0.2 s of the first frame. The kiosk runs one
// such draw, invisible, while it waits for its catalogue and glyph atlas,
// so the first real frame finds it compiled. A GPU driver does the same
// work at shader link; there this costs a draw of one quad.
#pragma once

namespace bianmin::ui {

// GL context current and the ImGui OpenGL3 backend's objects created.
void warm_up_renderer(int width, int height);

}  // namespace bianmin::ui
