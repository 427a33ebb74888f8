// Speech as samples: 16-bit signed mono PCM at the synthesiser's rate, and
// what a test or a technician measures of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bianmin::drivers::voice {

struct Pcm {
  int rate = 22050;  // samples per second
  std::vector<int16_t> samples;
  double seconds() const { return rate > 0 ? static_cast<double>(samples.size()) / rate : 0.0; }
};

// Scales to `percent` of full loudness (0–100), saturating.
void apply_volume(Pcm& pcm, int percent);

struct Levels {
  double peak = 0;  // 0..1 of full scale
  double rms = 0;   // 0..1 of full scale
};
Levels measure(const Pcm& pcm);

// A RIFF/WAVE file of `pcm` (PCM, 16 bit, mono).
std::string encode_wav(const Pcm& pcm);

}  // namespace bianmin::drivers::voice
