# axref benchmarks: Snapshot latency and footprint per node (synthetic, AT-SPI), and the
# AT-SPI walk against a pyatspi walk of the same app (bench/pyatspi_walk.py).
mcpleak_add_bench(bench_axref
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_axref.cpp
  LIBS axref_core)
