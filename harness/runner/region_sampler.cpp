#include "harness/runner/region_sampler.h"

#include <algorithm>
#include <cmath>

#include "probes/macos_tools.h"

namespace mcpleak {

RegionSampler::RegionSampler(Target target, std::chrono::seconds period)
    : target_(std::move(target)), period_(period) {}

RegionSampler::~RegionSampler() { stop(); }

bool RegionSampler::available() {
#if defined(__APPLE__)
  return true;
#else
  return false;
#endif
}

void RegionSampler::start() {
  if (!available()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      read_once();
      lock.lock();
      wake_.wait_for(lock, period_, [this] { return stopping_; });
    }
  });
}

void RegionSampler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    read_once();  // the end state is what the report compares with the start
  }
}

void RegionSampler::read_once() {
  const auto [pid, libproc_footprint] = target_();
  if (pid <= 0) return;
  std::map<std::string, std::uint64_t> regions;
  std::vector<std::string> notes;
  if (auto vm = run_vmmap_summary(pid)) {
    for (const auto& r : vm->regions) {
      regions[r.name] += r.dirty_bytes.value_or(0) + r.swapped_bytes.value_or(0);
    }
  } else {
    notes.push_back("vmmap -summary " + std::to_string(pid) + ": " + vm.error().describe());
  }
  if (auto fp = run_footprint(pid)) {
    const double tool = static_cast<double>(fp->phys_footprint_bytes.value_or(fp->footprint_bytes));
    const double ours = static_cast<double>(libproc_footprint);
    if (ours > 0 && std::fabs(tool - ours) / ours > 0.05 && !footprint_mismatch_noted_) {
      footprint_mismatch_noted_ = true;
      notes.push_back("footprint(1) says " + std::to_string(static_cast<long long>(tool)) +
                      " B for pid " + std::to_string(pid) + ", libproc " +
                      std::to_string(static_cast<long long>(ours)) + " B: more than 5% apart");
    }
  } else {
    notes.push_back("footprint " + std::to_string(pid) + ": " + fp.error().describe());
  }
  std::lock_guard lock(mutex_);
  if (!regions.empty()) regions_ = std::move(regions);
  for (auto& n : notes) {
    // One note per distinct problem, not one per reading.
    if (std::find(notes_.begin(), notes_.end(), n) == notes_.end() && notes_.size() < 10) {
      notes_.push_back(std::move(n));
    }
  }
}

std::map<std::string, std::uint64_t> RegionSampler::latest_regions() const {
  std::lock_guard lock(mutex_);
  return regions_;
}

std::vector<std::string> RegionSampler::notes() const {
  std::lock_guard lock(mutex_);
  return notes_;
}

}  // namespace mcpleak
