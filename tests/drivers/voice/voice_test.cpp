// Voice guidance through the real synthesiser: what a prompt sounds like by
// measure (duration, loudness with sox, as the README's table was made),
// the WAV files `bianmin voice say` writes, and the contract of the CLI.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "support/testing.h"
#include "voice/espeak_voice.h"
#include "voice/pcm.h"

namespace bianmin::drivers::voice {
namespace {

using testing::run_bianmin;

struct SoxStat {
  double seconds = 0, rms = 0, peak = 0;
};
SoxStat sox_stat(const std::string& wav) {
  auto r = testing::run_program({"sox", wav, "-n", "stat"});
  SoxStat s;
  std::smatch m;
  if (std::regex_search(r.err, m, std::regex("Length \\(seconds\\): +([0-9.]+)"))) s.seconds = std::stod(m[1]);
  if (std::regex_search(r.err, m, std::regex("RMS +amplitude: +([0-9.]+)"))) s.rms = std::stod(m[1]);
  if (std::regex_search(r.err, m, std::regex("Maximum amplitude: +([0-9.]+)"))) s.peak = std::stod(m[1]);
  return s;
}

TEST(Pcm, VolumeScalesAndTheWavHeaderDescribesTheSamples) {
  Pcm p;
  p.rate = 22050;
  p.samples = {0, 1000, -1000, 32767, -32768};
  apply_volume(p, 50);
  EXPECT_EQ(p.samples[1], 500);
  EXPECT_EQ(p.samples[4], -16384);
  const std::string wav = encode_wav(p);
  ASSERT_EQ(wav.size(), 44u + 10u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(static_cast<unsigned char>(wav[24]) | static_cast<unsigned char>(wav[25]) << 8, 22050 & 0xffff);
  EXPECT_EQ(wav.substr(36, 4), "data");
  Pcm quiet;
  quiet.samples.assign(100, 0);
  EXPECT_EQ(measure(quiet).rms, 0.0);
}

TEST(Espeak, MandarinAndEnglishAreSpokenAtASpeakingPace) {
  auto v = EspeakVoice::instance();
  ASSERT_TRUE(v.ok()) << v.error().message;
  auto zh = (*v)->synthesize("请将身份证放在感应区", "zh-CN");
  ASSERT_TRUE(zh.ok()) << zh.error().message;
  // Ten characters: about two to six seconds, and loud enough to hear.
  EXPECT_GT(zh->seconds(), 2.0);
  EXPECT_LT(zh->seconds(), 6.0);
  EXPECT_GT(measure(*zh).rms, 0.03);
  auto en = (*v)->synthesize("Please place your ID card on the reader.", "en");
  ASSERT_TRUE(en.ok());
  EXPECT_GT(en->seconds(), 1.5);
  // Faster speech is shorter.
  auto fast = (*v)->synthesize("请将身份证放在感应区", "zh-CN", 300);
  ASSERT_TRUE(fast.ok());
  EXPECT_LT(fast->seconds(), zh->seconds() * 0.8);
}

TEST(VoiceCli, SayWritesAPromptAsAWavFileThatSoxMeasuresAsSpeech) {
  testing::TempDir d;
  // The first three prompts of a session, each non-silent and of a length
  // that fits its words.
  for (const char* id : {"welcome", "guide", "place_card"}) {
    const std::string wav = d.file(std::string(id) + ".wav");
    auto r = run_bianmin({"--data-dir", d.path(), "voice", "say", "--prompt", id, "--out", wav, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    const SoxStat s = sox_stat(wav);
    EXPECT_NEAR(s.seconds, j["seconds"].get<double>(), 0.01) << id;
    EXPECT_GT(s.seconds, 2.0) << id;
    EXPECT_LT(s.seconds, 15.0) << id;
    EXPECT_GT(s.rms, 0.02) << id;
    EXPECT_GT(s.peak, 0.3) << id;
  }
  // Any text, in English; placeholders filled when given.
  auto text = run_bianmin({"--data-dir", d.path(), "voice", "say", "Window 3", "--lang", "en", "--out", d.file("t.wav")});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  auto call = run_bianmin({"--data-dir", d.path(), "voice", "say", "--prompt", "call_ticket", "--arg", "number=B007",
                           "--arg", "window=5", "--out", d.file("c.wav"), "--json"});
  ASSERT_EQ(call.exit_code, 0) << call.err;
  EXPECT_EQ(nlohmann::json::parse(call.out)["text"], "请B007号到5号窗口办理");
  // Volume from the configuration.
  auto soft = run_bianmin({"--data-dir", d.path(), "--set", "voice.volume=20", "voice", "say", "--prompt", "place_card",
                           "--out", d.file("soft.wav")});
  ASSERT_EQ(soft.exit_code, 0);
  EXPECT_LT(sox_stat(d.file("soft.wav")).peak, sox_stat(d.file("place_card.wav")).peak * 0.4);
}

TEST(VoiceCli, ListNamesEveryPromptAndMistakesGetTheirExitCodes) {
  testing::TempDir d;
  auto list = run_bianmin({"--data-dir", d.path(), "voice", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto j = nlohmann::json::parse(list.out);
  ASSERT_GE(j.size(), 20u);
  bool place_card = false;
  for (const auto& p : j) {
    EXPECT_FALSE(p["zh-CN"].get<std::string>().empty()) << p.dump();
    EXPECT_FALSE(p["en"].get<std::string>().empty()) << p.dump();
    place_card = place_card || (p["id"] == "place_card" && p["zh-CN"] == "请将身份证放在感应区");
  }
  EXPECT_TRUE(place_card);
  EXPECT_EQ(run_bianmin({"--data-dir", d.path(), "voice", "say", "--prompt", "no_such", "--out", d.file("x.wav")}).exit_code, 3);
  EXPECT_EQ(run_bianmin({"--data-dir", d.path(), "voice", "say", "--out", d.file("x.wav")}).exit_code, 1);
  EXPECT_EQ(run_bianmin({"--data-dir", d.path(), "voice", "say", "x", "--lang", "fr"}).exit_code, 1);
}

}  // namespace
}  // namespace bianmin::drivers::voice
