// What a screen draws with: the frame's context (the view, the words, the
// fonts, the touch registry, the sizes for this screen and mode) and the
// few widgets of the kiosk — text that fits its box, buttons with element
// ids, chips, pagers. Screens emit intents (session::Input) and never act
// on anything themselves.
#pragma once

#include <imgui.h>

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "fonts.h"
#include "i18n.h"
#include "layout.h"
#include "session/clerk_inputs.h"
#include "session/clerk_view.h"
#include "session/service_inputs.h"
#include "session/view.h"
#include "touch.h"

namespace bianmin::ui {

// Physical sizes, so that touch targets are ≥ 15 mm whatever the panel.
struct Metrics {
  float px_per_mm = 4.0f;  // 21.5" 1080p panel: 4.0; 32": 2.7
  bool elder = false;
  bool portrait = true;
  float width = 1080, height = 1920;

  float mm(float v) const { return v * px_per_mm; }
  float target() const { return mm(elder ? 26.0f : 20.0f); }  // button height; never below 15 mm
  float min_target() const { return mm(15.0f); }
  float gap() const { return mm(elder ? 5.0f : 4.0f); }
  float pad() const { return mm(elder ? 7.0f : 6.0f); }
  float radius() const { return mm(2.5f); }
  // Items per page of a list; elder mode shows fewer.
  int list_rows() const;
  static FontSizes font_sizes(bool elder);
};

namespace color {
constexpr ImU32 kBackground = IM_COL32(243, 246, 251, 255);
constexpr ImU32 kHeader = IM_COL32(22, 74, 155, 255);
constexpr ImU32 kPrimary = IM_COL32(27, 94, 196, 255);
constexpr ImU32 kPrimaryPressed = IM_COL32(14, 60, 140, 255);
constexpr ImU32 kSurface = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kSurfacePressed = IM_COL32(214, 226, 245, 255);
constexpr ImU32 kBorder = IM_COL32(190, 204, 226, 255);
constexpr ImU32 kText = IM_COL32(25, 32, 45, 255);
constexpr ImU32 kMuted = IM_COL32(92, 104, 124, 255);
constexpr ImU32 kOnPrimary = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kOk = IM_COL32(23, 135, 72, 255);
constexpr ImU32 kWarn = IM_COL32(204, 102, 0, 255);
constexpr ImU32 kDanger = IM_COL32(196, 32, 32, 255);
constexpr ImU32 kWarnBg = IM_COL32(255, 243, 224, 255);
constexpr ImU32 kDangerBg = IM_COL32(253, 232, 232, 255);
constexpr ImU32 kOkBg = IM_COL32(228, 245, 235, 255);
constexpr ImU32 kSelected = IM_COL32(225, 236, 252, 255);
constexpr ImU32 kShade = IM_COL32(10, 20, 40, 150);
}  // namespace color

// What the chrome (status bar, notices, countdown) and the application's
// shared screens (form, materials, review) read, whichever role — the
// resident's kiosk or the clerk's counter — has the screen.
struct ScreenFace {
  std::string lang = "zh-CN";
  std::string notice;
  int countdown = -1;
  bool reader_present = true;
  bool attract = false;  // the resident's attract loop: no banners over it
  bool counter = false;  // the clerk's counter: its own words where they differ (at_counter.*)
  const session::ApplicationState* app = nullptr;
};

enum class Align { left, center, right };
enum class Style { primary, secondary, quiet, danger, selected };

struct TextStyle {
  ImFont* font = nullptr;
  float size = 0;  // 0: the font's own
  ImU32 color = color::kText;
  Align align = Align::left;
  bool wrap = true;
  bool vcenter = false;
};

class Ui {
 public:
  Ui(Fonts& fonts, const Strings& strings, Touch& touch) : fonts_(fonts), strings_(strings), touch_(touch) {}

  // A frame of the resident's kiosk, or of the clerk's counter.
  void begin_frame(const session::View& v, ImDrawList* dl, const Metrics& m, bool record_texts);
  void begin_frame(const session::ClerkView& v, ImDrawList* dl, const Metrics& m, bool record_texts);
  // The resident's view: only the resident's screens ask for it.
  const session::View& view() const { return *view_; }
  const session::ClerkView& counter() const { return *counter_; }
  const ScreenFace& face() const { return face_; }
  // The application being prepared (either role).
  const session::ApplicationState& app() const { return *face_.app; }
  const Metrics& m() const { return m_; }
  ImDrawList* dl() { return dl_; }
  Fonts& fonts() { return fonts_; }
  const std::string& lang() const { return face_.lang; }

