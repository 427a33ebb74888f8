// The kiosk's render loop: SDL2 window and GL context, ImGui as the
// renderer, the session state machine, the shell's workers, the automation
// hook. It sleeps in SDL_WaitEventTimeout until something happens (a touch,
// a worker's result, the next second for the clock and the idle timer),
// draws only when something changed, and holds 60 fps only while
// something on the screen moves. It feeds the systemd watchdog itself, so a
// hung loop is restarted.
#include "kiosk.h"
#include "kiosk_app.h"

#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "atlas_keeper.h"
#include "automation.h"
#include "frame_stats.h"
#include "kiosk_automation.h"
#include "base/fs.h"
#include "base/heap_policy.h"
#include "base/heap_wipe.h"
#include "base/log.h"
#include "base/time.h"
#include "diagnose_ui.h"
#include "display.h"
#include "fonts.h"
#include "gl.h"
#include "glyph_sets.h"
#include "i18n.h"
#include "ime.h"
#include "physical_keys.h"
#include "png_writer.h"
#include "screens/screens.h"
#include "screens/service_screens.h"
#include "service_mode.h"
#include "counter_desk.h"
#include "resident_role.h"
#include "shell.h"
#include "speaker.h"
#include "assets_location.h"
#include "startup_loader.h"
#include "termination.h"
#include "thumbnails.h"
#include "touch.h"
#include "widgets.h"
#include "workers.h"

