// Applying: place the card, confirm identity, the form, the materials, the
// review, and the durable submit.
#include <algorithm>
#include <cmath>

#include "base/bytes.h"
#include "domain/masking.h"
#include "screens/screens.h"

namespace bianmin::ui {
namespace {

constexpr float kPi = 3.14159265f;

void spinner(Ui& ui, float cx, float cy, float radius) {
  ui.animate();
  const float t = static_cast<float>(ui.time());
  for (int i = 0; i < 12; ++i) {
    const float a = static_cast<float>(i) / 12.0f * 2 * kPi;
    const float phase = std::fmod(t * 1.2f + static_cast<float>(i) / 12.0f, 1.0f);
    const auto alpha = static_cast<int>(60 + 195 * phase);
    ui.dl()->AddCircleFilled({cx + std::cos(a) * radius, cy + std::sin(a) * radius}, radius * 0.14f,
                             IM_COL32(27, 94, 196, alpha));
  }
}

KeyboardKind kind_of(catalog::FieldType t) {
  switch (t) {
    case catalog::FieldType::number: return KeyboardKind::digits;
    case catalog::FieldType::date: return KeyboardKind::date;
    case catalog::FieldType::phone: return KeyboardKind::phone;
    case catalog::FieldType::id_number: return KeyboardKind::id_number;
    default: return KeyboardKind::pinyin;
  }
}

// Fields pre-filled from the card carry what the card says: shown, not edited.
bool from_card(const catalog::Field& f) {
  return f.prefill == "applicant.name" || f.prefill == "applicant.id_number" || f.prefill == "applicant.birth_date";
}

}  // namespace

void draw_place_card(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.app();
  r = draw_header(c, r, ui.t("place_card.title"), v.item ? v.item->name : "");
  draw_nav(c, r, Nav{});
  draw_notice(c, r);
  Rect in = r.inset(m.pad());
  // The animation: a card coming down onto the reader, again and again.
  ui.animate();
  const float t = std::fmod(static_cast<float>(ui.time()), 2.4f) / 2.4f;
  const float ease = t < 0.6f ? 1 - std::pow(1 - t / 0.6f, 3.0f) : 1.0f;
  const float reader_w = std::min(in.w * 0.6f, m.mm(150.0f));
  const float reader_h = reader_w * 0.22f;
  const float card_w = reader_w * 0.62f, card_h = card_w * 0.63f;
  const float cx = in.x + in.w / 2;
  const float base_y = in.y + in.h * (m.portrait ? 0.52f : 0.62f);
  const Rect reader{cx - reader_w / 2, base_y, reader_w, reader_h};
  ui.fill(reader, IM_COL32(60, 70, 90, 255), m.radius());
  ui.fill(reader.inset(reader_w * 0.15f, reader_h * 0.25f), IM_COL32(90, 200, 255, t > 0.6f ? 255 : 120), m.radius());
  const float top = in.y + in.h * 0.08f;
  const float y = top + (base_y - card_h * 0.7f - top) * ease;
  const Rect card{cx - card_w / 2, y, card_w, card_h};
  ui.fill(card, IM_COL32(230, 240, 255, 255), m.radius());
  ui.frame(card, color::kPrimary, 3.0f, m.radius());
  ui.fill({card.x + card_w * 0.08f, card.y + card_h * 0.2f, card_w * 0.25f, card_h * 0.55f}, IM_COL32(190, 205, 230, 255));
  for (int i = 0; i < 4; ++i)
    ui.fill({card.x + card_w * 0.4f, card.y + card_h * (0.2f + 0.15f * static_cast<float>(i)), card_w * 0.5f, card_h * 0.06f},
            IM_COL32(170, 185, 215, 255));
  Rect text = in;
  text.cut_top(base_y + reader_h - in.y + m.mm(10.0f));
  TextStyle ts;
  ts.font = ui.title();
  ts.align = Align::center;
  ui.text(text.cut_top(ui.title()->FontSize * 2.8f), ui.t("place_card.prompt"), ts);
  TextStyle hs;
  hs.align = Align::center;
  hs.color = ui.face().reader_present ? color::kMuted : color::kDanger;
  ui.text(text, ui.t(ui.face().reader_present ? "place_card.hint" : "place_card.reader_absent"), hs);
}

void draw_confirm_identity(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.app();
  bool go = false;
  r = draw_step(c, r, ui.t("confirm_identity.title"), ui.t("confirm_identity.subtitle"), "confirm.ok", &go);
  if (go) ui.emit(session::ConfirmIdentity{});
  if (!v.card) return;
  Rect in = r.inset(m.pad());
  const auto& card = *v.card;
  // Masked: others in the hall can see the screen. The rows point into the
  // card; only the masked forms are made here, and wiped below.
  std::string name = domain::mask_name(card.name.empty() ? card.name_en : card.name);
  std::string id_number = card.masked_id_number();
  struct Row { const char* key; std::string_view value; };
  const Row rows[] = {
      {"card.name", name},
      {"card.id_number", id_number},
      {"card.sex", card.sex},
      {"card.birth_date", card.birth_date},
      {"card.valid_until", card.valid_until},
  };
  const float row_h = m.target() * 1.05f;
  for (const auto& row : rows) {
    draw_field(c, in.cut_top(row_h), "", ui.t(row.key), row.value, false);
    in.cut_top(m.gap());
  }
  secure_wipe(name);
  secure_wipe(id_number);
  TextStyle ts;
  ts.color = color::kMuted;
  ui.text(in, ui.t("confirm_identity.note"), ts);
}

void draw_form(ScreenContext& c, Rect r, const Rect& full) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.app();
  Local& l = c.local;
  if (!v.item) return;
  bool go = false;
  r = draw_step(c, r, ui.t("form.title"), v.item->name, "form.next", &go);
  if (go) ui.emit(session::FormNext{});
  Rect in = r.inset(m.pad(), m.pad() * 0.6f);