  // Words.
  // At the counter a key has its own words where `at_counter.<key>` exists
  // ("确认受理" where a resident reads "确认提交").
  const std::string& t(std::string_view key) const {
    if (face_.counter) {
      // Built in a buffer that keeps its capacity: hundreds of lookups a
      // frame allocate nothing (the render thread only).
      thread_local std::string own;
      own.assign("at_counter.").append(key);
      if (strings_.has(face_.lang, own)) return strings_.get(face_.lang, own);
    }
    return strings_.get(face_.lang, key);
  }
  std::string f(std::string_view key, const std::vector<std::pair<std::string, std::string>>& args) const {
    return strings_.format(face_.lang, key, args);
  }
  bool has(std::string_view key) const { return strings_.has(face_.lang, key); }

  // Fonts and sizes of this mode.
  ImFont* body() const { return fonts_.body(); }
  ImFont* title() const { return fonts_.title(); }
  ImFont* display() const { return fonts_.display(); }
  float body_px() const { return fonts_.body()->FontSize; }
  float small_px() const { return fonts_.body()->FontSize * 0.82f; }

  // Drawing.
  void fill(const Rect& r, ImU32 c, float rounding = 0);
  void frame(const Rect& r, ImU32 c, float thickness, float rounding = 0);
  // Draws `s` inside `r`: wrapped, shrunk (to 65 %) when it does not fit,
  // and cut with an ellipsis only as a last resort. Returns the height used.
  float text(const Rect& r, std::string_view s, const TextStyle& st);
  // Height `s` takes at width `w`.
  float measure(std::string_view s, ImFont* font, float size, float w);
  float line_height(ImFont* font, float size) const { return size > 0 ? size : font->FontSize; }

  // Touchable elements.
  bool button(std::string_view id, std::string_view label, const Rect& r, Style style = Style::secondary,
              ImFont* font = nullptr, float size = 0);
  // A touchable area with custom content drawn by `content` (inside r).
  bool area(std::string_view id, const Rect& r, Style style, const std::function<void(const Rect&)>& content);
  // "‹ 上一页   第 1/3 页   下一页 ›" for a list with `count` items; returns the first item index of the page.
  int pager(std::string_view id, const Rect& r, int count, int per_page, int& page);

  // Intents for the session, taken by the loop after the frame.
  void emit(session::Input in) { intents_.push_back(std::move(in)); }
  std::vector<session::Input> take_intents() { return std::move(intents_); }
  // The same for the service screens (session/service_inputs.h).
  void emit_service(session::ServiceInput in) { service_intents_.push_back(std::move(in)); }
  std::vector<session::ServiceInput> take_service_intents() { return std::move(service_intents_); }
  // The same for the counter's own screens (session/clerk_inputs.h); the
  // shared application screens emit session::Input, which the counter takes too.
  void emit_counter(session::ClerkInput in) { counter_intents_.push_back(std::move(in)); }
  std::vector<session::ClerkInput> take_counter_intents() { return std::move(counter_intents_); }
  // Non-session actions (UI state changes that need a redraw).
  void changed() { changed_ = true; }
  bool take_changed() { bool c = changed_; changed_ = false; return c; }
  // Animation requests a 60 fps frame rate while something moves.
  void animate() { animating_ = true; }
  bool animating() const { return animating_; }

  // A physical keyboard (physical_keys.h): each queued key press is the
  // press of the first of its element ids drawn in one frame; one key per
  // frame, so fast typing keeps its order.
  void queue_key(std::vector<std::string> ids) { key_queue_.push_back(std::move(ids)); }
  bool keys_pending() const { return !key_queue_.empty(); }

  // Texts drawn this frame (automation: expect-text), wiped every frame.
  const std::vector<std::string>& texts() const { return texts_; }
  void wipe_texts();

  double time() const { return ImGui::GetTime(); }

 private:
  void start(ImDrawList* dl, const Metrics& m, bool record_texts);

  Fonts& fonts_;
  const Strings& strings_;
  Touch& touch_;
  const session::View* view_ = nullptr;
  const session::ClerkView* counter_ = nullptr;
  ScreenFace face_;
  ImDrawList* dl_ = nullptr;
  Metrics m_;
  std::vector<session::Input> intents_;
  std::vector<session::ServiceInput> service_intents_;
  std::vector<session::ClerkInput> counter_intents_;
  std::deque<std::vector<std::string>> key_queue_;
  std::vector<std::string> frame_key_;  // this frame's key press, until an element takes it
  bool changed_ = false;
  bool animating_ = false;
  bool record_ = false;
  std::vector<std::string> texts_;
};

}  // namespace bianmin::ui
