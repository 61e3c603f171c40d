// A pipe whose ends are closed in spawned children. pipe2() does that atomically but is
// not on macOS; there the flag is set right after (a test that forks from another
// thread in between could leak an end into that child, which no test here does).
#pragma once

#include <fcntl.h>
#include <unistd.h>

namespace mcpleak::test {

inline bool cloexec_pipe(int fds[2]) {
#ifdef __linux__
  return ::pipe2(fds, O_CLOEXEC) == 0;
#else
  if (::pipe(fds) != 0) return false;
  return ::fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0 && ::fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0;
#endif
}

}  // namespace mcpleak::test