  // The rows point into the view: drawing makes no copy of what the card
  // says or the resident typed. (Copies in this per-frame vector, short
  // ones inside its own buffer, were freed as they were when it grew.)
  std::string masked_id = domain::mask_id_number(v.applicant.id_number);
  struct Row {
    std::string id, key, label;
    std::string_view value;
    bool editable;
    KeyboardKind kind;
    const catalog::Field* field;
    float weight;
  };
  std::vector<Row> rows;
  rows.reserve(4 + v.item->form.size());
  rows.push_back({"form.applicant.name", "applicant.name", ui.t("form.applicant_name"), v.applicant.name, false,
                  KeyboardKind::pinyin, nullptr, 1});
  rows.push_back({"form.applicant.id_number", "applicant.id_number", ui.t("form.applicant_id_number"), masked_id, false,
                  KeyboardKind::id_number, nullptr, 1});
  rows.push_back({"form.applicant.phone", "applicant.phone", ui.t("form.applicant_phone") + " *", v.applicant.phone, true,
                  KeyboardKind::phone, nullptr, 1});
  rows.push_back({"form.applicant.address", "applicant.address", ui.t("form.applicant_address"), v.applicant.address,
                  true, KeyboardKind::pinyin, nullptr, 1.2f});
  for (const auto& f : v.item->form) {
    // The applicant's own name and number are above already.
    if (f.prefill == "applicant.name" || f.prefill == "applicant.id_number") continue;
    auto it = v.form.find(f.key);
    const std::string_view value = it == v.form.end() ? std::string_view{} : std::string_view{it->second};
    rows.push_back({"form.field." + f.key, f.key, f.label + (f.required ? " *" : ""), value, !from_card(f),
                    kind_of(f.type), &f, f.type == catalog::FieldType::multiline ? 1.6f : 1.0f});
  }
  const Rect pager = in.cut_bottom(m.target());
  in.cut_bottom(m.gap());
  const float unit = m.target() * 1.12f;
  // Pages by height.
  std::vector<int> starts{0};
  float used = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const float h = unit * rows[i].weight;
    if (used + h > in.h && used > 0) {
      starts.push_back(static_cast<int>(i));
      used = 0;
    }
    used += h + m.gap();
  }
  int& page = l.page("form");
  ui.pager("form.page", pager, static_cast<int>(starts.size()), 1, page);
  const int from = starts[static_cast<std::size_t>(page)];
  const int to = page + 1 < static_cast<int>(starts.size()) ? starts[static_cast<std::size_t>(page + 1)] : static_cast<int>(rows.size());
  for (int i = from; i < to; ++i) {
    auto& row = rows[static_cast<std::size_t>(i)];
    const Rect fr = in.cut_top(unit * row.weight);
    in.cut_top(m.gap());
    const std::string problem = problem_for(c, row.field ? "form." + row.key : row.key, row.value);
    const bool mask = row.field && row.field->type == catalog::FieldType::id_number;
    std::string masked = mask ? domain::mask_id_number(row.value) : std::string();
    if (draw_field(c, fr, row.id, row.label, mask ? std::string_view{masked} : row.value, row.editable, problem)) {
      if (row.field && row.field->type == catalog::FieldType::select) {
        l.chooser = "select:" + row.key;
      } else {
        l.edit_target = "form:" + row.key;
        l.edit_buffer.assign(row.value);
        l.kbd = {};
      }
      ui.changed();
    }
    secure_wipe(masked);
  }

  // Overlays: a chooser for select fields, the editor for the others.
  if (l.chooser.rfind("select:", 0) == 0) {
    const std::string key = l.chooser.substr(7);
    const catalog::Field* f = v.item->field(key);
    if (f) {
      auto cur = v.form.find(key);
      int sel = -1;
      for (std::size_t i = 0; i < f->options.size(); ++i)
        if (cur != v.form.end() && cur->second == f->options[i]) sel = static_cast<int>(i);
      const int pick = draw_chooser(c, full, f->label, f->options, sel);
      if (pick >= 0) ui.emit(session::EditField{key, f->options[static_cast<std::size_t>(pick)]});
      if (pick != -1) {
        l.chooser.clear();
        ui.changed();
      }
    }
  } else if (!l.edit_target.empty()) {
    std::string key = l.edit_target.rfind("form:", 0) == 0 ? l.edit_target.substr(5) : l.edit_target;
    std::string label;
    KeyboardKind kind = KeyboardKind::pinyin;
    int max_chars = 0;
    for (const auto& row : rows)
      if (row.key == key) {
        label = row.label;
        kind = row.kind;
        if (row.field && row.field->max_length > 0) max_chars = row.field->max_length;
      }
    if (key == "applicant.phone") max_chars = 11;
    if (kind == KeyboardKind::date) max_chars = 10;
    if (kind == KeyboardKind::id_number) max_chars = 18;
    if (draw_editor(c, full, label, kind, max_chars)) {
      ui.emit(session::EditField{key, l.edit_buffer});
      secure_wipe(l.edit_buffer);
      l.edit_target.clear();
      ui.changed();
    }
  }
  secure_wipe(masked_id);
}

