// What the kiosk measures about itself for the benchmarks (`kiosk
// --stats-file`): cold start to first frame, and the CPU each frame took on
// the render thread, with and without the GL submission.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bianmin::ui {

// CPU time of the calling thread, in milliseconds.
double thread_cpu_ms();
// Milliseconds since this process was started (for "cold start to first frame").
double ms_since_exec();

struct FrameStats {
  double first_frame_ms = -1;
  double frame_cpu_total = 0, frame_cpu_max = 0;
  double build_cpu_total = 0, build_cpu_max = 0;  // screens + ImGui, without GL
  uint64_t frames = 0;
  // Whole render-thread steps that ended in a frame (events and inbox too:
  // installing a new glyph atlas happens there). The first frame is start-up
  // (first_frame_ms) and counts in neither maximum.
  double step_cpu_max = 0;
  uint64_t steps = 0;
  // Start-up, step by step: milliseconds since exec when each step ended
  // (what is on the path to the first frame).
  std::vector<std::pair<std::string, double>> startup;

  void add(double built_ms, double frame_ms);
  void add_step(double step_ms);
  void mark_startup(std::string step) { startup.emplace_back(std::move(step), ms_since_exec()); }
  // The JSON object the benchmarks read; `atlas` is the fonts' part.
  std::string to_json(uint64_t frames_drawn, const std::string& atlas_fields) const;
};

}  // namespace bianmin::ui
