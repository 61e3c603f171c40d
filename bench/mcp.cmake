# MCP driver benchmarks (included by bench/CMakeLists.txt): one tools/call round trip
# against the real test server over stdio, and line framing + classification of a 1 MB line.
mcpleak_add_bench(bench_mcp
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_mcp.cpp
  LIBS mcpleak_runner)
# The round trip spawns tests/servers/mcp_test_server; build it with the bench.
if(TARGET mcp_test_server)
  add_dependencies(bench_mcp mcp_test_server)
endif()
