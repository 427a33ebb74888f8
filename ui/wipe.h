// Overwriting what held a resident's data before it is released (design
// invariant 2). Unlike a plain clear(), the whole capacity is overwritten:
// a shorter value assigned over a longer one leaves the tail in the buffer.
#pragma once

#include <openssl/crypto.h>

#include <string>
#include <vector>

namespace bianmin::ui {

inline void wipe(std::string& s) {
  s.resize(s.capacity());
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
  s.shrink_to_fit();
}

template <class T>
void wipe(std::vector<T>& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (v.capacity()) {
    v.resize(v.capacity());
    OPENSSL_cleanse(v.data(), v.size() * sizeof(T));
  }
  v.clear();
  v.shrink_to_fit();
}

}  // namespace bianmin::ui
