#pragma once
// A progress bar on stderr for long runs: a redrawn bar on a terminal, a few plain lines
// otherwise (logs, CI), nothing when quiet.

#include <chrono>
#include <string>

namespace tandem::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool quiet);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // fraction in [0, 1]. Cheap to call often: redraws at most every 100 ms.
  void Update(const char* phase, double fraction);
  // Ends the current line, if a bar is drawn.
  void Finish();

 private:
  bool quiet_;
  bool tty_;
  bool drawn_ = false;
  std::string phase_;
  int last_quarter_ = -1;
  std::chrono::steady_clock::time_point last_draw_{};
  std::chrono::steady_clock::time_point phase_start_{};
};

}  // namespace tandem::cli
