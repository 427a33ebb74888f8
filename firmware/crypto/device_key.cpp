#include "crypto/device_key.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include "base/fs.h"
#include "base/log.h"

namespace bianmin::crypto {

Result<std::string> load_or_create_device_key(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (fs::exists(path)) {
    if (auto tightened = fs::restrict_mode(path, 0600); tightened && *tightened)
      log::warn("crypto", "device key was readable by others; restricted to 0600", {{"path", path}});
    BIANMIN_ASSIGN(std::string key, fs::read_file(path, 4096));
    if (key.size() != 32)
      return make_error("key_invalid", "device key " + path + " has " + std::to_string(key.size()) +
                                           " bytes, expected 32; refusing to use or replace it");
    return key;
  }
  BIANMIN_TRY(fs::make_dirs(dir, 0700));
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), 32) != 1)
    return make_error("crypto_error", "no randomness for the device key");
  Status st = fs::create_durably(dir, dir, name, key, 0600);
  if (!st && st.error().code == "exists") return load_or_create_device_key(path);  // lost a race
  if (!st) return st.take_error();
  log::info("crypto", "created device key", {{"path", path}});
  return key;
}

}  // namespace bianmin::crypto
