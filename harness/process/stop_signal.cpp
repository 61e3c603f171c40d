#include "harness/process/stop_signal.h"

#include <signal.h>

#include <atomic>

namespace mcpleak {
namespace {

std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int sig) {
  // A second Ctrl-C while the reports are being written falls back to the default
  // action, so a stuck shutdown can always be cut short.
  if (g_signal.exchange(sig) != 0) {
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
}

}  // namespace

void install_stop_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() { return g_signal.load() != 0; }
int stop_signal_number() { return g_signal.load(); }

}  // namespace mcpleak
