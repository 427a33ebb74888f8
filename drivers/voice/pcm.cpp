#include "voice/pcm.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace bianmin::drivers::voice {
namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}

}  // namespace

void apply_volume(Pcm& pcm, int percent) {
  percent = std::clamp(percent, 0, 100);
  if (percent == 100) return;
  for (auto& s : pcm.samples) s = static_cast<int16_t>(static_cast<int32_t>(s) * percent / 100);
}

Levels measure(const Pcm& pcm) {
  Levels l;
  if (pcm.samples.empty()) return l;
  double sum = 0;
  int peak = 0;
  for (int16_t s : pcm.samples) {
    peak = std::max(peak, std::abs(static_cast<int>(s)));
    sum += static_cast<double>(s) * s;
  }
  l.peak = peak / 32768.0;
  l.rms = std::sqrt(sum / static_cast<double>(pcm.samples.size())) / 32768.0;
  return l;
}

std::string encode_wav(const Pcm& pcm) {
  const uint32_t data_bytes = static_cast<uint32_t>(pcm.samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_u32(out, 36 + data_bytes);
  out += "WAVEfmt ";
  put_u32(out, 16);  // PCM format chunk
  put_u16(out, 1);   // PCM
  put_u16(out, 1);   // mono
  put_u32(out, static_cast<uint32_t>(pcm.rate));
  put_u32(out, static_cast<uint32_t>(pcm.rate) * 2);  // bytes per second
  put_u16(out, 2);                                    // block align
  put_u16(out, 16);                                   // bits per sample
  out += "data";
  put_u32(out, data_bytes);
  for (int16_t s : pcm.samples) put_u16(out, static_cast<uint16_t>(s));
  return out;
}

}  // namespace bianmin::drivers::voice
