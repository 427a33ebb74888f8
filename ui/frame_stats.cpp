#include "frame_stats.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace bianmin::ui {

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double ms_since_exec() {
  std::ifstream in("/proc/self/stat");
  std::string s((std::istreambuf_iterator<char>(in)), {});
  const auto rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  std::istringstream rest(s.substr(rp + 2));
  std::string field;
  unsigned long long start_ticks = 0;
  for (int i = 3; i <= 22 && rest >> field; ++i)
    if (i == 22) start_ticks = std::stoull(field);
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  const double now_ms = static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
  return now_ms - static_cast<double>(start_ticks) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void FrameStats::add(double built_ms, double frame_ms) {
  build_cpu_total += built_ms;
  frame_cpu_total += frame_ms;
  if (frames > 0) {
    build_cpu_max = std::max(build_cpu_max, built_ms);
    frame_cpu_max = std::max(frame_cpu_max, frame_ms);
  }
  ++frames;
}

void FrameStats::add_step(double step_ms) {
  if (steps++ > 0) step_cpu_max = std::max(step_cpu_max, step_ms);
}

std::string FrameStats::to_json(uint64_t frames_drawn, const std::string& atlas_fields) const {
  std::ostringstream out;
  const double n = frames ? static_cast<double>(frames) : 1;
  out << "{\"first_frame_ms\": " << first_frame_ms << ", \"frames\": " << frames_drawn
      << ", \"frame_cpu_ms_mean\": " << (frames ? frame_cpu_total / n : 0) << ", \"frame_cpu_ms_max\": " << frame_cpu_max
      << ", \"build_cpu_ms_mean\": " << (frames ? build_cpu_total / n : 0) << ", \"build_cpu_ms_max\": " << build_cpu_max
      << ", \"step_cpu_ms_max\": " << step_cpu_max
      << atlas_fields << ", \"startup_ms\": {";
  for (std::size_t i = 0; i < startup.size(); ++i)
    out << (i ? ", " : "") << '"' << startup[i].first << "\": " << startup[i].second;
  out << "}}\n";
  return out.str();
}

}  // namespace bianmin::ui
