// Result<T> and Error: how expected failures (I/O, parse, protocol, timeout) travel up.
// A thin std::variant<T, Error> keeping to a subset of std::expected's API so a later
// switch to C++23 is a rename. Only harness/cli maps an Error to an exit code.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mcpleak {

enum class Errc { io, parse, protocol, timeout, server_exited, usage };

// "io", "parse", ...: the word printed between context and message.
const char* errc_name(Errc code);

struct Error {
  Errc code;
  std::string message;               // one line, lower case: "no RssAnon line"
  std::vector<std::string> context;  // appended on the way up: "/proc/4312/status", "pid 4312"

  Error(Errc c, std::string m) : code(c), message(std::move(m)) {}
  Error with(std::string frame) && {
    context.push_back(std::move(frame));
    return std::move(*this);
  }
  Error with(std::string frame) const& { return Error(*this).with(std::move(frame)); }
  // Outermost frame first: "pid 4312: /proc/4312/status: parse: no RssAnon line".
  std::string describe() const;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  explicit operator bool() const { return v_.index() == 0; }
  bool has_value() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}
  explicit operator bool() const { return !e_.has_value(); }
  bool has_value() const { return !e_.has_value(); }
  const Error& error() const { return *e_; }
  Error& error() { return *e_; }

 private:
  std::optional<Error> e_;
};

}  // namespace mcpleak
