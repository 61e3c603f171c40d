// Server-sent events (text/event-stream) decoding, as MCP's Streamable HTTP transport
// uses it: a POST's response may be a stream of events whose `data` is one JSON-RPC
// message each. Pure: bytes in, event data out. cpp-httplib 0.11 speaks HTTP but has
// no SSE client, and the framing is small and exactly specified (WHATWG HTML,
// "Parsing an event stream").
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace mcpleak {

class SseDecoder {
 public:
  // An event whose data grows beyond `max_event_bytes` is dropped and counted, so a
  // server that streams an endless event cannot make mcpleak's memory grow unbounded.
  explicit SseDecoder(std::size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

  // Feeds bytes as they arrive (any chunking). Calls on_data once per complete event
  // that has data: the data lines joined with '\n'. Comments, `id:`, `retry:` and
  // `event:` lines are accepted and not reported. An event cut off by the end of the
  // stream is discarded, as the standard says.
  void feed(std::string_view bytes, const std::function<void(std::string_view)>& on_data);
  std::size_t oversized_events() const { return oversized_events_; }
  std::size_t events() const { return events_; }

 private:
  void line(std::string_view text, const std::function<void(std::string_view)>& on_data);

  std::size_t max_event_bytes_;
  std::string partial_line_;
  std::string data_;
  bool has_data_ = false;
  bool discarding_ = false;   // the current event is too large: skip to its blank line
  bool after_cr_ = false;     // the last byte was '\r': a following '\n' ends no new line
  std::size_t oversized_events_ = 0;
  std::size_t events_ = 0;
};

}  // namespace mcpleak
