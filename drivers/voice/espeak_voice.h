// Speech synthesis with eSpeak NG (libespeak-ng, Debian): its Mandarin
// voice `cmn` for zh-CN and `en` for English, rendered to samples (never
// played by eSpeak itself: the kiosk plays through SDL, the CLI writes a
// WAV or plays). eSpeak NG keeps one global state per process, so there is
// one synthesiser per process and calls are serialised; a call for a
// sentence takes tens of milliseconds, so callers are workers.
#pragma once

#include <mutex>
#include <string>

#include "base/result.h"
#include "voice/pcm.h"

namespace bianmin::drivers::voice {

class EspeakVoice {
 public:
  // The process's synthesiser, initialised on first use. "voice_unavailable"
  // when eSpeak NG or its data cannot be loaded.
  static Result<EspeakVoice*> instance();

  // `text` in `lang` ("zh-CN" or "en"), spoken at `rate` words per minute
  // (eSpeak's 80–450; 175 is its normal pace). "voice_failed" on error.
  Result<Pcm> synthesize(const std::string& text, const std::string& lang, int rate = 175);

  int sample_rate() const { return rate_; }

 private:
  EspeakVoice() = default;
  std::mutex mu_;
  int rate_ = 22050;
  std::string voice_;  // the voice set last
};

}  // namespace bianmin::drivers::voice
