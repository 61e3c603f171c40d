#include "harness/mcp/sse.h"

namespace mcpleak {

void SseDecoder::feed(std::string_view bytes, const std::function<void(std::string_view)>& on_data) {
  for (char c : bytes) {
    if (c == '\n' && after_cr_) {  // the '\n' of a "\r\n" split or not across chunks
      after_cr_ = false;
      continue;
    }
    after_cr_ = c == '\r';
    if (c == '\r' || c == '\n') {
      line(partial_line_, on_data);
      partial_line_.clear();
      continue;
    }
    if (discarding_) continue;
    if (partial_line_.size() + data_.size() >= max_event_bytes_) {
      discarding_ = true;
      ++oversized_events_;
      partial_line_.clear();
      partial_line_.shrink_to_fit();
      data_.clear();
      data_.shrink_to_fit();
      continue;
    }
    partial_line_.push_back(c);
  }
}

void SseDecoder::line(std::string_view text, const std::function<void(std::string_view)>& on_data) {
  if (text.empty()) {  // a blank line ends the event
    if (has_data_ && !discarding_) {
      ++events_;
      on_data(data_);
    }
    data_.clear();
    has_data_ = false;
    discarding_ = false;
    return;
  }
  if (discarding_ || text.front() == ':') return;  // comment or keep-alive
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field != "data") return;  // event, id, retry: MCP needs none of them here
  if (has_data_) data_.push_back('\n');
  data_.append(value);
  has_data_ = true;
}

}  // namespace mcpleak
