#include "store/enrolled_settings.h"

namespace bianmin::store {

Result<std::string> enrolled_or_configured(Store& s, const config::Config& cfg, const std::string& key) {
  BIANMIN_ASSIGN(auto enrolled, s.setting(key));
  if (enrolled && !enrolled->empty()) return *enrolled;
  return cfg.str(key);
}

}  // namespace bianmin::store
