// Chinese text input: a pinyin input method on librime (Debian librime-dev)
// with the luna_pinyin dictionary (rime-data-luna-pinyin), simplified
// output. The on-screen keyboard sends letters here; the candidate bar
// shows preedit() and candidates().
//
// Privacy: the schema is patched so that librime keeps no user dictionary
// (nothing typed is learnt or written to disk), and reset() — called when
// a session ends — destroys the librime session with its composition and
// commit history and starts a fresh one.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace bianmin::ui {

class InputMethod {
 public:
  // Prepares `user_dir` and deploys the schema (a few seconds on the first
  // start, cached afterwards). Blocks: call it on a worker. One per process.
  static Result<std::unique_ptr<InputMethod>> start(const std::string& user_dir);
  ~InputMethod();
  InputMethod(const InputMethod&) = delete;
  InputMethod& operator=(const InputMethod&) = delete;

  void type(char letter);  // a–z
  void backspace();        // inside the composition
  bool composing() const { return !preedit_.empty(); }
  const std::string& preedit() const { return preedit_; }
  const std::vector<std::string>& candidates() const { return candidates_; }
  bool has_next_page() const { return has_next_; }
  bool has_prev_page() const { return page_ > 0; }
  void next_page();
  void prev_page();
  // Commits candidate `i` of this page; returns what was committed (may be
  // a part of the composition: the rest stays composing).
  std::string pick(std::size_t i);
  // Drops the composition.
  void clear();
  // The session ended: a new librime session, nothing of the old one left.
  void reset();

 private:
  InputMethod() = default;
  void refresh();
  std::string take_commit();
  uintptr_t session_ = 0;
  std::string preedit_;
  std::vector<std::string> candidates_;
  int page_ = 0;
  bool has_next_ = false;
};

}  // namespace bianmin::ui
