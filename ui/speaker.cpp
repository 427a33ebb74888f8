#include "speaker.h"

#include <SDL.h>

#include <chrono>

#include "base/log.h"
#include "voice/espeak_voice.h"

namespace bianmin::ui {
namespace {

// The device closes after this long without speech.
constexpr auto kCloseAfter = std::chrono::seconds(5);
// How often playback checks for an interruption.
constexpr auto kPlaybackPoll = std::chrono::milliseconds(20);
// What the device holds after SDL's queue is empty (1024 samples ≈ 46 ms).
constexpr auto kTail = std::chrono::milliseconds(100);

}  // namespace

Speaker::Speaker(const Strings& strings, SpeakerOptions options) : strings_(strings), options_(options) {
  thread_ = std::thread([this] { run(); });
}

Speaker::~Speaker() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
    ++generation_;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string Speaker::words(const session::Prompt& p, const std::string& lang) const {
  return strings_.format(lang, "voice." + p.id, p.args);
}

void Speaker::say(const session::Prompt& prompt, const std::string& lang) {
  std::string text = words(prompt, lang);
  // The words of a prompt carry nothing personal (narration.h).
  log::info("voice", "prompt", {{"prompt", prompt.id}, {"lang", lang}, {"text", text}});
  post({prompt.id, std::move(text), lang, 0});
}

void Speaker::read_aloud(std::string text, const std::string& lang) {
  log::info("voice", "prompt", {{"prompt", "read_aloud"}, {"lang", lang}, {"chars", static_cast<int64_t>(text.size())}});
  post({"read_aloud", std::move(text), lang, 0});
}

void Speaker::post(Utterance u) {
  {
    std::lock_guard lock(mu_);
    u.generation = ++generation_;
    next_ = std::move(u);
  }
  cv_.notify_all();
}

void Speaker::silence() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
    next_.reset();
  }
  cv_.notify_all();
}

bool Speaker::current(uint64_t generation) {
  std::lock_guard lock(mu_);
  return !quit_ && generation == generation_;
}

void Speaker::run() {
  for (;;) {
    Utterance u;
    {
      std::unique_lock lock(mu_);
      const auto ready = [this] { return quit_ || next_.has_value(); };
      // With the device closed there is nothing to time out: sleep until asked.
      bool woke = true;
      if (device_) woke = cv_.wait_for(lock, kCloseAfter, ready);
      else cv_.wait(lock, ready);
      if (quit_) break;
      if (!woke) {
        lock.unlock();
        close_device();  // quiet for a while
        continue;
      }
      u = std::move(*next_);
      next_.reset();
    }
    auto voice = drivers::voice::EspeakVoice::instance();
    if (!voice) {
      if (!warned_) log::warn("voice", "no speech synthesis: voice guidance is off", {{"error", voice.error().message}});
      warned_ = true;
      continue;
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto pcm = (*voice)->synthesize(u.text, u.lang, options_.rate);
    if (!pcm) {
      log::warn("voice", "not spoken", {{"prompt", u.id}, {"error", pcm.error().message}});
      continue;
    }
    if (!current(u.generation)) continue;  // overtaken while it was synthesised
    drivers::voice::apply_volume(*pcm, options_.volume);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    log::debug("voice", "playing", {{"prompt", u.id}, {"seconds", pcm->seconds()}, {"synth_ms", ms}});
    play(pcm->samples, pcm->rate, u.generation);
  }
  close_device();
  if (audio_ok_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool Speaker::play(const std::vector<int16_t>& samples, int rate, uint64_t generation) {
  if (device_ && device_rate_ != rate) close_device();
  // SDL's audio starts with the first utterance, on this thread: probing
  // the sound servers stays off the kiosk's start-up path.
  if (!audio_started_) {
    audio_started_ = true;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
      log::warn("voice", "no audio: voice guidance is not heard", {{"error", SDL_GetError()}});
      return false;
    }
    audio_ok_ = true;
  }
  if (!audio_ok_) return false;
  if (!device_) {
    SDL_AudioSpec want{}, have{};
    want.freq = rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);  // SDL converts if the device differs
    if (!device_) {
      if (!warned_) log::warn("voice", "no audio device: voice guidance is not heard", {{"error", SDL_GetError()}});
      warned_ = true;
      return false;
    }
    device_rate_ = rate;
  }
  SDL_ClearQueuedAudio(device_);  // a new utterance cuts the old one off
  SDL_QueueAudio(device_, samples.data(), static_cast<Uint32>(samples.size() * sizeof(int16_t)));
  SDL_PauseAudioDevice(device_, 0);
  while (SDL_GetQueuedAudioSize(device_) > 0) {
    if (!current(generation)) {
      SDL_ClearQueuedAudio(device_);
      break;
    }
    std::this_thread::sleep_for(kPlaybackPoll);
  }
  std::this_thread::sleep_for(kTail);  // the device's own buffer still plays
  SDL_PauseAudioDevice(device_, 1);
  return true;
}

void Speaker::close_device() {
  if (!device_) return;
  SDL_CloseAudioDevice(device_);
  device_ = 0;
}

}  // namespace bianmin::ui
