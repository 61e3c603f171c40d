#include "reference/touched_buffer.h"

#include <cstring>
#include <utility>

namespace mcpleak::axref {

TouchedBuffer::TouchedBuffer(std::size_t size_bytes, std::atomic<std::int64_t>* counter)
    : size_(size_bytes), counter_(counter) {
  if (size_ > 0) {
    data_.reset(new std::byte[size_]);
    // A non-zero pattern: the pages must be dirty, not shared zero pages.
    std::memset(data_.get(), 0xA5, size_);
  }
  if (counter_ != nullptr) counter_->fetch_add(static_cast<std::int64_t>(size_));
}

TouchedBuffer::TouchedBuffer(TouchedBuffer&& other) noexcept
    : data_(std::move(other.data_)),
      size_(std::exchange(other.size_, 0)),
      counter_(std::exchange(other.counter_, nullptr)) {}

TouchedBuffer& TouchedBuffer::operator=(TouchedBuffer&& other) noexcept {
  if (this != &other) {
    reset();
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    counter_ = std::exchange(other.counter_, nullptr);
  }
  return *this;
}

void TouchedBuffer::reset() noexcept {
  if (counter_ != nullptr) counter_->fetch_sub(static_cast<std::int64_t>(size_));
  counter_ = nullptr;
  data_.reset();
  size_ = 0;
}

}  // namespace mcpleak::axref
