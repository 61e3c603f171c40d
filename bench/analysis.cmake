# harness/analysis: analyse() on a 30-minute run, interim looks on the first minute.
mcpleak_add_bench(bench_analysis SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bench_analysis.cpp
  LIBS mcpleak_analysis)