namespace bianmin::ui {
namespace {

using Clock = std::chrono::steady_clock;

std::string clock_text() { return time::format_rfc3339(time::Clock::now()).substr(11, 5); }

}  // namespace

void Kiosk::set_catalog(std::shared_ptr<const catalog::Catalog> c) {
  catalog_ = std::move(c);
  role_->set_catalog(catalog_.get());
  std::set<uint32_t> body, titles;
  strings_->collect_codepoints(titles);
  catalogue_chars(*catalog_, body, titles);
  fonts_->set_characters(std::move(body), std::move(titles));
  atlas_->characters_changed();  // meanwhile new characters come on demand
  log::info("ui", "catalogue replaced", {{"items", catalog_->items.size()}});
}

void Kiosk::wipe_all() {
  local_.wipe();
  if (ime_) ime_->reset();
  fonts_->forget_session_glyphs();
  ui_->wipe_texts();
  shell_->wipe();
  if (preview_.texture) {
    gl::delete_texture(preview_.texture);
    preview_ = {};
  }
  thumbs_.clear();
  // The session's pages, frames and receipt are gone: so are their pages,
  // and the shader compiler's, should the session have built a variant.
  release_free_heap_pages();
  if (!opt_.keep_compiler_pages) gl::release_compiler_pages();
}

// A session holds the update gate open from its first touch to its end;
// when a reboot has shut the gate, the screen says "updating" and takes no
// touch until the machine goes down.
void Kiosk::sync_session_gate() {
  if (throwaway_) return;  // a developer's throwaway data directory: nothing reboots it
  if (updating_) {
    // The reboot normally follows within seconds; should it fail, the gate
    // opens again and so does the screen.
    if (update::hold_open(data_dir_)) {
      updating_ = false;
      dirty_ = true;
      log::warn("ui", "the update's reboot did not happen; serving again");
    }
    return;
  }
  // A resident's or clerk's session, or a technician in service mode (an
  // update installed from the stick waits until they leave).
  const bool serving = !role_->idle() || service_->open();
  if (serving && !session_gate_.held()) {
    auto hold = update::hold_open(data_dir_);
    if (hold) {
      session_gate_ = std::move(*hold);
    } else if (hold.error().code == "rebooting") {
      updating_ = true;
      dirty_ = true;
      log::info("ui", "an update is restarting the terminal: no new session");
    } else {
      log::warn("ui", "update gate unusable", {{"error", hold.error().message}});
    }
  } else if (!serving && session_gate_.held()) {
    session_gate_.release();
  }
}

void Kiosk::feed(session::Input in) {
  role_->feed(std::move(in));
  dirty_ = true;
}

void Kiosk::on_loop_event(LoopEvent& e) {
  if (auto* in = std::get_if<session::Input>(&e)) {
    // The card reader serves whoever has the screen.
    if (auto* card = std::get_if<session::IdCard>(in); card && service_->open()) {
      service_->feed(*card);
      if (card->event.card) card->event.card->wipe();
    } else {
      feed(std::move(*in));
    }
  } else if (auto* cin = std::get_if<session::ClerkInput>(&e)) {
    role_->feed(std::move(*cin));
  } else if (auto* sin = std::get_if<session::ServiceInput>(&e)) {
    if (auto* reset = std::get_if<session::FactoryResetDone>(sin); reset && reset->ok) restart_after_service_ = true;
    service_->feed(std::move(*sin));
    if (!service_->open() && restart_after_service_) quit_ = true;  // systemd starts a fresh kiosk
  } else if (auto* code = std::get_if<RawCode>(&e)) {
    if (service_->open()) service_->code(std::move(code->text));
    else role_->code(std::move(code->text));
  } else if (auto* sc = std::get_if<StatusChange>(&e)) {
    // The poller reports every few seconds; redraw only for a change.
    const DeviceStatus before = status_;
    sc->apply(status_);
    if (status_ == before) return;
    if (shell_) shell_->record_health(status_);
  } else if (auto* cc = std::get_if<CatalogChange>(&e)) {
    if (!catalog_ || cc->catalog.get() != catalog_.get()) set_catalog(cc->catalog);
  } else if (auto* pf = std::get_if<PreviewFrame>(&e); pf && (role_->wants_preview() || service_->open())) {
    service_->preview(*pf);
    if (!preview_.texture || preview_.width != pf->width || preview_.height != pf->height) {
      gl::delete_texture(preview_.texture);
      preview_.texture = gl::create_rgb_texture(pf->width, pf->height, pf->rgb.data());
      preview_.width = pf->width;
      preview_.height = pf->height;
    } else {
      gl::update_rgb_texture(preview_.texture, pf->width, pf->height, pf->rgb.data());
    }
    preview_.live = true;
  } else if (auto* ar = std::get_if<AtlasReady>(&e)) {
    if (!atlas_->on_ready(*ar)) return;
  } else if (std::holds_alternative<ImeReady>(e)) {
    ime_ = ime_future_.get();
    status_.ime_ready = ime_ != nullptr;
    release_free_heap_pages();  // what deploying the dictionaries left behind
  }
  dirty_ = true;
}

void Kiosk::on_sdl(const SDL_Event& ev) {
  switch (ev.type) {
    case SDL_QUIT:
      // A window manager's close (Alt+F4) or the last window going: a
      // resident must not end the kiosk. Only a developer's window closes.
      if (opt_.window) quit_ = true;
      else log::warn("ui", "close request ignored: the kiosk ends only by its service (SIGTERM)");
      break;
    case SDL_FINGERDOWN:
      finger_down(static_cast<int>(ev.tfinger.fingerId), ev.tfinger.x * static_cast<float>(w_), ev.tfinger.y * static_cast<float>(h_));
      break;
    case SDL_FINGERMOTION:
      service_->touch_move(static_cast<int>(ev.tfinger.fingerId), ev.tfinger.x * static_cast<float>(w_), ev.tfinger.y * static_cast<float>(h_));
      break;
    case SDL_FINGERUP:
      touch_.up(ev.tfinger.x * static_cast<float>(w_), ev.tfinger.y * static_cast<float>(h_));
      service_->touch_up(static_cast<int>(ev.tfinger.fingerId));
      dirty_ = true;
      break;
    case SDL_MOUSEBUTTONDOWN:
      // A developer's mouse; touches arrive as finger events already.
      if (ev.button.which != SDL_TOUCH_MOUSEID && ev.button.button == SDL_BUTTON_LEFT)
        finger_down(0, static_cast<float>(ev.button.x), static_cast<float>(ev.button.y));
      break;
    case SDL_MOUSEBUTTONUP:
      if (ev.button.which != SDL_TOUCH_MOUSEID && ev.button.button == SDL_BUTTON_LEFT) {
        touch_.up(static_cast<float>(ev.button.x), static_cast<float>(ev.button.y));
        service_->touch_up(0);
        dirty_ = true;
      }
      break;
    case SDL_TEXTINPUT:
      for (auto& ids : ids_for_text(ev.text.text)) ui_->queue_key(std::move(ids));
      dirty_ = true;
      if (!service_->open()) role_->touched();
      break;
    case SDL_KEYDOWN: {
      const SDL_Keycode k = ev.key.keysym.sym;
      const NamedKey key = k == SDLK_BACKSPACE                       ? NamedKey::backspace
                           : (k == SDLK_RETURN || k == SDLK_KP_ENTER) ? NamedKey::enter
                           : k == SDLK_ESCAPE                         ? NamedKey::escape
                                                                      : NamedKey::other;
      if (key != NamedKey::other) {
        ui_->queue_key(ids_for_key(key));
        dirty_ = true;
        if (!service_->open()) role_->touched();
      }
      break;
    }
    case SDL_WINDOWEVENT:
      SDL_GL_GetDrawableSize(window_, &w_, &h_);
      dirty_ = true;
      break;
    default: break;
  }
}

// A finger (or a developer's mouse) comes down: the touch goes to whoever
// has the screen, and to the service gesture while no resident is served.
void Kiosk::finger_down(int finger, float x, float y) {
  if (updating_) return;
  touch_.down(x, y);
  service_->touch_down(finger, x, y, role_->idle());
  if (!service_->open()) {
    role_->touched();
    dirty_ = true;
  }
}

void Kiosk::frame() {
  const double cpu0 = thread_cpu_ms();
  const bool service = service_->open();
  const bool camera_test = service && service_->view().screen == session::ServiceScreen::device_test &&
                           service_->view().device == session::DeviceKind::camera;
  const bool materials = !service && role_->wants_preview();
  shell_->want_preview(materials || camera_test);
  if (!materials && !camera_test) preview_.live = false;
  atlas_->want(role_->elder());
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(w_), static_cast<float>(h_));
  const auto now = Clock::now();
  io.DeltaTime = last_frame_ == Clock::time_point{} ? 1.0f / 60
                                                    : std::max(1e-4f, std::chrono::duration<float>(now - last_frame_).count());
  last_frame_ = now;
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  Metrics m;
  m.px_per_mm = opt_.px_per_mm;
  m.elder = role_->elder();
  m.portrait = h_ >= w_;
  m.width = static_cast<float>(w_);
  m.height = static_cast<float>(h_);
  touch_.begin_frame();
  role_->begin_frame(*ui_, ImGui::GetBackgroundDrawList(), m, automation_.has_value());
  if (materials) thumbs_.sync(ui_->app());
  else thumbs_.clear();
  clock_ = clock_text();
  const Rect full{0, 0, static_cast<float>(w_), static_cast<float>(h_)};
  if (service) {
    ScreenContext ctx{*ui_, service_->local(), ime_.get(), status_, catalog_.get(), preview_, clock_};
    draw_service(ctx, service_->view(), full);
    if (updating_) draw_updating(ctx, full);
  } else {
    ScreenContext ctx{*ui_, local_, ime_.get(), status_, catalog_.get(), preview_, clock_};
    ctx.thumbs = &thumbs_.all();
    role_->draw(ctx, full);
    if (updating_) draw_updating(ctx, full);
  }
  touch_.end_frame();
  ImGui::Render();
  const double built = thread_cpu_ms() - cpu0;
  gl::viewport_and_clear(w_, h_);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (!pending_shot_.empty()) {
    auto px = gl::read_pixels(w_, h_);
    if (auto st = write_png_rgb(pending_shot_, w_, h_, px); !st)
      log::error("ui", "screenshot failed", {{"error", st.error().message}});
    else
      log::info("ui", "screenshot", {{"file", pending_shot_}});
    pending_shot_.clear();
  }
  SDL_GL_SwapWindow(window_);
  fonts_->end_frame();
  ++frames_;
  if (stats_.first_frame_ms < 0) {
    stats_.first_frame_ms = ms_since_exec();
    stats_.mark_startup("first_frame");
    log::info("ui", "first frame", {{"ms_since_start", static_cast<int>(stats_.first_frame_ms)}});
    sd_notify(0, "READY=1");
    // Start-up's garbage (the renderer compiling its shaders, the store's
    // and the catalogue's loading) is free now: 20-25 MB of pages; so is
    // the compiler's code that built the shaders (46 MB under llvmpipe).
    release_free_heap_pages();
    if (!opt_.keep_compiler_pages) gl::release_compiler_pages();
  }
  role_->take_intents(*ui_);
  for (auto& in : ui_->take_service_intents()) service_->feed(std::move(in));
  if (ui_->take_changed()) dirty_ = true;
  stats_.add(built, thread_cpu_ms() - cpu0);
}

