// CFRef<T>: the one owner of a Core Foundation reference (CFTypeRef, AXUIElementRef,
// AXObserverRef, CGImageRef ...). Adopts a +1 reference (Create/Copy rule) or retains
// one it borrows (Get rule); CFRelease on destruction. Apple only.
#pragma once

#if defined(__APPLE__)
#include <CoreFoundation/CoreFoundation.h>

#include <utility>

namespace mcpleak::axref {

template <class T>
class CFRef {
 public:
  CFRef() = default;
  // Takes ownership of a reference returned by a Create/Copy function (may be null).
  static CFRef adopt(T ref) { return CFRef(ref); }
  // Retains a reference obtained under the Get rule (e.g. an element of a CFArray).
  static CFRef retain(T ref) {
    if (ref != nullptr) CFRetain(ref);
    return CFRef(ref);
  }
  CFRef(CFRef&& other) noexcept : ref_(std::exchange(other.ref_, nullptr)) {}
  CFRef& operator=(CFRef&& other) noexcept {
    if (this != &other) {
      reset();
      ref_ = std::exchange(other.ref_, nullptr);
    }
    return *this;
  }
  CFRef(const CFRef&) = delete;
  CFRef& operator=(const CFRef&) = delete;
  ~CFRef() { reset(); }

  T get() const { return ref_; }
  explicit operator bool() const { return ref_ != nullptr; }
  void reset() noexcept {
    if (ref_ != nullptr) CFRelease(ref_);
    ref_ = nullptr;
  }
  // For out-parameters of Copy functions: releases the current value first.
  T* out() {
    reset();
    return &ref_;
  }

 private:
  explicit CFRef(T ref) : ref_(ref) {}
  T ref_ = nullptr;
};

}  // namespace mcpleak::axref
#endif
