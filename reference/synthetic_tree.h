// The synthetic backend's desktop: a deterministic pseudo-random accessibility tree per
// app, same input -> same tree on every platform (own PRNG, no std distributions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "reference/ax_tree.h"

namespace mcpleak::axref {

// A tree of exactly `node_count` nodes (at least 1): an AXApplication named `app` with up
// to two AXWindow children and AX* controls below, depth at most 12, every node with a
// name and bounds inside its parent's. Depends only on (app, seed, node_count).
AxNode generate_synthetic_tree(const std::string& app, std::uint64_t seed,
                               std::size_t node_count);

}  // namespace mcpleak::axref
