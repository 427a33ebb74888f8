// Voice guidance out loud: a prompt (session/narration.h) or a passage of
// the catalogue (an item guide's section, 朗读) turned into words in the
// session's language, synthesised with eSpeak NG on the speaker's own
// thread and played through SDL2 audio — never on the render thread.
//
// A new utterance interrupts the one playing, and one asked for while
// another is being synthesised replaces it: when a resident taps fast,
// they hear the latest step, not a backlog. silence() stops at once (the
// session ended: nothing of it goes on being said). The audio device is
// opened when there is something to say and closed after a few quiet
// seconds, so an idle kiosk spends nothing on audio.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "i18n.h"
#include "session/narration.h"

namespace bianmin::ui {

struct SpeakerOptions {
  int volume = 80;  // % of full scale
  int rate = 175;   // words per minute
};

class Speaker {
 public:
  Speaker(const Strings& strings, SpeakerOptions options);
  ~Speaker();
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  // Never blocks.
  void say(const session::Prompt& prompt, const std::string& lang);
  void read_aloud(std::string text, const std::string& lang);
  void silence();

  // The words of a prompt in `lang` (placeholders filled).
  std::string words(const session::Prompt& prompt, const std::string& lang) const;

 private:
  struct Utterance {
    std::string id;  // the prompt's id, or "read_aloud"
    std::string text, lang;
    uint64_t generation = 0;
  };
  void post(Utterance u);
  void run();
  bool current(uint64_t generation);
  // Plays `samples` (S16 mono at `rate`); false when no audio device opens.
  bool play(const std::vector<int16_t>& samples, int rate, uint64_t generation);
  void close_device();

  const Strings& strings_;
  const SpeakerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Utterance> next_;
  uint64_t generation_ = 0;
  bool quit_ = false;
  uint32_t device_ = 0;  // SDL_AudioDeviceID; used on the speaker's thread only
  int device_rate_ = 0;
  bool warned_ = false;
  bool audio_started_ = false, audio_ok_ = false;
  std::thread thread_;
};

}  // namespace bianmin::ui
