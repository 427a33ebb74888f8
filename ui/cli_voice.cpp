// bianmin voice list [--json]
// bianmin voice say (--prompt ID [--arg NAME=VALUE]… | TEXT) [--lang zh-CN|en] [--out FILE.wav] [--json]
//
// The voice guidance's prompts (session/narration.h) in the kiosk's words
// (assets/i18n "voice.<id>"), synthesised with eSpeak NG as the kiosk does;
// written to a WAV file, or played through the audio device.
#include "cli_voice.h"

#include <SDL.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "assets_location.h"
#include "i18n.h"
#include "session/narration.h"
#include "voice/espeak_voice.h"

namespace bianmin::ui {
namespace {

using json = nlohmann::json;

constexpr int kNoVoice = 7;  // no speech synthesis, or no audio device to play on

const session::PromptInfo* find_prompt(const std::string& id) {
  for (const auto& p : session::prompt_catalogue())
    if (id == p.id) return &p;
  return nullptr;
}

// What a placeholder says when `voice say --prompt` is not given it (the
// catalogue's words stay Chinese in English too, as on the screen).
std::string sample_value(const std::string& placeholder) {
  if (placeholder == "field") return "联系电话";
  if (placeholder == "material") return "户口簿";
  if (placeholder == "number") return "A023";
  if (placeholder == "window") return "3";
  if (placeholder == "seconds") return "15";
  return "2";  // pages, ahead
}

// Plays `pcm` on the default audio device and waits until it has been heard.
Status play(const drivers::voice::Pcm& pcm) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) return make_error("no_audio", std::string("no audio: ") + SDL_GetError());
  SDL_AudioSpec want{}, have{};
  want.freq = pcm.rate;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = 1024;
  const SDL_AudioDeviceID dev = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (!dev) {
    const std::string why = SDL_GetError();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    return make_error("no_audio", "no audio device: " + why);
  }
  SDL_QueueAudio(dev, pcm.samples.data(), static_cast<Uint32>(pcm.samples.size() * sizeof(int16_t)));
  SDL_PauseAudioDevice(dev, 0);
  while (SDL_GetQueuedAudioSize(dev) > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // the device's own buffer
  SDL_CloseAudioDevice(dev);
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
  return {};
}

struct SayArgs {
  std::string text, prompt, lang = "zh-CN", out, assets = default_assets_dir();
  std::vector<std::string> args;
  bool json_out = false;
};

int say(cli::Runner& r, const SayArgs& a) {
  auto cfg = r.config();
  if (!cfg) return cli::Runner::fail(cfg.error(), cli::kStoreError);
  if (a.text.empty() == a.prompt.empty())
    return cli::Runner::fail(make_error("usage", "give either TEXT or --prompt ID"), cli::kUsage);
  std::string words = a.text;
  if (!a.prompt.empty()) {
    const auto* info = find_prompt(a.prompt);
    if (!info) return cli::Runner::fail(make_error("not_found", "no prompt " + a.prompt + " (see `bianmin voice list`)"), cli::kNotFound);
    auto strings = Strings::load(a.assets + "/i18n");
    if (!strings) return cli::Runner::fail(strings.error(), cli::kStoreError);
    session::Prompt p{a.prompt, {}};
    for (const auto& kv : a.args) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos) return cli::Runner::fail(make_error("usage", "--arg wants NAME=VALUE, not " + kv), cli::kUsage);
      p.args.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    // A placeholder not given is said with a sample value, never as "{x}".
    for (const char* ph : info->placeholders) {
      bool given = false;
      for (const auto& [k, v] : p.args) given = given || k == ph;
      if (!given) p.args.emplace_back(ph, sample_value(ph));
    }
    words = strings->format(a.lang, "voice." + a.prompt, p.args);
  }
  auto voice = drivers::voice::EspeakVoice::instance();
  if (!voice) return cli::Runner::fail(voice.error(), kNoVoice);
  auto pcm = (*voice)->synthesize(words, a.lang, static_cast<int>((*cfg)->integer("voice.rate")));
  if (!pcm) return cli::Runner::fail(pcm.error(), kNoVoice);
  drivers::voice::apply_volume(*pcm, static_cast<int>((*cfg)->integer("voice.volume")));
  const auto levels = drivers::voice::measure(*pcm);
  if (!a.out.empty()) {
    std::ofstream f(a.out, std::ios::binary | std::ios::trunc);
    const std::string wav = drivers::voice::encode_wav(*pcm);
    f.write(wav.data(), static_cast<std::streamsize>(wav.size()));
    f.close();
    if (!f) return cli::Runner::fail(make_error("write_failed", "cannot write " + a.out), cli::kStoreError);
  } else if (auto st = play(*pcm); !st) {
    return cli::Runner::fail(st.error(), kNoVoice);
  }
  if (a.json_out)
    cli::print_json({{"prompt", a.prompt}, {"text", words}, {"lang", a.lang}, {"seconds", pcm->seconds()},
                     {"peak", levels.peak}, {"rms", levels.rms}, {"sample_rate", pcm->rate}, {"out", a.out}});
  else
    std::printf("%s  %.2f s, peak %.2f, rms %.3f%s%s\n", words.c_str(), pcm->seconds(), levels.peak, levels.rms,
                a.out.empty() ? "" : " → ", a.out.c_str());
  return cli::kOk;
}

}  // namespace

