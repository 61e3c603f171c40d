#include "reference/observer.h"

namespace mcpleak::axref {

Observer::Observer(Counters& counters, pid_t pid, std::size_t buffer_bytes,
                   std::atomic<std::int64_t>* bytes_counter)
    : counters_(counters), pid_(pid), buffer_(buffer_bytes, bytes_counter) {
  counters_.observers++;
}

Observer::~Observer() { counters_.observers--; }

}  // namespace mcpleak::axref
