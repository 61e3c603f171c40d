// The stdio transport: newline-delimited JSON-RPC on in_fd, responses on out_fd, logs on
// stderr only. Returns when input ends (EOF) or SIGTERM/SIGINT arrives; the caller then
// destroys backend and injector, which releases everything. The connection holds no
// protocol state: Protocol judges each line's era on its own (protocol_era.h), so a
// connection may open with initialize (up to 2025-11-25) or with 2026-07-28 requests.
#pragma once

#include "reference/protocol.h"

namespace mcpleak::axref {

// Installs SIGTERM/SIGINT handlers (no SA_RESTART) and ignores SIGPIPE. Call once.
void install_stop_signals();
// True once SIGTERM or SIGINT has arrived (after install_stop_signals). Lets the HTTP
// transport's watcher thread share the stdio loop's stop flag.
bool stop_requested();

// Serves until EOF, a stop signal or a write failure. Calls tools.idle() at least every
// 100 ms while no input arrives. Returns 0 on EOF or signal, 1 on an I/O error.
int serve_stdio(Protocol& protocol, ToolBox& tools, int in_fd, int out_fd);

}  // namespace mcpleak::axref
