#include "voice/espeak_voice.h"

#include <espeak-ng/speak_lib.h>

#include <cstring>

namespace bianmin::drivers::voice {
namespace {

// eSpeak hands samples to this callback during espeak_Synth (synchronous
// mode): appended to the Pcm passed as user data.
int collect(short* wav, int count, espeak_EVENT* events) {
  if (!events || !events->user_data) return 0;
  auto* pcm = static_cast<Pcm*>(events->user_data);
  if (wav && count > 0) pcm->samples.insert(pcm->samples.end(), wav, wav + count);
  return 0;  // go on
}

const char* voice_for(const std::string& lang) { return lang == "en" ? "en" : "cmn"; }

}  // namespace

Result<EspeakVoice*> EspeakVoice::instance() {
  static std::once_flag once;
  static EspeakVoice* voice = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    // DONT_EXIT: a missing data directory is an error value, not exit().
    const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
      failure = "eSpeak NG could not start (is espeak-ng-data installed?)";
      return;
    }
    espeak_SetSynthCallback(collect);
    voice = new EspeakVoice();  // process lifetime: eSpeak's state is too
    voice->rate_ = rate;
  });
  if (!voice) return make_error("voice_unavailable", failure);
  return voice;
}

Result<Pcm> EspeakVoice::synthesize(const std::string& text, const std::string& lang, int rate) {
  std::lock_guard<std::mutex> lock(mu_);
  const char* name = voice_for(lang);
  if (voice_ != name) {
    if (espeak_SetVoiceByName(name) != EE_OK) return make_error("voice_unavailable", std::string("eSpeak NG has no voice ") + name);
    voice_ = name;
  }
  espeak_SetParameter(espeakRATE, rate, 0);
  Pcm pcm;
  pcm.rate = rate_;
  const espeak_ERROR rc =
      espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &pcm);
  if (rc != EE_OK) return make_error("voice_failed", "eSpeak NG could not speak the text (error " + std::to_string(rc) + ")");
  if (espeak_Synchronize() != EE_OK) return make_error("voice_failed", "eSpeak NG did not finish");
  return pcm;
}

}  // namespace bianmin::drivers::voice
