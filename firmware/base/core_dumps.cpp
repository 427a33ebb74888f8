#include "base/core_dumps.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace bianmin {

Status forbid_core_dumps() {
  const rlimit none{0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0)
    return make_error("core_dumps", std::string("setrlimit(RLIMIT_CORE): ") + std::strerror(errno));
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    return make_error("core_dumps", std::string("prctl(PR_SET_DUMPABLE): ") + std::strerror(errno));
  return {};
}

}  // namespace bianmin