void add_voice_commands(CLI::App& app, cli::Runner& r) {
  auto* g = app.add_subcommand("voice", "Voice guidance: the spoken prompts, synthesised with eSpeak NG");
  g->require_subcommand(1);

  auto* list = g->add_subcommand("list", "Every fixed prompt: its id, placeholders and words in zh-CN and English");
  auto list_json = std::make_shared<bool>(false);
  auto list_assets = std::make_shared<std::string>(default_assets_dir());
  list->add_flag("--json", *list_json, "Print [{\"id\", \"placeholders\", \"zh-CN\", \"en\"}]");
  list->add_option("--assets", *list_assets, "Directory of the assets (i18n/)");
  cli::on_run(list, r, [list_json, list_assets]() -> int {
    auto strings = Strings::load(*list_assets + "/i18n");
    if (!strings) return cli::Runner::fail(strings.error(), cli::kStoreError);
    json out = json::array();
    for (const auto& p : session::prompt_catalogue()) {
      const std::string key = std::string("voice.") + p.id;
      json ph = json::array();
      for (const char* x : p.placeholders) ph.push_back(x);
      out.push_back({{"id", p.id}, {"placeholders", ph}, {"zh-CN", strings->get("zh-CN", key)}, {"en", strings->get("en", key)}});
    }
    if (*list_json) {
      cli::print_json(out);
      return cli::kOk;
    }
    for (const auto& p : out)
      std::printf("%-18s %s\n%-18s %s\n", p["id"].get<std::string>().c_str(), p["zh-CN"].get<std::string>().c_str(), "",
                  p["en"].get<std::string>().c_str());
    return cli::kOk;
  });

  auto* s = g->add_subcommand("say", "Say a prompt (--prompt ID) or any TEXT: into a WAV file (--out), or out loud");
  s->footer("Exit codes: 0 said, 1 usage, 3 no such prompt, 4 configuration unusable or the file not written,\n"
            "7 no speech synthesis (espeak-ng-data) or no audio device.");
  auto a = std::make_shared<SayArgs>();
  s->add_option("TEXT", a->text, "Words to say (any text; the catalogue's, say)");
  s->add_option("--prompt", a->prompt, "A fixed prompt's id (bianmin voice list)");
  s->add_option("--arg", a->args, "NAME=VALUE for a placeholder of the prompt (e.g. number=A023)");
  s->add_option("--lang", a->lang, "zh-CN (Mandarin, eSpeak's cmn voice) or en")->check(CLI::IsMember({"zh-CN", "en"}));
  s->add_option("--out", a->out, "Write a WAV file (16-bit mono PCM) instead of playing");
  s->add_option("--assets", a->assets, "Directory of the assets (i18n/)");
  s->add_flag("--json", a->json_out, "Print {\"prompt\", \"text\", \"lang\", \"seconds\", \"peak\", \"rms\", \"sample_rate\", \"out\"}");
  cli::on_run(s, r, [&r, a]() -> int { return say(r, *a); });
}

}  // namespace bianmin::ui
