#include "harness/attribution/attribute_mode.h"

#include <string>

namespace mcpleak {

const char* attribute_mode_name(AttributeMode mode) {
  switch (mode) {
    case AttributeMode::off: return "off";
    case AttributeMode::automatic: return "auto";
    case AttributeMode::python: return "python";
    case AttributeMode::node: return "node";
    case AttributeMode::native: return "native";
    case AttributeMode::macos: return "macos";
  }
  return "off";
}

Result<AttributeMode> parse_attribute_mode(std::string_view text) {
  for (auto m : {AttributeMode::off, AttributeMode::automatic, AttributeMode::python, AttributeMode::node,
                 AttributeMode::native, AttributeMode::macos}) {
    if (text == attribute_mode_name(m)) return m;
  }
  return Error(Errc::usage, "--attribute takes auto, python, node, native, macos or off, got: " + std::string(text));
}

}  // namespace mcpleak
