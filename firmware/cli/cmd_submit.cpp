// bianmin submit --item CODE --applicant FILE.json --form FILE.json --material ID=PATH…
#include <cstdio>

#include "base/bytes.h"
#include "base/fs.h"
#include "catalog/catalog_store.h"
#include "cli/runner.h"
#include "outbox/delivery.h"
#include "outbox/submit.h"

namespace bianmin::cli {
namespace {

using json = nlohmann::json;

std::string mime_for(const std::string& path) {
  auto ends = [&](const char* suffix) {
    const std::string s(suffix);
    if (path.size() < s.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(path[path.size() - s.size() + i])) != s[i]) return false;
    return true;
  };
  if (ends(".jpg") || ends(".jpeg")) return "image/jpeg";
  if (ends(".png")) return "image/png";
  if (ends(".pdf")) return "application/pdf";
  if (ends(".tif") || ends(".tiff")) return "image/tiff";
  return "application/octet-stream";
}

struct SubmitArgs {
  std::string item, applicant, form, channel = "kiosk", clerk;
  std::vector<std::string> materials;
  bool json_out = false;
};

int print_issues(const std::vector<domain::ValidationIssue>& issues, bool as_json) {
  if (as_json) {
    json list = json::array();
    for (const auto& i : issues) list.push_back({{"field", i.field}, {"rule", i.rule}, {"zh", i.zh}, {"en", i.en}});
    print_json({{"error", {{"code", "validation_failed"}, {"issues", list}}}});
  }
  std::fprintf(stderr, "bianmin: the application was not accepted:\n");
  for (const auto& i : issues)
    std::fprintf(stderr, "  %s [%s] %s / %s\n", i.field.c_str(), i.rule.c_str(), i.zh.c_str(), i.en.c_str());
  return kRejected;
}

int run_submit(Runner& r, SubmitArgs& a) {
  auto s = r.store();
  if (!s) return fail(s.error());
  auto active = catalog::CatalogStore((*s)->db()).load_active();
  if (!active) return fail(active.error());

  outbox::SubmitRequest req;
  req.draft.item = active->catalog.find(a.item);
  if (!req.draft.item) return Runner::fail(make_error("not_found", "no item " + a.item + " in the catalogue"), kNotFound);
  req.draft.channel = a.channel == "window" ? domain::Channel::window : domain::Channel::kiosk;
  req.draft.clerk_id = a.clerk;

  auto applicant_text = fs::read_file(a.applicant, 1 << 20);
  if (!applicant_text) return Runner::fail(applicant_text.error(), kRejected);
  auto applicant = domain::parse_applicant_json(*applicant_text);
  secure_wipe(*applicant_text);
  if (!applicant) return Runner::fail(applicant.error(), kRejected);
  req.draft.applicant = std::move(applicant).value();
  if (!a.form.empty()) {
    auto form_text = fs::read_file(a.form, 1 << 20);
    if (!form_text) return Runner::fail(form_text.error(), kRejected);
    auto form = domain::parse_form_json(*form_text);
    secure_wipe(*form_text);
    if (!form) return Runner::fail(form.error(), kRejected);
    req.draft.form = std::move(form).value();
  }
  for (const auto& m : a.materials) {
    const auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
      return Runner::fail(make_error("usage", "--material takes ID=PATH, got " + m), kUsage);
    outbox::MaterialFile f;
    f.material_id = m.substr(0, eq);
    const std::string path = m.substr(eq + 1);
    auto bytes = fs::read_file(path, 64u << 20);
    if (!bytes) return Runner::fail(bytes.error(), kRejected);
    f.bytes = std::move(bytes).value();
    f.mime = mime_for(path);
    req.materials.push_back(std::move(f));
  }

  // Validate first for a structured answer; submit() validates again.
  domain::apply_prefill(*req.draft.item, req.draft.applicant, req.draft.form);
  for (const auto& m : req.materials) req.draft.material_ids.push_back(m.material_id);
  if (auto issues = domain::validate(req.draft); !issues.empty()) return print_issues(issues, a.json_out);

  outbox::SubmitService service(**s, r.terminal_code());
  auto done = service.submit(req);
  req.draft.applicant.wipe();
  if (!done) return fail(done.error());
  outbox::wake_sync_daemon((*s)->options().data_dir);  // deliver now, not at the next rescan
  if (a.json_out) {
    print_json({{"client_id", done->client_id}, {"receipt_no", done->receipt_no},
                {"submitted_at", done->submitted_at}, {"state", "queued"}});
  } else {
    std::printf("已受理，受理回执号 %s\nqueued: client_id %s, receipt %s\n", done->receipt_no.c_str(),
                done->client_id.c_str(), done->receipt_no.c_str());
  }
  return kOk;
}

}  // namespace

void add_submit_command(CLI::App& app, Runner& r) {
  auto* cmd = app.add_subcommand("submit", "Validate an application, store it durably and queue it for the central");
  auto a = std::make_shared<SubmitArgs>();
  cmd->add_option("--item", a->item, "Item code from the catalogue")->required();
  cmd->add_option("--applicant", a->applicant, "Applicant JSON file (spec: applications.applicant)")->required();
  cmd->add_option("--form", a->form, "Form values JSON file {\"key\": \"value\", …}");
  cmd->add_option("--material", a->materials, "Scanned material: ID=PATH (repeat for pages and materials)");
  cmd->add_option("--channel", a->channel, "kiosk or window")->check(CLI::IsMember({"kiosk", "window"}));
  cmd->add_option("--clerk", a->clerk, "Clerk id (channel window)");
  cmd->add_flag("--json", a->json_out, "Print JSON");
  on_run(cmd, r, [&r, a] { return run_submit(r, *a); });
}

}  // namespace bianmin::cli
