#include "renderer_warmup.h"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdint>

#include "gl.h"

namespace bianmin::ui {

void warm_up_renderer(int width, int height) {
  const unsigned char opaque = 255;
  const unsigned texture = gl::create_alpha_texture(1, 1, &opaque);  // the glyph atlas's format
  const auto id = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture));
  const ImVec2 size(static_cast<float>(width), static_cast<float>(height));
  {
    ImDrawList list(ImGui::GetDrawListSharedData());
    list._ResetForNewFrame();
    list.PushClipRect(ImVec2(0, 0), size);
    list.PushTextureID(id);
    list.AddImage(id, ImVec2(0, 0), ImVec2(8, 8), ImVec2(0, 0), ImVec2(1, 1), IM_COL32(255, 255, 255, 128));
    ImDrawList* lists[] = {&list};
    ImDrawData data;
    data.Valid = true;
    data.CmdLists = lists;
    data.CmdListsCount = 1;
    data.TotalIdxCount = list.IdxBuffer.Size;
    data.TotalVtxCount = list.VtxBuffer.Size;
    data.DisplayPos = ImVec2(0, 0);
    data.DisplaySize = size;
    data.FramebufferScale = ImVec2(1, 1);
    gl::viewport_and_clear(width, height);
    ImGui_ImplOpenGL3_RenderDrawData(&data);
    gl::viewport_and_clear(width, height);  // nothing of it is ever shown
  }
  gl::delete_texture(texture);
}

}  // namespace bianmin::ui
