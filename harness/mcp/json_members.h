// Members of a server's JSON read without trusting their types. nlohmann's value() throws
// type_error when a member is present with another type; what a server sends is data,
// and a member of the wrong type reads as absent.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace mcpleak {

// j[key] when j is an object and the member is a string; else `fallback`.
inline std::string string_member(const nlohmann::json& j, const char* key, std::string fallback = "") {
  if (!j.is_object()) return fallback;
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// j[key] when j is an object and the member is a boolean; else `fallback`.
inline bool bool_member(const nlohmann::json& j, const char* key, bool fallback) {
  if (!j.is_object()) return fallback;
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace mcpleak
