# Probe benchmarks (included by bench/CMakeLists.txt). bench_probe times one sampler tick
# on a live 3-process tree and a 30-process browser-shaped tree: before, now, and ps.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  mcpleak_add_bench(bench_probe
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_probe_linux.cpp
    LIBS mcpleak_probes mcpleak_sampler)
endif()
