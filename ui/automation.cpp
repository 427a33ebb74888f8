#include "automation.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <thread>

#include "base/bytes.h"
#include "base/fs.h"
#include "base/log.h"
#include "base/time.h"

namespace bianmin::ui {
namespace {

using Clock = std::chrono::steady_clock;

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// "tap home.apply 5" → ("home.apply", 5 s)
std::pair<std::string, double> arg_and_timeout(const std::string& arg, double def) {
  const auto sp = arg.rfind(' ');
  if (sp != std::string::npos) {
    try {
      std::size_t used = 0;
      const double t = std::stod(arg.substr(sp + 1), &used);
      if (used == arg.size() - sp - 1) return {trim(arg.substr(0, sp)), t};
    } catch (...) {
    }
  }
  return {arg, def};
}

std::string key_for(char c) {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return std::string("kbd.") + c;
  if (c == '-') return "kbd.dash";
  if (c == ' ') return "kbd.space";
  return {};
}

}  // namespace

Result<Automation> Automation::load(const std::string& path, const std::string& screenshot_dir,
                                    const std::vector<std::pair<std::string, std::string>>& placeholders) {
  auto text = fs::read_file(path);
  if (!text) return text.error();
  Automation a;
  a.dir_ = screenshot_dir.empty() ? "." : screenshot_dir;
  std::istringstream in(*text);
  std::string raw;
  int n = 0;
  auto words = placeholders;
  words.emplace_back("{today}", time::local_date_compact(time::Clock::now()));
  while (std::getline(in, raw)) {
    ++n;
    std::string line = trim(raw);
    for (const auto& [word, value] : words)
      for (auto p = line.find(word); p != std::string::npos; p = line.find(word, p + value.size()))
        line.replace(p, word.size(), value);
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.find(' ');
    Line l{n, line.substr(0, sp), sp == std::string::npos ? "" : trim(line.substr(sp + 1))};
    static const char* kVerbs[] = {"wait", "tap", "type", "screenshot", "expect-text", "expect-no-text", "idcard",
                                   "printer", "scanner", "network", "seek", "wait-delivered", "sleep", "mark", "await", "close-window", "keys", "key",
                                   "hold", "wait-text", "quit"};
    bool known = false;
    for (const char* v : kVerbs) known = known || l.verb == v;
    if (!known) return make_error("script_invalid", path + ":" + std::to_string(n) + ": unknown command " + l.verb);
    a.lines_.push_back(std::move(l));
  }
  if (!a.dir_.empty()) BIANMIN_TRY(fs::make_dirs(a.dir_, 0755));
  return a;
}

Automation::Action Automation::fail(const std::string& why) {
  const Line& l = lines_[pc_];
  std::fprintf(stderr, "automation: line %d (%s %s): %s\n", l.number, l.verb.c_str(), l.arg.c_str(), why.c_str());
  log::error("ui", "automation failed", {{"line", l.number}, {"why", why}});
  Action a;
  char name[32];
  std::snprintf(name, sizeof name, "/%02d-failed.png", ++shot_);
  a.screenshot = dir_ + name;
  a.quit = true;
  a.exit_code = 3;
  pc_ = lines_.size();
  return a;
}

Automation::Action Automation::step(const Env& env) {
  Action a;
  for (const auto& s : env.passed)
    if (visited_.empty() || visited_.back() != s) visited_.push_back(s);
  while (pc_ < lines_.size()) {
    const Line& l = lines_[pc_];
    const auto now = Clock::now();
    if (!step_started_) {
      step_started_ = true;
      started_ = now;
    }
    // Let the frames after a tap happen (activation, then the new screen).
    if (env.frames < wait_frames_until_) {
      a.redraw = true;
      return a;
    }
    // A script sees the screen as a resident finally does: with the atlas
    // for the current sizes (its arrival wakes the loop).
    if (env.settling) return a;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    // A script stands in for a resident's fingers and eyes: what a step
    // typed or looked for is forgotten once it is done, as the kiosk
    // forgets the session (the privacy test searches memory for it).
    auto next = [&] {
      secure_wipe(lines_[pc_].arg);
      ++pc_;
      step_started_ = false;
      visited_.clear();
    };
    if (l.verb == "wait") {
      auto [screen, timeout] = arg_and_timeout(l.arg, 15);
      // Service mode's screens while it is open, else the resident's.
      const std::string shown = env.service_screen != "closed" ? env.service_screen : env.screen;
      // A screen the role passed through since the step began was shown,
      // even if no frame caught it (the printer was quicker than the atlas).
      const bool passed = env.service_screen == "closed" && std::find(visited_.begin(), visited_.end(), screen) != visited_.end();
      if (shown == screen || passed) {
        next();
        a.redraw = true;
        wait_frames_until_ = env.frames + 1;
        continue;
      }
      if (elapsed > timeout)
        return fail("screen is " + shown + ", not " + screen);
      return a;
    }
    if (l.verb == "tap" || (l.verb == "type")) {
      std::string id;
      double timeout = 10;
      if (l.verb == "tap") {
        std::tie(id, timeout) = arg_and_timeout(l.arg, 10);
      } else {
        if (typing_.empty() && !step_started_) typing_ = l.arg;
        if (typing_.empty()) typing_ = l.arg;
        id = key_for(typing_.front());
        if (id.empty()) return fail(std::string("cannot type '") + typing_.front() + "'");
      }
      const auto r = env.touch.find(id);
      if (!r) {
        if (elapsed > timeout) return fail("element " + id + " is not on the screen");
        a.redraw = true;
        return a;
      }
      a.tap = true;
      a.x = r->x + r->w / 2;
      a.y = r->y + r->h / 2;
      wait_frames_until_ = env.frames + 2;
      if (l.verb == "type") {
        typing_.erase(0, 1);
        if (typing_.empty()) {
          secure_wipe(typing_);
          next();
        } else {
          started_ = now;
        }
      } else {
        next();
      }
      return a;
    }
    if (l.verb == "seek") {
      // seek ID PAGER: page forward (PAGER.next) until ID is on the screen.
      const auto sp = l.arg.find(' ');
      const std::string id = l.arg.substr(0, sp), pager = sp == std::string::npos ? "" : l.arg.substr(sp + 1) + ".next";
      if (env.touch.find(id)) {
        next();
        continue;
      }
      const auto r = env.touch.find(pager);
      if (!r || elapsed > 10) return fail("element " + id + " not found on any page");
      a.tap = true;
      a.x = r->x + r->w / 2;
      a.y = r->y + r->h / 2;
      wait_frames_until_ = env.frames + 2;
      return a;
    }
    if (l.verb == "screenshot") {
      char name[160];
      std::snprintf(name, sizeof name, "/%02d-%s.png", ++shot_, l.arg.c_str());
      a.screenshot = dir_ + name;
      next();
      wait_frames_until_ = env.frames + 1;
      return a;
    }
    if (l.verb == "wait-text") {
      // wait-text TEXT [SECONDS]: until a drawn text contains TEXT (a
      // worker's answer: a check, an enrolment, a device test).
      const auto [text, timeout] = arg_and_timeout(l.arg, 20);
      const std::string& wanted = text;  // a structured binding cannot be captured before C++20
      const bool found = std::any_of(env.texts.begin(), env.texts.end(),
                                     [&](const std::string& t) { return t.find(wanted) != std::string::npos; });
      if (found) {
        next();
        continue;
      }
      if (elapsed > timeout) return fail("no text \"" + text + "\" on the screen");
      a.redraw = true;
      return a;
    }
    if (l.verb == "expect-text" || l.verb == "expect-no-text") {
      bool found = false;
      for (const auto& t : env.texts) found = found || t.find(l.arg) != std::string::npos;
      if (found != (l.verb == "expect-text")) {
        if (elapsed > 10) return fail(found ? "the text is on the screen" : "the text is not on the screen");
        a.redraw = true;
        return a;
      }
      next();
      continue;
    }
    if (l.verb == "idcard") {
      auto r = env.idcard ? env.idcard(l.arg) : Result<std::string>(make_error("no_sim", "no simulated reader"));
      if (!r) return fail(r.error().message);
      next();
      continue;
    }
    if (l.verb == "printer") {
      auto r = env.printer ? env.printer(l.arg) : Status(make_error("no_sim", "no simulated printer"));
      if (!r) return fail(r.error().message);
      next();
      continue;
    }
    if (l.verb == "scanner") {
      auto r = env.scanner ? env.scanner(l.arg) : Status(make_error("no_sim", "no simulated scanner"));
      if (!r) return fail(r.error().message);
      next();
      continue;
    }
    if (l.verb == "network") {
      auto r = env.network ? env.network(l.arg) : Status(make_error("no_sim", "no simulated network"));
      if (!r) return fail(r.error().message);
      next();
      continue;
    }
    if (l.verb == "wait-delivered") {
      const double timeout = l.arg.empty() ? 60 : std::stod(l.arg);
      if (env.pending == 0 && env.delivered > 0) {
        next();
        continue;
      }
      if (elapsed > timeout)
        return fail(std::to_string(env.pending) + " application(s) still queued, " + std::to_string(env.delivered) +
                    " delivered");
      return a;
    }
    if (l.verb == "sleep") {
      if (elapsed * 1000 < std::stod(l.arg.empty() ? "0" : l.arg)) return a;
      next();
      continue;
    }
    if (l.verb == "mark") {
      FILE* f = std::fopen(l.arg.c_str(), "w");
      if (!f) return fail("cannot create " + l.arg);
      std::fclose(f);
      next();
      continue;
    }
    if (l.verb == "await") {
      auto [file, timeout] = arg_and_timeout(l.arg, 60);
      if (::access(file.c_str(), F_OK) == 0) {
        next();
        continue;
      }
      if (elapsed > timeout) return fail("no " + file);
      return a;
    }
    if (l.verb == "hold") {
      // hold top-left|top-right MS: a finger held still near that corner
      // (5 mm in), then lifted — the service gesture is made of two.
      const auto sp = l.arg.find(' ');
      const std::string corner = l.arg.substr(0, sp);
      const double ms = sp == std::string::npos ? 0 : std::stod(l.arg.substr(sp + 1));
      const float in = 20;
      if (!holding_) {
        if (corner != "top-left" && corner != "top-right") return fail("hold top-left|top-right MS");
        holding_ = true;
        hold_timed_ = false;
        hold_frames_ = env.frames;
        a.press = true;
        a.redraw = true;
        a.x = corner == "top-left" ? in : env.width - in;
        a.y = in;
        return a;
      }
      // The kiosk takes the finger in its next turn, after drawing a frame
      // that may be slow under load: the hold is timed from the frame after
      // that, so the kiosk never sees a shorter hold than the script asked.
      if (!hold_timed_) {
        a.redraw = true;
        if (env.frames < hold_frames_ + 2) return a;
        hold_timed_ = true;
        hold_started_ = now;
      }
      if (std::chrono::duration<double, std::milli>(now - hold_started_).count() < ms) return a;
      holding_ = false;
      next();
      a.release = true;
      a.x = corner == "top-left" ? in : env.width - in;
      a.y = in;
      return a;
    }
    if (l.verb == "keys" || l.verb == "key") {
      if (l.verb == "key" && l.arg != "enter" && l.arg != "backspace" && l.arg != "escape")
        return fail("no such key: " + l.arg);
      (l.verb == "keys" ? a.keys : a.key) = l.arg;
      next();
      a.redraw = true;
      wait_frames_until_ = env.frames + 2;
      return a;
    }
    if (l.verb == "close-window") {
      next();
      a.close_window = true;
      a.redraw = true;
      return a;
    }
    if (l.verb == "quit") {
      next();
      a.quit = true;
      return a;
    }
    next();
  }
  return a;
}

}  // namespace bianmin::ui
