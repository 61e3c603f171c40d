// Whether something accepts TCP connections at an endpoint: how `run --http` knows the
// server it started is ready, and that no other process already holds the port.
#pragma once

#include <chrono>

#include "harness/mcp/http_endpoint.h"

namespace mcpleak {

// One connection attempt, given up after `timeout`. True when the connection was accepted.
bool port_accepts(const HttpEndpoint& endpoint, std::chrono::milliseconds timeout);

}  // namespace mcpleak
