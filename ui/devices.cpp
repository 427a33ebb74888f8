#include "devices.h"

#include "base/log.h"

namespace bianmin::ui {

std::unique_ptr<DocumentCamera> open_document_camera(const std::string& spec) {
  log::warn("ui", "no document camera driver yet (drivers/camera, issue 5): material capture unavailable",
            {{"camera", spec.empty() ? "none" : spec}});
  return nullptr;
}

std::unique_ptr<CodeScanner> open_code_scanner(const std::string& spec, std::function<void(std::string)>) {
  log::warn("ui", "no code scanner service yet (drivers/scanner, issue 5): receipts can be typed",
            {{"scanner", spec.empty() ? "none" : spec}});
  return nullptr;
}

}  // namespace bianmin::ui
