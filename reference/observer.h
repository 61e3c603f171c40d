// The lifecycle view of an accessibility observer and of an element reference: both are
// counted in Counters while alive. Backends derive from them to hold the real handle
// (AXObserverRef, AtspiAccessible*) and release it in their destructor.
#pragma once

#include <cstddef>
#include <sys/types.h>

#include "reference/counters.h"
#include "reference/touched_buffer.h"

namespace mcpleak::axref {

class Observer {
 public:
  // Counts one observer; `buffer_bytes` of touched memory stand for the observer's own
  // state (callbacks, run-loop source) and are added to *bytes_counter.
  Observer(Counters& counters, pid_t pid, std::size_t buffer_bytes,
           std::atomic<std::int64_t>* bytes_counter);
  virtual ~Observer();
  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;

  pid_t pid() const { return pid_; }

 private:
  Counters& counters_;
  pid_t pid_;
  TouchedBuffer buffer_;
};

class ElementRef {
 public:
  explicit ElementRef(Counters& counters) : counters_(counters) { counters_.elements++; }
  virtual ~ElementRef() { counters_.elements--; }
  ElementRef(const ElementRef&) = delete;
  ElementRef& operator=(const ElementRef&) = delete;

 private:
  Counters& counters_;
};

}  // namespace mcpleak::axref