void draw_materials(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.app();
  Local& l = c.local;
  if (!v.item) return;
  bool go = false;
  r = draw_step(c, r, ui.t("materials.title"), v.item->name, "materials.next", &go);
  if (go) ui.emit(session::MaterialsNext{});
  Rect in = r.inset(m.pad(), m.pad() * 0.6f);
  if (l.material.empty() && !v.item->materials.empty()) l.material = v.item->materials.front().id;

  // Live preview of the document camera.
  const float ph = m.portrait ? in.h * 0.36f : in.h;
  Rect preview = m.portrait ? in.cut_top(ph) : in.cut_left(in.w * 0.45f);
  if (m.portrait) in.cut_top(m.gap());
  else in.cut_left(m.gap());
  // The pages of the chosen material so far, newest last, under the picture.
  std::vector<const Thumbnail*> shown;
  if (c.thumbs)
    for (const auto& t : *c.thumbs)
      if (t.material_id == l.material && t.texture) shown.push_back(&t);
  if (!shown.empty()) {
    Rect strip = preview.cut_bottom(std::min(preview.h * 0.3f, m.mm(45.0f)));
    preview.cut_bottom(m.gap());
    ui.fill(strip, color::kSurface, m.radius());
    const float h = strip.h - m.mm(4.0f);
    float x = strip.x + m.mm(2.0f);
    // As many as fit, the newest kept in view.
    std::size_t from = shown.size();
    for (float used = 0; from > 0; --from) {
      const Thumbnail& t = *shown[from - 1];
      const float w = h * static_cast<float>(t.width) / static_cast<float>(std::max(1, t.height));
      if (used + w + m.mm(2.0f) > strip.w - m.mm(2.0f)) break;
      used += w + m.mm(2.0f);
    }
    for (std::size_t i = from; i < shown.size(); ++i) {
      const Thumbnail& t = *shown[i];
      const float w = h * static_cast<float>(t.width) / static_cast<float>(std::max(1, t.height));
      const float y = strip.y + m.mm(2.0f);
      ui.dl()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(t.texture)), {x, y}, {x + w, y + h});
      ui.frame({x, y, w, h}, color::kBorder, 1.0f);
      x += w + m.mm(2.0f);
    }
  }
  ui.fill(preview, IM_COL32(30, 36, 48, 255), m.radius());
  if (c.preview.texture && c.preview.live && !c.status.document_scanner) {
    const float aspect = static_cast<float>(c.preview.width) / static_cast<float>(std::max(1, c.preview.height));
    float w = preview.w - m.mm(4.0f), h = w / aspect;
    if (h > preview.h - m.mm(4.0f)) {
      h = preview.h - m.mm(4.0f);
      w = h * aspect;
    }
    const float x = preview.x + (preview.w - w) / 2, y = preview.y + (preview.h - h) / 2;
    ui.dl()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(c.preview.texture)), {x, y}, {x + w, y + h});
  } else {
    TextStyle ts;
    ts.color = IM_COL32(200, 210, 225, 255);
    ts.align = Align::center;
    ts.vcenter = true;
    const char* hint = c.status.document_scanner       ? "materials.place_in_scanner"
                       : c.status.camera_state == "absent" ? "materials.camera_absent"
                                                          : "materials.place_page";
    ui.text(preview.inset(m.mm(6.0f)), ui.t(hint), ts);
  }
  if (v.capturing) {
    ui.fill(preview, IM_COL32(0, 0, 0, 120), m.radius());
    spinner(ui, preview.x + preview.w / 2, preview.y + preview.h / 2, m.mm(12.0f));
  }

  // The materials, each with its page count and buttons.
  int total = 0;
  for (const auto& p : v.pages) total += p.pages;
  TextStyle cs;
  cs.color = color::kMuted;
  cs.size = ui.small_px();
  ui.text(in.cut_top(ui.small_px() * 1.4f), ui.f("materials.total", {{"n", std::to_string(total)}}), cs);
  const Rect pager = in.cut_bottom(m.target());
  in.cut_bottom(m.gap());
  const float row_h = m.target() * 2.1f + m.gap();
  const int per_page = std::max(1, static_cast<int>((in.h + m.gap()) / (row_h + m.gap())));
  const auto& mats = v.item->materials;
  const int first = ui.pager("materials.page", pager, static_cast<int>(mats.size()), per_page, l.page("materials"));
  for (int i = first; i < std::min<int>(first + per_page, static_cast<int>(mats.size())); ++i) {
    const auto& mat = mats[static_cast<std::size_t>(i)];
    const int pages = v.pages_of(mat.id);
    Rect row = in.cut_top(row_h);
    in.cut_top(m.gap());
    const bool selected = l.material == mat.id;
    ui.fill(row, selected ? color::kSelected : color::kSurface, m.radius());
    ui.frame(row, selected ? color::kPrimary : color::kBorder, selected ? 3.0f : 2.0f, m.radius());
    Rect x = row.inset(m.mm(3.5f), m.mm(2.0f));
    Rect buttons = x.cut_bottom(m.target());
    TextStyle ns;
    ui.text(x.cut_top(x.h * 0.6f), mat.name, ns);
    TextStyle ss;
    ss.size = ui.small_px();
    ss.color = pages > 0 ? color::kOk : (mat.required ? color::kDanger : color::kMuted);
    ss.wrap = false;
    std::string status = ui.t(mat.required ? "guide.required" : "guide.optional") + " · " +
                         (pages > 0 ? ui.f("materials.pages", {{"n", std::to_string(pages)}}) : ui.t("materials.none_yet"));
    ui.text(x, status, ss);
    auto bc = columns(buttons, pages > 0 ? 2 : 1, m.gap());
    if (ui.button("materials.capture." + mat.id, ui.t(pages > 0 ? "materials.capture_more" : "materials.capture"), bc[0],
                  Style::primary)) {
      l.material = mat.id;
      ui.emit(session::CapturePage{mat.id});
    }
    if (pages > 0 && ui.button("materials.retake." + mat.id, ui.t("materials.retake"), bc[1])) {
      l.material = mat.id;
      ui.emit(session::RemoveLastPage{mat.id});
      ui.emit(session::CapturePage{mat.id});
    }
  }
}

