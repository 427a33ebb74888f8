// The devices as the kiosk's shell uses them.
//
// ID-card reader and receipt printer: the drivers of issues 3 and 4
// (drivers/idcard ReaderService, drivers/printer PrintSession), opened from
// the --idcard and --printer addresses.
//
// Document camera and code scanner (issue 5): their drivers are not
// finished, so the kiosk declares here what it needs from them and, until
// an implementation exists, has none: capture answers "camera_absent" and
// the status bar says 高拍仪未连接. There is no fake device inside the UI.
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
  // One page as JPEG. Blocks (call on the camera worker).
  virtual Result<outbox::MaterialFile> capture(const std::string& material_id) = 0;
  // The latest preview frame, false when there is none. Never blocks.
  virtual bool preview(PreviewFrame& out) = 0;
};

// `spec` as given with --camera ("" = none). Null while drivers/camera has
// no implementation; the reason is logged once.
std::unique_ptr<DocumentCamera> open_document_camera(const std::string& spec);

// A code scanner delivers each code it read (raw text) to `sink` from its
// own thread. Null while drivers/scanner has no service for the kiosk.
class CodeScanner {
 public:
  virtual ~CodeScanner() = default;
};
std::unique_ptr<CodeScanner> open_code_scanner(const std::string& spec, std::function<void(std::string)> sink);

}  // namespace bianmin::ui
