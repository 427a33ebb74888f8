// The screens: one draw function per session::Screen, reading the View and
// emitting intents. UI-only state (which page of a list, the text being
// typed before it becomes an intent, which overlay is open) lives in Local
// and is wiped with the session.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "ime.h"
#include "keyboard.h"
#include "status.h"
#include "thumbnails.h"
#include "widgets.h"

namespace bianmin::ui {

struct Local {
  std::map<std::string, int> pages;
  int& page(const std::string& id) { return pages[id]; }

  // Overlays.
  std::string chooser;      // "category", "department", "select:<field key>", "lang"
  std::string edit_target;  // "search", "form:<key>", "applicant.phone", "applicant.address",
                            // "complaint.text", "complaint.phone", "receipt"
  std::string edit_buffer;
  KeyboardState kbd;
  bool home_rating = false;  // 服务评价 from home
  bool search_next = false;  // home's search box: open the keyboard on the lists

  bool by_department = false;
  int guide_tab = 0;
  std::string material;  // material being captured
  int rating_level = 0;
  std::vector<std::string> rating_tags;
  std::string complaint_about;
  std::string complaint_text, complaint_phone;
  std::string receipt_input;
  int last_screen = -1;

  // The counter: the clerk number on the sign-in screen, and an identity
  // typed in (name, type, number, reason) before it becomes an intent.
  std::string counter_clerk_id;
  struct ManualDraft {
    std::string name, id_type = "resident", id_number, reason;
    void wipe();
  } counter_manual;

  // Resident data out: every buffer overwritten.
  void wipe();
  // The screen changed: close overlays, first pages.
  void screen_changed();
};

struct ScreenContext {
  Ui& ui;
  Local& local;
  InputMethod* ime;  // null until ready
  const DeviceStatus& status;
  const catalog::Catalog* catalog;
  const Preview& preview;
  std::string clock;  // "10:32"
  std::string counter_window = {};  // the counter's window number ("3")
  const std::vector<Thumbnail>* thumbs = nullptr;  // the captured pages (materials step)
  // Voice guidance for this resident: the speaker button shows (and turns)
  // it; none where there is no such button (the counter, service mode).
  std::optional<bool> voice_on = {};
};

void draw_screen(ScreenContext& c, Rect full);

// ---- shared chrome (chrome.cpp) ----
Rect draw_status_bar(ScreenContext& c, Rect full);
Rect draw_header(ScreenContext& c, Rect r, std::string_view title, std::string_view subtitle = {});
struct Nav {
  bool back = true, home = true;
  std::string primary_id, primary_label;
  Style primary_style = Style::primary;
};
// Cuts the navigation bar off the bottom of r; true when the primary action was tapped.
bool draw_nav(ScreenContext& c, Rect& r, const Nav& nav);
void draw_notice(ScreenContext& c, Rect& r);
// The usual frame of a step: header, navigation with the primary action
// `primary_id` (labelled by the text of that id; none when empty) and the
// notice. Returns the content area; `*primary` tells whether it was tapped.
Rect draw_step(ScreenContext& c, Rect r, std::string_view title, std::string_view subtitle,
               const std::string& primary_id, bool* primary);
void draw_countdown(ScreenContext& c, const Rect& full);
// Over everything while the terminal restarts into an installed update
// (update/quiet_gate.h): no new session may start.
void draw_updating(ScreenContext& c, const Rect& full);
// The text editor overlay for local.edit_target; true when done was tapped.
bool draw_editor(ScreenContext& c, const Rect& full, std::string_view label, KeyboardKind kind, int max_chars = 0);
// A list of choices over the screen; the chosen index, or -1 (closed with -2).
int draw_chooser(ScreenContext& c, const Rect& full, std::string_view title, const std::vector<std::string>& options,
                 int selected);
// A PIN pad over local.edit_buffer: digits never leave it until "OK", and
// are shown as dots. The caller takes the PIN on `ok` and wipes the buffer.
enum class PinKey { none, digit, ok };
PinKey pin_pad(ScreenContext& c, Rect r, std::string_view prompt);
// A card with a label above a value (read-only or touchable).
bool draw_field(ScreenContext& c, const Rect& r, std::string_view id, std::string_view label, std::string_view value,
                bool editable, std::string_view problem = {});
// Validation problems in the view's language.
std::string issue_text(const ScreenContext& c, const domain::ValidationIssue& i);
std::string problem_for(const ScreenContext& c, std::string_view field, std::string_view value = {});

// ---- screens ----
void draw_attract(ScreenContext& c, Rect r);
void draw_home(ScreenContext& c, Rect r);
void draw_lists(ScreenContext& c, Rect r);
void draw_guide(ScreenContext& c, Rect r);
void draw_place_card(ScreenContext& c, Rect r);
void draw_confirm_identity(ScreenContext& c, Rect r);
void draw_form(ScreenContext& c, Rect r, const Rect& full);
void draw_materials(ScreenContext& c, Rect r);
void draw_review(ScreenContext& c, Rect r);
void draw_submitting(ScreenContext& c, Rect r);
void draw_receipt(ScreenContext& c, Rect r);
void draw_rating(ScreenContext& c, Rect r, bool from_home);
void draw_done(ScreenContext& c, Rect r);
void draw_progress_query(ScreenContext& c, Rect r, const Rect& full);
void draw_progress_result(ScreenContext& c, Rect r);
void draw_complaint(ScreenContext& c, Rect r, const Rect& full);
void draw_complaint_done(ScreenContext& c, Rect r);
void draw_take_ticket(ScreenContext& c, Rect r);

}  // namespace bianmin::ui
