// axref benchmarks. Synthetic: Snapshot latency (walk + text) and heap bytes per node held
// by the walked tree. AT-SPI (needs ci/atspi-session; skipped otherwise): Snapshot latency
// of gtk3-widget-factory, and the same walk by pyatspi (bench/pyatspi_walk.py, run with
// /usr/bin/python3 in the same session) with the ratio python/C++.
//   ci/atspi-session run build/bench_axref
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "reference/backend_synthetic.h"
#include "reference/injection.h"
#include "reference/tools.h"
#if defined(AXREF_WITH_ATSPI)
#include "reference/backend_atspi.h"
#endif

using namespace mcpleak::axref;

namespace {

// Heap bytes in use (glibc); 0 where unknown, which turns the per-node counter off.
std::size_t heap_in_use() {
#if defined(__GLIBC__)
  return mallinfo2().uordblks;
#else
  return 0;
#endif
}

void report_per_node(benchmark::State& state, const SnapshotResult& snap, std::size_t text_bytes,
                     std::size_t heap_before, std::size_t heap_after) {
  const double nodes = static_cast<double>(count_nodes(snap.state.root));
  state.counters["nodes"] = nodes;
  state.counters["text_bytes_per_node"] = static_cast<double>(text_bytes) / nodes;
  if (heap_after > heap_before) {
    state.counters["tree_heap_bytes_per_node"] = static_cast<double>(heap_after - heap_before) / nodes;
  }
}

void BM_SyntheticSnapshot(benchmark::State& state) {
  Counters counters;
  Injector injector({}, counters);
  BackendOptions o;
  o.tree_nodes = static_cast<std::size_t>(state.range(0));
  SyntheticBackend backend(o, counters, injector);
  std::size_t text_bytes = 0;
  for (auto _ : state) {
    auto snap = backend.snapshot(false);
    if (!snap) {
      state.SkipWithError(snap.error().describe().c_str());
      return;
    }
    text_bytes = render_snapshot_text(snap->state).size();
    benchmark::DoNotOptimize(text_bytes);
  }
  const std::size_t before = heap_in_use();
  auto kept = backend.snapshot(false);
  const std::size_t after = heap_in_use();
  if (kept) report_per_node(state, *kept, text_bytes, before, after);
}
BENCHMARK(BM_SyntheticSnapshot)->Arg(600)->Arg(5000)->Unit(benchmark::kMillisecond);

#if defined(AXREF_WITH_ATSPI)
constexpr const char* kApp = "gtk3-widget-factory";

// The backend of the whole run: libatspi is initialised once per process anyway.
struct AtspiFixture {
  Counters counters;
  Injector injector{{}, counters};
  std::unique_ptr<Backend> backend;
  std::string error;
  AtspiFixture() {
    if (std::getenv("DBUS_SESSION_BUS_ADDRESS") == nullptr) {
      error = "no D-Bus session (run under ci/atspi-session)";
      return;
    }
    auto made = make_atspi_backend({}, counters, injector);
    if (!made) {
      error = made.error().describe();
      return;
    }
    backend = std::move(*made);
    if (auto ok = backend->app({"switch", kApp, {}, {}}); !ok) {
      error = ok.error().describe();
      backend.reset();
    }
  }
};

AtspiFixture& atspi() {
  static AtspiFixture fixture;
  return fixture;
}

void BM_AtspiSnapshot(benchmark::State& state) {
  auto& f = atspi();
  if (!f.backend) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  std::size_t text_bytes = 0;
  for (auto _ : state) {
    auto snap = f.backend->snapshot(false);
    if (!snap) {
      state.SkipWithError(snap.error().describe().c_str());
      return;
    }
    text_bytes = render_snapshot_text(snap->state).size();
    benchmark::DoNotOptimize(text_bytes);
  }
  const std::size_t before = heap_in_use();
  auto kept = f.backend->snapshot(false);
  const std::size_t after = heap_in_use();
  if (kept) report_per_node(state, *kept, text_bytes, before, after);
}
BENCHMARK(BM_AtspiSnapshot)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Runs pyatspi_walk.py for `walks` walks; its JSON line, or empty on failure.
nlohmann::json run_pyatspi(int walks) {
  const std::string cmd = std::string("/usr/bin/python3 ") + MCPLEAK_SOURCE_DIR +
                          "/bench/pyatspi_walk.py " + kApp + " " + std::to_string(walks);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return {};
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe.get()) != nullptr) out += buf.data();
  return nlohmann::json::parse(out, nullptr, false);
}

// The walk alone (no text rendering), C++ against pyatspi on the same tree in the same
// session. Reports both per-walk times and python_over_cpp.
void BM_AtspiWalkVsPyatspi(benchmark::State& state) {
  auto& f = atspi();
  if (!f.backend) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  std::size_t nodes = 0;
  for (auto _ : state) {
    auto snap = f.backend->snapshot(false);
    if (!snap) {
      state.SkipWithError(snap.error().describe().c_str());
      return;
    }
    nodes = count_nodes(snap->state.root);
  }
  // Time a fixed number of walks with a plain clock, as the python side does. The C++
  // figure includes what a Snapshot adds to the walk (listing the bus's applications).
  const int walks = 20;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < walks; ++i) benchmark::DoNotOptimize(f.backend->snapshot(false));
  const double cpp_per_walk =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / walks;
  const auto py = run_pyatspi(walks);
  if (!py.is_object() || !py.contains("seconds_per_walk")) {
    state.SkipWithError("pyatspi_walk.py failed");
    return;
  }
  const double py_per_walk = py["seconds_per_walk"].get<double>();
  state.counters["nodes_cpp"] = static_cast<double>(nodes);
  state.counters["nodes_py"] = py["nodes"].get<double>();
  state.counters["cpp_ms_per_walk"] = cpp_per_walk * 1e3;
  state.counters["py_ms_per_walk"] = py_per_walk * 1e3;
  state.counters["python_over_cpp"] = py_per_walk / cpp_per_walk;
}
BENCHMARK(BM_AtspiWalkVsPyatspi)->Unit(benchmark::kMillisecond)->Iterations(3);
#endif

}  // namespace
