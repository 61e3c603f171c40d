# bench_heapsnapshot (included by bench/CMakeLists.txt): one parse of a .heapsnapshot per
# process, for bench/heapsnapshot to compare time and peak memory of the ways to read it.
add_executable(bench_heapsnapshot ${CMAKE_CURRENT_LIST_DIR}/bench_heapsnapshot.cpp)
target_link_libraries(bench_heapsnapshot PRIVATE mcpleak_attribution)
