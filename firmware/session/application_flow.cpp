#include "session/application_flow.h"

#include "base/bytes.h"

namespace bianmin::session {

int ApplicationState::pages_of(const std::string& material_id) const {
  int n = 0;
  for (const auto& p : pages)
    if (p.material_id == material_id) n += p.pages;
  return n;
}

void ApplicationState::wipe_applicant() {
  if (card) card->wipe();
  card.reset();
  applicant.wipe();
  applicant = {};
  for (auto& [k, v] : form) secure_wipe(v);
  form.clear();
  for (auto& p : pages) secure_wipe(p.bytes);
  pages.clear();
  issues.clear();
  capturing = false;
}

// ---- identity ----

void ApplicationFlow::take_card(const domain::IdentityCard& card) {
  app_.wipe_applicant();
  app_.card = card;
  app_.applicant = card.to_applicant();
  if (!card.id_number_valid) notice_ = "card.number_invalid";
  effects_.push_back(DoAudit{"id_card_read", card.masked_id_number()});
}

void ApplicationFlow::take_manual(domain::Applicant applicant) {
  app_.wipe_applicant();
  app_.applicant = std::move(applicant);
  app_.applicant.verified_by = "manual";
}

void ApplicationFlow::prefill() {
  if (app_.item) domain::apply_prefill(*app_.item, app_.applicant, app_.form);
  app_.issues.clear();
}

// ---- form ----

void ApplicationFlow::edit(const EditField& f) {
  auto& a = app_.applicant;
  if (f.key == "applicant.phone") a.phone = f.value;
  else if (f.key == "applicant.address") a.address = f.value;
  else if (a.verified_by == "manual" && f.key.rfind("applicant.", 0) == 0) {
    const std::string k = f.key.substr(10);
    if (k == "name") a.name = f.value;
    else if (k == "id_number") a.id_number = f.value;
  } else if (const auto* field = app_.item ? app_.item->field(f.key) : nullptr) {
    // A field filled from the card shows what the card says.
    const bool from_card = a.verified_by == "id_card_reader" &&
                           (field->prefill == "applicant.name" || field->prefill == "applicant.id_number" ||
                            field->prefill == "applicant.birth_date" || field->prefill == "applicant.sex");
    if (from_card) return;
    std::string& slot = app_.form[f.key];
    secure_wipe(slot);
    slot = f.value;
  }
}

domain::ApplicationDraft ApplicationFlow::draft() const {
  domain::ApplicationDraft d;
  d.item = app_.item;
  d.channel = channel_;
  if (channel_ == domain::Channel::window) d.clerk_id = clerk_id_;
  d.applicant = app_.applicant;
  d.form = app_.form;
  for (const auto& p : app_.pages) d.material_ids.push_back(p.material_id);
  return d;
}

bool ApplicationFlow::check_form() {
  app_.issues.clear();
  for (auto& issue : domain::validate(draft()))
    if (issue.field.rfind("materials.", 0) != 0) app_.issues.push_back(std::move(issue));
  return app_.issues.empty();
}

// ---- materials ----

bool ApplicationFlow::start_capture(const std::string& material_id) {
  if (app_.capturing || !app_.item || !app_.item->material(material_id)) return false;
  app_.capturing = true;
  effects_.push_back(DoCapture{material_id});
  return true;
}

bool ApplicationFlow::page_captured(const PageCaptured& p) {
  if (!app_.capturing) return false;  // a late page after the application was dropped
  // A document feeder sends its pages one by one; the capture ends with the last.
  if (!p.more) app_.capturing = false;
  app_.pages.push_back({p.material_id, p.bytes, p.mime, p.pages});
  return true;
}

void ApplicationFlow::capture_failed(const CaptureFailed& f) {
  app_.capturing = false;
  // What a person can act on: an empty feeder, a jam, an open cover.
  notice_ = f.message == "scanner_no_docs"      ? "capture.no_docs"
            : f.message == "scanner_jammed"     ? "capture.jammed"
            : f.message == "scanner_cover_open" ? "capture.cover_open"
            : f.message.rfind("scanner_", 0) == 0 ? "capture.scanner_failed"
                                                  : "camera.failed";
}

void ApplicationFlow::remove_last_page(const std::string& material_id) {
  for (auto it = app_.pages.rbegin(); it != app_.pages.rend(); ++it) {
    if (it->material_id != material_id) continue;
    secure_wipe(it->bytes);
    app_.pages.erase(std::next(it).base());
    return;
  }
}

bool ApplicationFlow::check_materials() {
  app_.issues.clear();
  for (auto& issue : domain::validate(draft()))
    if (issue.field.rfind("materials.", 0) == 0) app_.issues.push_back(std::move(issue));
  return app_.issues.empty();
}

// ---- submit and print ----

bool ApplicationFlow::submit() {
  app_.issues = domain::validate(draft());
  if (!app_.issues.empty()) return false;
  DoSubmit submit;
  submit.request.draft = draft();
  submit.request.materials = app_.pages;
  effects_.push_back(std::move(submit));
  return true;
}

void ApplicationFlow::submitted(const Submitted& s) {
  app_.submitted = s;
  app_.print = PrintState::printing;
  // Stored durably: the working copies of the pages are no longer needed.
  for (auto& p : app_.pages) secure_wipe(p.bytes);
  app_.pages.clear();
  effects_.push_back(DoWakeSync{});
  effects_.push_back(DoPrintReceipt{s.client_id});
}

void ApplicationFlow::submit_failed(const SubmitFailed& f) {
  notice_ = f.code == "disk_full" ? "submit.disk_full" : "submit.failed";
}

bool ApplicationFlow::printed() {
  if (app_.print != PrintState::printing) return false;
  app_.print = PrintState::printed;
  return true;
}

void ApplicationFlow::print_failed(const PrintFailed& f) {
  if (app_.print != PrintState::printing) return;
  // The application is safe; the slip stays pending for a reprint.
  app_.print = PrintState::failed;
  app_.printer_state = f.printer_state;
  notice_ = "receipt.print_failed";
}

bool ApplicationFlow::reprint() {
  if (app_.print != PrintState::failed || !app_.submitted) return false;
  app_.print = PrintState::printing;
  effects_.push_back(DoPrintReceipt{app_.submitted->client_id});
  return true;
}

}  // namespace bianmin::session
