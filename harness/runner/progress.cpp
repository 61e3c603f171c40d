#include "harness/runner/progress.h"

#include "harness/analysis/format.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mcpleak {

std::string format_progress(const ProgressState& s) {
  char head[96];
  std::snprintf(head, sizeof head, "%.0fs/%.0fs %s: %llu calls (%llu failed)", s.elapsed_s,
                s.planned_s, s.phase.c_str(), static_cast<unsigned long long>(s.calls_ok + s.calls_failed),
                static_cast<unsigned long long>(s.calls_failed));
  std::string line = head;
  if (s.footprint_bytes) line += ", footprint " + analysis::format_bytes(static_cast<double>(*s.footprint_bytes));
  if (!s.look.empty()) line += ", " + s.look;
  if (!s.not_exercised.empty()) line += "; NOT EXERCISED: " + s.not_exercised;
  return line;
}

ProgressPrinter::ProgressPrinter(Mode mode, std::string label)
    : mode_(mode), label_(std::move(label)) {}

ProgressPrinter::~ProgressPrinter() { finish(); }

ProgressPrinter::Mode ProgressPrinter::detect(bool quiet) {
  if (quiet) return Mode::quiet;
  const char* ci = std::getenv("CI");
  const bool in_ci = ci && (std::strcmp(ci, "true") == 0 || std::strcmp(ci, "1") == 0);
  return (!in_ci && ::isatty(STDERR_FILENO)) ? Mode::live : Mode::plain;
}

bool ProgressPrinter::due() const {
  if (mode_ == Mode::quiet) return false;
  const auto every = mode_ == Mode::live ? std::chrono::milliseconds(500) : std::chrono::seconds(10);
  return last_.time_since_epoch().count() == 0 || std::chrono::steady_clock::now() - last_ >= every;
}

void ProgressPrinter::update(const ProgressState& s) {
  if (!due()) return;
  last_ = std::chrono::steady_clock::now();
  const std::string prefix = label_.empty() ? "mcpleak: " : "mcpleak [" + label_ + "]: ";
  if (mode_ == Mode::live) {
    std::fprintf(stderr, "\r\033[K%s%s", prefix.c_str(), format_progress(s).c_str());
    printed_live_ = true;
  } else {
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), format_progress(s).c_str());
  }
  std::fflush(stderr);
}

void ProgressPrinter::finish() {
  if (printed_live_) {
    std::fputc('\n', stderr);
    printed_live_ = false;
  }
}

}  // namespace mcpleak