void Kiosk::loop() {
  uint64_t watchdog_usec = 0;
  const bool watchdog = sd_watchdog_enabled(0, &watchdog_usec) > 0;
  auto last_ping = Clock::now();
  const auto started = Clock::now();
  auto next_tick = Clock::now();
  feed(session::Tick{Clock::now()});
  while (!quit_) {
    const auto now = Clock::now();
    // How long nothing needs doing.
    auto until = next_tick - now;
    if (ui_->animating()) until = std::min<Clock::duration>(until, std::chrono::milliseconds(16));
    if (automation_) until = std::min<Clock::duration>(until, automation_->poll_interval());
    if (auto d = service_->next_deadline()) until = std::min<Clock::duration>(until, std::max<Clock::duration>(*d - now, {}));
    if (watchdog) until = std::min<Clock::duration>(until, std::chrono::microseconds(watchdog_usec / 2));
    const int timeout_ms = static_cast<int>(std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(until).count()));
    SDL_Event ev;
    bool got = dirty_ ? SDL_PollEvent(&ev) : SDL_WaitEventTimeout(&ev, timeout_ms);
    // The render thread's step from here to the frame: events, inbox (an
    // atlas installed), the frame. No frame can show sooner than that.
    const double step0 = thread_cpu_ms();
    while (got) {
      on_sdl(ev);
      got = SDL_PollEvent(&ev);
    }
    std::vector<std::string> passed;  // screens the role went through, for a script
    for (auto& e : inbox_.drain()) {
      on_loop_event(e);
      if (automation_) passed.push_back(role_->screen_key());
    }
    sync_session_gate();
    service_->set_screen(static_cast<float>(w_), static_cast<float>(h_), opt_.px_per_mm);
    if (service_->poll(Clock::now())) dirty_ = true;
    if (termination_.requested()) quit_ = true;
    if (Clock::now() >= next_tick) {
      const bool role_changed = role_->tick(Clock::now());
      const int service_countdown = service_->view().countdown;
      const auto service_screen = service_->view().screen;
      service_->feed(session::Tick{Clock::now()});
      // A tick redraws only when the countdown, the screen or the clock moved.
      dirty_ = dirty_ || role_changed || service_countdown != service_->view().countdown || service_screen != service_->view().screen ||
               clock_ != clock_text();
      // Ticks do not count as changes by themselves.
      next_tick = Clock::now() + std::chrono::seconds(1);
    }
    if (automation_ && !automation_->done()) {
      const ScriptDevices dev = script_devices(sim_.get());
      Automation::Env env{role_->screen_key(), touch_, ui_->texts(), frames_, dev.idcard, dev.printer, dev.scanner,
                          dev.network, status_.pending, status_.delivered, atlas_->settling(),
                          session::service_screen_key(service_->view().screen), static_cast<float>(w_), std::move(passed)};
      auto a = automation_->step(env);
      push_script_touches(a, w_, h_);
      if (!a.screenshot.empty()) pending_shot_ = a.screenshot;
      if (a.redraw || !a.screenshot.empty()) dirty_ = true;
      if (a.quit) {
        quit_ = true;
        exit_code_ = a.exit_code;
        if (!pending_shot_.empty()) frame();
      }
    }
    if (ui_->keys_pending()) dirty_ = true;  // one typed key per frame
    if (!quit_ && (dirty_ || ui_->animating() || !pending_shot_.empty())) {
      dirty_ = false;
      frame();
      stats_.add_step(thread_cpu_ms() - step0);
    }
    if (watchdog && Clock::now() - last_ping > std::chrono::microseconds(watchdog_usec / 2)) {
      sd_notify(0, "WATCHDOG=1");
      last_ping = Clock::now();
    }
    if (opt_.exit_after_s > 0 && std::chrono::duration<double>(Clock::now() - started).count() > opt_.exit_after_s)
      quit_ = true;
  }
}

