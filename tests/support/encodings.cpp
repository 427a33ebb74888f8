#include "support/encodings.h"

#include <iconv.h>

namespace bianmin::testing {

std::string encode_as(std::string_view utf8, const char* charset) {
  iconv_t cd = ::iconv_open(charset, "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return {};
  // Four bytes per input byte is more than any of these encodings needs.
  std::string out(utf8.size() * 4 + 4, '\0');
  std::string in(utf8);
  char* src = in.data();
  char* dst = out.data();
  std::size_t src_left = in.size(), dst_left = out.size();
  const bool ok = ::iconv(cd, &src, &src_left, &dst, &dst_left) != static_cast<std::size_t>(-1) && src_left == 0;
  ::iconv_close(cd);
  if (!ok) return {};
  out.resize(out.size() - dst_left);
  return out;
}

}  // namespace bianmin::testing
