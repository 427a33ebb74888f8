#include "crypto/file_digest.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/bytes.h"
#include "base/fs.h"
#include "crypto/suite.h"

namespace bianmin::crypto {

Result<std::string> sha256_hex_of_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fs::errno_error("open", path);
  Hasher h(Suite::standard);
  std::string buf(1 << 16, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fs::errno_error("read", path, err);
    }
    if (n == 0) break;
    h.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  }
  ::close(fd);
  const Digest d = h.finish();
  return to_hex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

}  // namespace bianmin::crypto
