// Waiting on one file descriptor in short slices, so a thread blocked on a silent child
// still notices when it is asked to stop.
#pragma once

#include <atomic>

namespace mcpleak {

enum class WaitResult { ready, timeout, stopping };

// Polls `fd` for `events` (POLLIN, POLLOUT) until ready, `timeout_ms` passes (-1: never)
// or `stopping` turns true. A poll error counts as ready: the next read/write reports it.
WaitResult wait_fd(int fd, short events, int timeout_ms, const std::atomic<bool>& stopping);

}  // namespace mcpleak
