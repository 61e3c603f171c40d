// macOS heap(1) output (`heap PID`, `heap -s PID`): the live objects of a process
// counted per class — CoreFoundation types, Objective-C classes, C++ classes and
// untyped malloc blocks — with the binary that owns each class. Counting a class over
// time (AXObserver, AXUIElement…) is an object count of an unmodified server. Pure: the
// caller runs the tool.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

// One row of heap's "COUNT BYTES AVG CLASS_NAME TYPE BINARY" table.
struct HeapClass {
  std::string name;    // "AXObserver", "__NSCFString", "non-object", "std::__1::string"
  std::string kind;    // the TYPE column as printed: "CFType", "ObjC", "C++", "C", ""
  std::string binary;  // the BINARY column: "HIServices", "CoreFoundation", ""
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
};

struct HeapReport {
  std::string process;                       // "Python"
  pid_t pid = 0;                             // 0 when the header was not printed
  std::optional<std::uint64_t> total_nodes;  // "All zones: 123456 nodes (12345678 bytes)"
  std::optional<std::uint64_t> total_bytes;
  std::vector<HeapClass> classes;  // the first all-zones table, else every zone's table summed
                                   // by class; most numerous first (ties in the tool's order)
  std::size_t skipped_lines = 0;   // table lines that did not fit the columns, left out
};

// Reads the per-class tables ("COUNT  BYTES  AVG  CLASS_NAME  TYPE  BINARY", also the
// older layout without TYPE/BINARY, whose class names are kept whole). A class name
// wider than its column (MallocStackLogging's "malloc in <caller>") pushes TYPE and
// BINARY right; they are found from the end of the row. Noise before the header
// (MallocStackLogging lines, "Process:" blocks, "Found:" lines) is skipped. A row that
// does not fit is counted in skipped_lines and left out. Errc::parse when no table
// header or no row was readable.
Result<HeapReport> parse_heap(std::string_view text);

}  // namespace mcpleak
