// The kiosk's start-up: its data directory (or the simulated terminal's),
// the role it plays, the window and GL, the fonts. See kiosk_app.h.
#include "kiosk_app.h"

#include <chrono>
#include <thread>
#include <utility>

#include "base/child_process.h"
#include "base/fs.h"
#include "base/log.h"
#include "catalog/catalog_store.h"
#include "counter_role.h"
#include "domain/ticket.h"
#include "base/heap_policy.h"
#include "gl.h"
#include "renderer_warmup.h"

namespace bianmin::ui {

Status Kiosk::init_data() {
  if (opt_.sim && runner_.globals.data_dir.empty()) {
    char tmpl[] = "/tmp/bianmin-kiosk-XXXXXX";
    if (!::mkdtemp(tmpl)) return make_error("io_error", "cannot create a temporary data directory");
    runner_.globals.data_dir = tmpl;
    throwaway_ = true;
  }
  BIANMIN_ASSIGN(config::Config * cfg, runner_.config());
  data_dir_ = cfg->data_dir();
  BIANMIN_TRY(fs::make_dirs(data_dir_, 0700));
  BIANMIN_ASSIGN(store::Store * st, runner_.store());
  catalog::CatalogStore cs(st->db());
  if (auto active = cs.active_version(); opt_.sim && active && !*active) {
    // A simulated terminal starts with the sample catalogue.
    auto text = fs::read_file(opt_.assets_dir + "/catalog/ganzhou-620702.json");
    if (!text) return text.error();
    BIANMIN_TRY(cs.import(*text, "sample"));
  }
  // The catalogue itself comes with the glyph atlas (StartupLoader).
  catalog_ = std::make_shared<const catalog::Catalog>();
  if (opt_.sim) {
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return make_error("io_error", "cannot find this executable");
    SimStack::Options so;
    so.bianmin = std::string(self, static_cast<std::size_t>(n));
    so.data_dir = data_dir_;
    so.assets_dir = opt_.assets_dir;
    so.card = opt_.card;
    so.enrolled = !opt_.sim_unenrolled;
    BIANMIN_ASSIGN(sim_, SimStack::start(so));
    if (opt_.idcard.empty()) opt_.idcard = sim_->idcard_device();
    if (opt_.printer.empty()) opt_.printer = sim_->printer();
    if (opt_.scanner.empty()) opt_.scanner = sim_->scanner();
    if (opt_.camera.empty()) opt_.camera = sim_->camera();
  } else {
    // The devices fitted to this terminal, as the technician configured them.
    for (auto [given, kind] : {std::pair{&opt_.idcard, "idcard"}, std::pair{&opt_.printer, "printer"},
                               std::pair{&opt_.camera, "camera"}, std::pair{&opt_.scanner, "scanner"}})
      if (given->empty()) *given = cfg->str(std::string("devices.") + kind);
  }
  auto strings = Strings::load(opt_.assets_dir + "/i18n");
  if (!strings) return strings.error();
  strings_ = std::move(*strings);
  status_.hall_name = runner_.enrolled("terminal.hall_name");
  status_.terminal_code = runner_.terminal_code();
  ShellOptions so;
  so.config = *cfg;
  so.store = store::StoreOptions::from(*cfg);
  so.terminal_code = status_.terminal_code;
  so.receipt_query_url = runner_.enrolled("receipt.query_url");
  so.idcard = opt_.idcard;
  so.printer = opt_.printer;
  so.camera = opt_.camera;
  so.scanner = opt_.scanner;
  so.document_scanner = opt_.document_scanner.empty() ? cfg->str("devices.document_scanner") : opt_.document_scanner;
  status_.document_scanner = !so.document_scanner.empty();
  if (auto v = cs.active_version(); v && *v) so.catalog_version = **v;
  ServiceShellOptions sv;
  BIANMIN_ASSIGN(sv.self, self_executable());
  sv.globals = runner_.global_args();
  // Our own commands use the devices this kiosk uses (given on its command
  // line or by the simulated terminal), not only the configured ones.
  for (const auto& [key, spec] : {std::pair{"devices.idcard", so.idcard}, std::pair{"devices.printer", so.printer},
                                  std::pair{"devices.camera", so.camera}, std::pair{"devices.scanner", so.scanner}})
    if (!spec.empty()) sv.globals.insert(sv.globals.end(), {"--set", std::string(key) + "=" + spec});
  sv.store = so.store;
  sv.export_dir = cfg->str("service.export_dir");
  sv.terminal_code = status_.terminal_code;
  sv.current.current_idcard = so.idcard;
  sv.current.current_printer = so.printer;
  sv.current.current_camera = so.camera;
  sv.current.current_scanner = so.scanner;
  sv.current.current_profile = "printer.width_dots=" + std::to_string(cfg->integer("printer.width_dots"));
  sv.current.current_volume = "voice.volume=" + std::to_string(cfg->integer("voice.volume"));
  shell_ = std::make_unique<Shell>(std::move(so), inbox_);
  BIANMIN_TRY(init_role(*cfg));
  loader_ = std::make_unique<StartupLoader>(data_dir_, *strings_, Metrics::font_sizes(role_->elder()));
  service_ = std::make_unique<ServiceMode>(std::move(sv), *shell_, inbox_);
  // The input method deploys on its own thread (seconds on a first start).
  ime_future_ = ime_promise_.get_future();
  ime_thread_ = std::thread([this, dir = data_dir_ + "/ime"] {
    auto ime = InputMethod::start(dir);
    if (!ime) {
      log::error("ui", "input method unavailable", {{"error", ime.error().message}});
      ime_promise_.set_value(nullptr);
    } else {
      ime_promise_.set_value(std::move(*ime));
    }
    inbox_.push(ImeReady{});
  });
  return {};
}

// The role this terminal plays, from --role: the residents' kiosk, or a
// window clerk's counter with its own worker and the hall's queue lines.
Status Kiosk::init_role(const config::Config& cfg) {
  BIANMIN_ASSIGN(auto voice, session::VoicePolicy::parse(cfg.str("voice.mode"), cfg.str("voice.quiet_hours")));
  speaker_ = std::make_unique<Speaker>(
      *strings_, SpeakerOptions{static_cast<int>(cfg.integer("voice.volume")), static_cast<int>(cfg.integer("voice.rate"))});
  RoleHost host{*shell_, [this] { wipe_all(); }, speaker_.get(), voice};
  // No lines configured: no queue tickets in this hall (no 取号 on home).
  std::vector<domain::QueueLine> lines;
  if (!cfg.str("queue.lines").empty() || opt_.role == "counter") {
    BIANMIN_ASSIGN(lines, domain::parse_queue_lines(cfg.str("queue.lines")));
  }
  if (opt_.role != "counter") {
    session::SessionConfig sc;
    sc.lines = lines;
    sc.idle_timeout = std::chrono::seconds(opt_.idle_timeout_s);
    sc.countdown = std::chrono::seconds(opt_.countdown_s);
    role_ = std::make_unique<ResidentRole>(std::move(host), catalog_.get(), sc);
    return {};
  }
  session::ClerkConfig cc;
  cc.idle_timeout = std::chrono::seconds(cfg.integer("counter.idle_lock_s"));
  cc.countdown = std::chrono::seconds(opt_.countdown_s);
  cc.window_no = cfg.str("counter.window_no");
  cc.lines.clear();
  const std::string mine = cfg.str("counter.lines");
  for (const auto& l : lines)
    if (mine.empty() || mine.find(l.letter) != std::string::npos) cc.lines.push_back(l.letter);
  if (cc.lines.empty()) return make_error("config_invalid", "counter.lines names no line of queue.lines");
  desk_ = std::make_unique<CounterDesk>(cfg, cc.lines, inbox_);
  role_ = std::make_unique<CounterRole>(std::move(host), catalog_.get(), std::move(cc), *desk_);
  return {};
}

Status Kiosk::init_window() {
  DisplayOptions o;
  o.landscape = opt_.landscape.value_or(opt_.role == "counter");
  o.window = opt_.window;
  o.fullscreen = opt_.fullscreen;
  o.cursor = opt_.cursor;
  o.gl = opt_.gl;
  o.keyboard = opt_.role == "counter";
  BIANMIN_ASSIGN(display_, open_display(o));
  window_ = display_.window;
  w_ = display_.width;
  h_ = display_.height;
  // On the device the kiosk holds the screen (KMSDRM): `diagnose`, from
  // service mode or a console, reads what the kiosk found instead.
  record_display(display_.facts());
  return {};
}

// Under software GL, building the shaders touches 46 MB of the compiler's
// code (libLLVM). Built while the loader works, they added to the loader's
// own peak (the catalogue's parse, the atlas and the font pages): start-up's
// VmHWM reached 181-186 MB under load. So the renderer warms up once the
// loader's garbage is gone, and the compiler's pages go right after; the
// two side by side (--keep-compiler-pages) gave the first frame ~0.1 s sooner.
Status Kiosk::init_fonts() {
  const bool lean = !opt_.keep_compiler_pages;
  if (!lean) warm_up_renderer(w_, h_);  // while the loader works
  auto loaded = loader_->take();
  loader_.reset();
  if (!loaded) return loaded.error();
  catalog_ = std::move(loaded->catalog);
  role_->set_catalog(catalog_.get());
  fonts_ = std::move(loaded->fonts);
  BIANMIN_TRY(fonts_->install_atlas(std::move(loaded->atlas)));
  fonts_->release_font_pages();  // the heap is trimmed after the first frame
  if (lean) {
    release_free_heap_pages();
    warm_up_renderer(w_, h_);
    gl::release_compiler_pages();
  }
  atlas_ = std::make_unique<AtlasKeeper>(*fonts_, inbox_, role_->elder());
  ui_ = std::make_unique<Ui>(*fonts_, *strings_, touch_);
  return {};
}

}  // namespace bianmin::ui
