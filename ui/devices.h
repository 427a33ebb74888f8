// The devices as the kiosk's shell uses them, opened from the --idcard,
// --printer, --camera and --scanner addresses:
//   ID-card reader   drivers/idcard ReaderService (wired in shell.cpp)
//   receipt printer  drivers/printer PrintSession (shell.cpp)
//   document camera  drivers/camera CameraService + page pipeline (here)
//   code scanner     drivers/scanner CodeScanner (here)
// In the simulated terminal the same drivers talk to their simulators.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "outbox/submit.h"
#include "workers.h"

namespace bianmin::ui {

class DocumentCamera {
 public:
  virtual ~DocumentCamera() = default;
  // One page: still → outline, perspective, light, size budget → JPEG.
  // Blocks (call on the camera worker).
  virtual Result<outbox::MaterialFile> capture(const std::string& material_id) = 0;
  // The newest preview frame, downscaled to RGB; false when none arrives in
  // `timeout` (or the camera is not streaming). Blocks up to `timeout`.
  virtual bool preview(PreviewFrame& out, std::chrono::milliseconds timeout) = 0;
  // "ok" while streaming, else "absent".
  virtual std::string state() const = 0;
};

// Null when `spec` is empty or not understood (logged).
std::unique_ptr<DocumentCamera> open_document_camera(const std::string& spec);

// Reads codes on its own thread and hands each raw payload to `sink`.
class CodeScannerService {
 public:
  virtual ~CodeScannerService() = default;
};
std::unique_ptr<CodeScannerService> open_code_scanner(const std::string& spec, std::function<void(std::string)> sink);

}  // namespace bianmin::ui
