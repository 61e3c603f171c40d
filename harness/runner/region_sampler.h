// Low-cadence readings from macOS's own tools: `vmmap -summary` (region table) and
// `footprint` (cross-check of libproc's phys_footprint), run on the tree's largest
// process at start, every 30 s and at the end. They take hundreds of milliseconds, so
// they run on their own thread; the sampler copies the latest region totals into each
// sample. Elsewhere (no such tools) it does nothing.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mcpleak {

class RegionSampler {
 public:
  // `target` names the pid to read (the tree's largest) and its libproc footprint.
  using Target = std::function<std::pair<pid_t, std::uint64_t>()>;
  RegionSampler(Target target, std::chrono::seconds period);
  ~RegionSampler();
  RegionSampler(const RegionSampler&) = delete;
  RegionSampler& operator=(const RegionSampler&) = delete;

  // False where the platform has no vmmap/footprint tools: then start() is a no-op.
  static bool available();
  void start();
  // Takes a last reading, then stops.
  void stop();
  // Region name -> dirty + swapped bytes, from the latest vmmap reading.
  std::map<std::string, std::uint64_t> latest_regions() const;
  // Problems to put in the report: a tool that failed, footprint vs libproc over 5%.
  std::vector<std::string> notes() const;

 private:
  void read_once();

  Target target_;
  std::chrono::seconds period_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, std::uint64_t> regions_;
  std::vector<std::string> notes_;
  bool footprint_mismatch_noted_ = false;  // only touched by the reading thread
};

}  // namespace mcpleak
