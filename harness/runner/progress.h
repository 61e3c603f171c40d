// Progress of a long run on stderr: a live line on a terminal, a plain line every 10 s
// in CI (not a TTY, or CI=true), nothing with --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace mcpleak {

struct ProgressState {
  double elapsed_s = 0;
  double planned_s = 0;
  std::uint64_t calls_ok = 0;
  std::uint64_t calls_failed = 0;
  std::optional<std::uint64_t> footprint_bytes;
  std::string phase;
  std::string look;  // "+9.8 MB/min [8.1, 11.2]" once looks have started
  std::string not_exercised;  // why the window so far is not exercised; empty when it is
};

// The line itself, without decoration: "42s/120s loop: 210 calls (0 failed), ...".
std::string format_progress(const ProgressState& s);

class ProgressPrinter {
 public:
  enum class Mode { quiet, plain, live };
  ProgressPrinter(Mode mode, std::string label);
  ~ProgressPrinter();
  // Prints when due for the mode; cheap to call often.
  void update(const ProgressState& s);
  // Whether update() would print now: lets callers skip gathering a state that would be dropped.
  bool due() const;
  // Ends a live line so later output starts on a fresh line.
  void finish();
  static Mode detect(bool quiet);

 private:
  Mode mode_;
  std::string label_;
  std::chrono::steady_clock::time_point last_{};
  bool printed_live_ = false;
};

}  // namespace mcpleak
