// A heap buffer whose every page is written on creation, so it is dirty anonymous memory
// (RssAnon on Linux, phys_footprint on macOS), and whose size is added to a counter for
// as long as it lives. Observers and leaked records carry one.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace mcpleak::axref {

class TouchedBuffer {
 public:
  TouchedBuffer() = default;
  // Allocates `size_bytes` (0 allowed), writes every byte, adds size to *counter.
  TouchedBuffer(std::size_t size_bytes, std::atomic<std::int64_t>* counter);
  TouchedBuffer(TouchedBuffer&& other) noexcept;
  TouchedBuffer& operator=(TouchedBuffer&& other) noexcept;
  TouchedBuffer(const TouchedBuffer&) = delete;
  TouchedBuffer& operator=(const TouchedBuffer&) = delete;
  ~TouchedBuffer() { reset(); }

  std::size_t size_bytes() const { return size_; }
  void reset() noexcept;

 private:
  std::unique_ptr<std::byte[]> data_;
  std::size_t size_ = 0;
  std::atomic<std::int64_t>* counter_ = nullptr;
};

}  // namespace mcpleak::axref