void Kiosk::record_display(const std::string& facts) {
  auto s = runner_.store();
  if (s) (void)record_display_facts(**s, facts);
}

void Kiosk::write_stats() {
  if (opt_.stats_file.empty()) return;
  const auto& f = fonts_->stats();
  std::ofstream(opt_.stats_file) << stats_.to_json(
      frames_, ", \"atlas_width\": " + std::to_string(f.atlas_width) + ", \"atlas_height\": " +
                   std::to_string(f.atlas_height) + ", \"atlas_glyphs\": " + std::to_string(f.base_glyphs) +
                   ", \"atlas_build_ms\": " + std::to_string(f.build_ms));
}

int Kiosk::run() {
  if (opt_.assets_dir.empty()) opt_.assets_dir = default_assets_dir();
  stats_.mark_startup("main");
  // ImGui allocates with malloc, outside operator new (its draw lists, the
  // state it keeps by id): its blocks are overwritten when freed, too. Set
  // before any thread uses ImGui's allocator (the start-up loader's atlas).
  ImGui::SetAllocatorFunctions([](std::size_t n, void*) { return std::malloc(n); },
                               [](void* p, void*) { free_wiped(p); });
  if (auto st = init_data(); !st) return cli::fail(st.error());
  stats_.mark_startup("data");
  if (!opt_.script.empty()) {
    auto a = Automation::load(opt_.script, opt_.screenshot_dir, {{"{enrol_qr}", sim_ ? sim_->enrol_qr() : ""}});
    if (!a) return cli::Runner::fail(a.error(), cli::kUsage);
    automation_ = std::move(*a);
  }
  // Wakes the loop (an empty inbox event) so that it sees the request.
  termination_.start([this](int) { inbox_.push(StatusChange{[](DeviceStatus&) {}}); });
  if (auto st = init_window(); !st) {
    shell_.reset();
    return cli::Runner::fail(st.error(), 4);
  }
  stats_.mark_startup("window");
  if (auto st = init_fonts(); !st) return cli::Runner::fail(st.error(), 4);
  stats_.mark_startup("fonts");
  shell_->start();
  stats_.mark_startup("devices");
  loop();
  write_stats();
  if (desk_) desk_->stop();
  shell_->stop();
  wipe_all();
  if (ime_thread_.joinable()) ime_thread_.join();
  if (!ime_ && ime_future_.valid()) ime_ = ime_future_.get();
  ime_.reset();
  ui_.reset();
  atlas_.reset();
  fonts_.reset();
  close_display(display_);
  sim_.reset();
  if (throwaway_) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
  return exit_code_;
}

int run_kiosk(cli::Runner& runner, KioskOptions options) {
  // Glibc's M_PERTURB (set for every bianmin process) fills each chunk the
  // renderer's C code allocates and frees: under llvmpipe the mean frame
  // went from 1.3 to 2.1 ms and the worst from 8 to 70-119 ms. No C library
  // of the kiosk handles a resident's name, phone or address (the store
  // gets them sealed, a progress query sends a receipt number, SDL makes no
  // key or text events here; C++'s and ImGui's blocks are wiped on free),
  // so it is off.
  perturb_freed_malloc_chunks(false);
  if (!return_large_blocks_to_system()) log::warn("ui", "glibc refused the heap settings");
  Kiosk k(runner, std::move(options));
  return k.run();
}

}  // namespace bianmin::ui
