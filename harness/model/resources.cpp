#include "harness/model/resources.h"

namespace mcpleak {

std::map<std::string, ResourceBudget> default_resource_budgets() {
  // Net growth below the allowance is warm-up, never a leak: a server opens its log,
  // a connection pool or a worker thread lazily, once. Steady growth past it is a leak.
  return {
      {"processes", {0, 0, 1, false}},
      {"fds", {0, 0, 4, false}},
      {"threads", {0, 0, 2, false}},
      {"mach_ports", {0, 0, 8, false}},
      {"orphans", {0, 0, 0, false}},
      // Objects of a --bounded-class: a cache of a few is not a leak, steady growth is.
      {"classes", {0, 0, 8, false}},
  };
}

}  // namespace mcpleak
