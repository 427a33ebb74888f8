#include "devices.h"

#include <atomic>
#include <thread>

#include "base/bytes.h"
#include "base/log.h"
#include "camera/camera_service.h"
#include "camera/page_pipeline.h"
#include "scanner/code_scanner.h"

namespace bianmin::ui {
namespace {

namespace cam = drivers::camera;
namespace scan = drivers::scanner;

class Camera final : public DocumentCamera {
 public:
  explicit Camera(std::unique_ptr<cam::CameraSource> src) : service_(std::move(src)) { service_.start(); }
  ~Camera() override { service_.stop(); }

  Result<outbox::MaterialFile> capture(const std::string& material_id) override {
    BIANMIN_ASSIGN(cam::Frame still, service_.capture_still(std::chrono::seconds(8)));
    BIANMIN_ASSIGN(cam::Image rgb, cam::decode_frame(still, 3));
    secure_wipe(still.data);
    BIANMIN_ASSIGN(cam::Page page, cam::process_page(rgb));
    std::fill(rgb.px.begin(), rgb.px.end(), 0);
    outbox::MaterialFile f;
    f.material_id = material_id;
    f.bytes = std::move(page.bytes);
    f.mime = page.mime;
    f.pages = 1;
    std::fill(page.image.px.begin(), page.image.px.end(), 0);
    secure_wipe(page.thumbnail);
    return f;
  }

  bool preview(PreviewFrame& out, std::chrono::milliseconds timeout) override {
    auto f = service_.wait_frame(last_, timeout);
    if (!f) return false;
    last_ = f->sequence;
    // A quarter of the preview's size is plenty for a framing aid.
    auto im = cam::decode_frame(*f, 3, 4);
    if (!im) return false;
    out.width = im->width;
    out.height = im->height;
    out.rgb.assign(im->px.begin(), im->px.end());
    return true;
  }

  std::string state() const override {
    const auto st = service_.status().state;
    return st == cam::CameraState::streaming ? "ok" : st == cam::CameraState::starting ? "starting" : "absent";
  }

 private:
  cam::CameraService service_;
  uint64_t last_ = 0;
};

class Scanner final : public CodeScannerService {
 public:
  Scanner(std::unique_ptr<scan::CodeScanner> s, std::function<void(std::string)> sink)
      : scanner_(std::move(s)), sink_(std::move(sink)), thread_([this] { run(); }) {}
  ~Scanner() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    scanner_->close();
  }

 private:
  void run() {
    bool open = false;
    while (!stop_) {
      if (!open) {
        open = static_cast<bool>(scanner_->open());
        if (!open) {
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
          continue;
        }
      }
      auto code = scanner_->next(std::chrono::milliseconds(300));
      if (!code) {
        log::warn("ui", "scanner", {{"error", code.error().code}});
        scanner_->close();
        open = false;
        continue;
      }
      if (*code) {
        sink_(std::move((*code)->bytes));
      }
    }
  }
  std::unique_ptr<scan::CodeScanner> scanner_;
  std::function<void(std::string)> sink_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

std::unique_ptr<DocumentCamera> open_document_camera(const std::string& spec) {
  if (spec.empty()) {
    log::warn("ui", "no document camera configured (devices.camera or --camera): material capture unavailable");
    return nullptr;
  }
  auto parsed = cam::parse_camera_spec(spec);
  if (!parsed) {
    log::error("ui", "bad --camera", {{"error", parsed.error().message}});
    return nullptr;
  }
  return std::make_unique<Camera>(cam::make_camera(*parsed, cam::CameraOptions{}));
}

std::unique_ptr<CodeScannerService> open_code_scanner(const std::string& spec, std::function<void(std::string)> sink) {
  if (spec.empty()) {
    log::warn("ui", "no code scanner configured (devices.scanner or --scanner): receipt numbers can be typed");
    return nullptr;
  }
  auto parsed = scan::parse_scanner_spec(spec);
  if (!parsed) {
    log::error("ui", "bad --scanner", {{"error", parsed.error().message}});
    return nullptr;
  }
  return std::make_unique<Scanner>(scan::make_scanner(*parsed, scan::ScannerOptions{}), std::move(sink));
}

}  // namespace bianmin::ui
