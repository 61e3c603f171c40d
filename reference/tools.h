// The MCP tools axref serves (Snapshot, App, Wait, Diagnostics) with the argument schemas
// of CursorTouch/MacOS-MCP, on top of a Backend. Results are MCP CallToolResult objects;
// a failing tool is {isError:true, content:[text]}, never an exception.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reference/backend.h"
#include "reference/counters.h"
#include "reference/injection.h"

namespace mcpleak::axref {

class ToolBox {
 public:
  ToolBox(Backend& backend, Injector& injector, Counters& counters)
      : backend_(backend), injector_(injector), counters_(counters) {}

  // The tools/list result: {"tools":[{name, description, inputSchema}, ...]}.
  nlohmann::json list() const;
  bool has_tool(const std::string& name) const;
  // The tools/call result for a known tool; `arguments` may be null.
  nlohmann::json call(const std::string& name, const nlohmann::json& arguments);
  // Backend housekeeping between requests (see Backend::pump).
  void idle() { backend_.pump(); }

 private:
  nlohmann::json snapshot(const nlohmann::json& args);
  nlohmann::json app(const nlohmann::json& args);
  nlohmann::json wait(const nlohmann::json& args);
  nlohmann::json diagnostics();

  Backend& backend_;
  Injector& injector_;
  Counters& counters_;
};

nlohmann::json text_result(const std::string& text, bool is_error = false);

}  // namespace mcpleak::axref
