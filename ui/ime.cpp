#include "ime.h"

#include <rime_api.h>

#include <atomic>

#include "base/bytes.h"
#include "base/fs.h"
#include "base/log.h"

namespace bianmin::ui {
namespace {

constexpr const char* kSchema = "luna_pinyin_simp";
constexpr int kKeyBackspace = 0xff08, kKeyPageUp = 0xff55, kKeyPageDown = 0xff56, kKeyEscape = 0xff1b;

// Only what the kiosk needs, and no learning: enable_user_dict off means
// librime never records what a resident typed.
constexpr const char* kDefaultPatch =
    "# Written by the kiosk at start; see ui/ime.cpp.\n"
    "patch:\n"
    "  schema_list:\n"
    "    - schema: luna_pinyin_simp\n"
    "  menu/page_size: 8\n";
constexpr const char* kSchemaPatch =
    "# Written by the kiosk at start; see ui/ime.cpp.\n"
    "patch:\n"
    "  translator/enable_user_dict: false\n"
    "  translator/enable_sentence: true\n"
    "  switches/@0/reset: 0\n";

RimeApi* api() { return rime_get_api(); }

}  // namespace

Result<std::unique_ptr<InputMethod>> InputMethod::start(const std::string& user_dir) {
  static std::atomic<bool> started{false};
  if (started.exchange(true)) return make_error("ime_busy", "the input method is already started in this process");
  BIANMIN_TRY(fs::make_dirs(user_dir, 0700));
  BIANMIN_TRY(fs::write_durably(user_dir, user_dir, "default.custom.yaml", kDefaultPatch, 0600));
  BIANMIN_TRY(fs::write_durably(user_dir, user_dir, std::string(kSchema) + ".custom.yaml", kSchemaPatch, 0600));
  // librime keeps these paths as pointers.
  static std::string user;
  user = user_dir;
  RIME_STRUCT(RimeTraits, traits);
  traits.shared_data_dir = "/usr/share/rime-data";
  traits.user_data_dir = user.c_str();
  traits.distribution_name = "bianmin";
  traits.distribution_code_name = "bianmin";
  traits.distribution_version = "1";
  traits.app_name = "rime.bianmin";
  traits.min_log_level = 3;  // FATAL only; and no log files
  traits.log_dir = "";
  api()->setup(&traits);
  api()->initialize(&traits);
  if (api()->start_maintenance(False)) api()->join_maintenance_thread();
  std::unique_ptr<InputMethod> ime(new InputMethod());
  ime->session_ = api()->create_session();
  if (!ime->session_ || !api()->select_schema(ime->session_, kSchema))
    return make_error("ime_unavailable", "librime has no schema luna_pinyin_simp (install rime-data-luna-pinyin)");
  // Warm up: the first query loads the dictionary.
  ime->type('a');
  ime->clear();
  log::info("ui", "input method ready", {{"schema", kSchema}});
  return ime;
}

InputMethod::~InputMethod() {
  if (session_) api()->destroy_session(session_);
}

void InputMethod::refresh() {
  for (auto& c : candidates_) secure_wipe(c);
  candidates_.clear();
  secure_wipe(preedit_);
  RIME_STRUCT(RimeContext, ctx);
  if (!api()->get_context(session_, &ctx)) return;
  if (ctx.composition.preedit) preedit_ = ctx.composition.preedit;
  for (int i = 0; i < ctx.menu.num_candidates; ++i) candidates_.emplace_back(ctx.menu.candidates[i].text);
  page_ = ctx.menu.page_no;
  has_next_ = !ctx.menu.is_last_page && ctx.menu.num_candidates > 0;
  api()->free_context(&ctx);
}

void InputMethod::type(char letter) {
  if (letter < 'a' || letter > 'z') return;
  api()->process_key(session_, letter, 0);
  refresh();
}

void InputMethod::backspace() {
  api()->process_key(session_, kKeyBackspace, 0);
  refresh();
}

void InputMethod::next_page() {
  api()->process_key(session_, kKeyPageDown, 0);
  refresh();
}

void InputMethod::prev_page() {
  api()->process_key(session_, kKeyPageUp, 0);
  refresh();
}

std::string InputMethod::take_commit() {
  std::string out;
  RIME_STRUCT(RimeCommit, commit);
  if (api()->get_commit(session_, &commit)) {
    if (commit.text) out = commit.text;
    api()->free_commit(&commit);
  }
  return out;
}

std::string InputMethod::pick(std::size_t i) {
  api()->select_candidate_on_current_page(session_, i);
  std::string out = take_commit();
  refresh();
  return out;
}

void InputMethod::clear() {
  api()->clear_composition(session_);
  refresh();
}

void InputMethod::reset() {
  api()->process_key(session_, kKeyEscape, 0);
  api()->clear_composition(session_);
  std::string leftover = take_commit();
  secure_wipe(leftover);
  api()->destroy_session(session_);
  session_ = api()->create_session();
  api()->select_schema(session_, kSchema);
  refresh();
}

}  // namespace bianmin::ui
