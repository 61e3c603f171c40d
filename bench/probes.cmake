# Probe benchmarks (included by bench/CMakeLists.txt). bench_probe times one sample of a
# live 3-process tree through the Linux /proc probe against spawning ps for the same pids.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  mcpleak_add_bench(bench_probe
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_probe_linux.cpp
    LIBS mcpleak_probes)
endif()
