// SIGINT/SIGTERM to mcpleak become a flag the runner polls, so an interrupted run still
// terminates its server and writes its reports from the samples taken.
#pragma once

namespace mcpleak {

// Installs the handlers (once) and ignores SIGPIPE so writes to a dead server's stdin
// fail with EPIPE instead of killing us.
void install_stop_signal_handlers();
// True once SIGINT or SIGTERM has arrived.
bool stop_requested();
// The signal that arrived, 0 if none.
int stop_signal_number();

}  // namespace mcpleak