void draw_review(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  const auto& v = ui.app();
  Local& l = c.local;
  if (!v.item) return;
  bool go = false;
  r = draw_step(c, r, ui.t("review.title"), v.item->name, "review.submit", &go);
  if (go) ui.emit(session::SubmitNow{});
  Rect in = r.inset(m.pad(), m.pad() * 0.6f);
  // The rows point into the view; what is made here (masked values, page
  // counts) is kept in `made`, reserved so that it never moves, and wiped.
  std::vector<std::string> made;
  made.reserve(2 + v.item->form.size() + v.item->materials.size());
  auto keep = [&made](std::string s) -> std::string_view { return made.emplace_back(std::move(s)); };
  std::vector<std::pair<std::string, std::string_view>> rows;
  rows.reserve(3 + v.item->form.size() + v.item->materials.size());
  rows.emplace_back(ui.t("form.applicant_name"), v.applicant.name);
  rows.emplace_back(ui.t("form.applicant_id_number"), keep(domain::mask_id_number(v.applicant.id_number)));
  rows.emplace_back(ui.t("form.applicant_phone"), keep(domain::mask_phone(v.applicant.phone)));
  for (const auto& f : v.item->form) {
    if (f.prefill == "applicant.name" || f.prefill == "applicant.id_number") continue;
    auto it = v.form.find(f.key);
    const std::string_view value = it == v.form.end() ? std::string_view{} : std::string_view{it->second};
    // Masked as the applicant's own number and phone are: the review
    // screen is seen by whoever stands behind the resident.
    if (f.type == catalog::FieldType::id_number) rows.emplace_back(f.label, keep(domain::mask_id_number(value)));
    else if (f.type == catalog::FieldType::phone) rows.emplace_back(f.label, keep(domain::mask_phone(value)));
    else rows.emplace_back(f.label, value);
  }
  for (const auto& mat : v.item->materials) {
    const int n = v.pages_of(mat.id);
    if (n > 0) rows.emplace_back(mat.name, keep(ui.f("materials.pages", {{"n", std::to_string(n)}})));
  }
  // Problems first, if the last check found any.
  if (!v.issues.empty()) {
    std::string all;
    for (const auto& i : v.issues) all += (all.empty() ? "" : "\n") + issue_text(c, i);
    const float h = ui.measure(all, ui.body(), ui.small_px(), in.w - m.mm(8.0f)) + m.mm(6.0f);
    Rect box = in.cut_top(std::min(h, in.h * 0.3f));
    in.cut_top(m.gap());
    ui.fill(box, color::kDangerBg, m.radius());
    TextStyle ts;
    ts.color = color::kDanger;
    ts.size = ui.small_px();
    ui.text(box.inset(m.mm(4.0f), m.mm(3.0f)), all, ts);
  }
  const Rect pager = in.cut_bottom(m.target());
  in.cut_bottom(m.gap());
  const float row_h = m.target() * 1.05f;
  const int per_page = std::max(1, static_cast<int>((in.h + m.gap() * 0.5f) / (row_h + m.gap() * 0.5f)));
  const int first = ui.pager("review.page", pager, static_cast<int>(rows.size()), per_page, l.page("review"));
  for (int i = first; i < std::min<int>(first + per_page, static_cast<int>(rows.size())); ++i) {
    draw_field(c, in.cut_top(row_h), "", rows[static_cast<std::size_t>(i)].first, rows[static_cast<std::size_t>(i)].second, false);
    in.cut_top(m.gap() * 0.5f);
  }
  for (auto& s : made) secure_wipe(s);
}

void draw_submitting(ScreenContext& c, Rect r) {
  Ui& ui = c.ui;
  const auto& m = ui.m();
  Rect in = r.inset(m.pad() * 2);
  spinner(ui, in.x + in.w / 2, in.y + in.h * 0.35f, m.mm(16.0f));
  in.cut_top(in.h * 0.35f + m.mm(30.0f));
  TextStyle ts;
  ts.font = ui.title();
  ts.align = Align::center;
  ui.text(in.cut_top(ui.title()->FontSize * 2.8f), ui.t("submitting.title"), ts);
  TextStyle bs;
  bs.align = Align::center;
  bs.color = color::kMuted;
  ui.text(in, ui.t("submitting.body"), bs);
}

}  // namespace bianmin::ui
