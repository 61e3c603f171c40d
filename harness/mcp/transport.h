// The seam between McpClient and how bytes reach the server: stdio (stdio_transport.h)
// or Streamable HTTP (http_transport.h).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "harness/result.h"

namespace mcpleak {

// Takes one incoming message; returns true when it answered a request the client was
// waiting for (HTTP uses that to tell an exchange that ended unanswered).
using MessageHandler = std::function<bool(std::string_view message)>;

class Transport {
 public:
  virtual ~Transport() = default;
  // Starts delivering incoming lines (from a reader thread) until the stream ends;
  // on_closed is called once with the reason ("server closed stdout", "line too long").
  virtual void start(MessageHandler on_line, std::function<void(std::string reason)> on_closed) = 0;
  // Sends one message (no newline). Safe to call from any thread.
  virtual Result<void> send(std::string_view message) = 0;
  // Stops the reader threads and waits for them; no callback runs after it returns.
  virtual void stop() = 0;
  // Messages dropped for being longer than the cap.
  virtual std::size_t oversized_lines() const = 0;

  // The protocol version initialize agreed on; HTTP repeats it on every later request.
  virtual void set_protocol_version(const std::string& /*version*/) {}
  // Whether a session can be closed and a new one opened (Streamable HTTP). Over stdio
  // the session is the process's lifetime.
  virtual bool supports_sessions() const { return false; }
  // Ends the current session (HTTP: DELETE with its Mcp-Session-Id); the next
  // initialize opens a new one.
  virtual Result<void> end_session() { return Error(Errc::usage, "this transport has no sessions"); }
  // Stops using the current session without closing it, as a client that just goes away
  // does; the next initialize opens a new one. The server may keep the old one forever.
  virtual void abandon_session() {}
};

}  // namespace mcpleak
