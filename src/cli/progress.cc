#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace tandem::cli {

ProgressBar::ProgressBar(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(const char* phase, double fraction) {
  if (quiet_) return;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const auto now = std::chrono::steady_clock::now();
  const bool new_phase = phase_ != phase;
  if (new_phase) {
    Finish();
    phase_ = phase;
    last_quarter_ = -1;
    phase_start_ = now;
  }
  if (!tty_) {
    // Plain lines only for runs long enough to be worth following in a log.
    if (now - phase_start_ < std::chrono::seconds(1) && fraction < 1.0) return;
    const int quarter = static_cast<int>(fraction * 4.0);
    if (quarter == last_quarter_ || (fraction >= 1.0 && last_quarter_ < 0)) return;
    last_quarter_ = quarter;
    std::fprintf(stderr, "%s: %3d%%\n", phase, quarter * 25);
    return;
  }
  if (!new_phase && fraction < 1.0 && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  const double seconds = std::chrono::duration<double>(now - phase_start_).count();
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r%-12s [%s] %3d%%  %.1fs", phase, bar.c_str(),
               static_cast<int>(fraction * 100.0), seconds);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace tandem::cli
