#include "plugged_devices.h"

#include <algorithm>
#include <filesystem>

namespace bianmin::ui {
namespace {

namespace fs = std::filesystem;

// Nodes in `dir` whose names start with one of `prefixes`, sorted.
std::vector<std::string> nodes(const std::string& dir, std::initializer_list<const char*> prefixes) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    for (const char* p : prefixes)
      if (name.rfind(p, 0) == 0) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void add(std::vector<std::string>& to, const std::string& spec) {
  if (!spec.empty() && std::find(to.begin(), to.end(), spec) == to.end()) to.insert(to.begin(), spec);
}

}  // namespace

session::DeviceChoices plugged_devices(const std::string& dev_root, const session::DeviceChoices& current) {
  session::DeviceChoices c;
  const auto serial = nodes(dev_root, {"ttyUSB", "ttyACM"});
  // ID-card readers: on a USB serial adapter, or USB bulk (the driver's
  // VID:PID list finds the known ones).
  for (const auto& s : serial) c.idcard.push_back("serial:" + s);
  c.idcard.push_back("usb");
  // Printers: the USB printer class (libusb), or usblp's node.
  c.printer.push_back("usb");
  for (const auto& n : nodes(dev_root + "/usb", {"lp"})) c.printer.push_back("dev:" + n);
  for (const auto& n : nodes(dev_root, {"video"})) c.camera.push_back("v4l2:" + n);
  // Scanners: HID POS (hidraw), a keyboard wedge (evdev by-id names say
  // what they are), or a serial (CDC-ACM) scanner.
  for (const auto& n : nodes(dev_root, {"hidraw"})) c.scanner.push_back("hidraw:" + n);
  for (const auto& n : nodes(dev_root + "/input/by-id", {"usb-"}))
    if (n.size() > 4 && n.compare(n.size() - 4, 4, "-kbd") == 0) c.scanner.push_back("evdev:" + n);
  for (const auto& s : serial) c.scanner.push_back("serial:" + s);
  add(c.idcard, current.current_idcard);
  add(c.printer, current.current_printer);
  add(c.camera, current.current_camera);
  add(c.scanner, current.current_scanner);
  c.current_idcard = current.current_idcard;
  c.current_printer = current.current_printer;
  c.current_camera = current.current_camera;
  c.current_scanner = current.current_scanner;
  c.current_profile = current.current_profile;
  c.current_volume = current.current_volume;
  for (int v : {0, 20, 40, 60, 80, 100}) c.voice_volumes.push_back("voice.volume=" + std::to_string(v));
  // The [printer] settings a technician chooses between: paper width and
  // the printer's resident font.
  c.printer_profiles = {"printer.width_dots=384", "printer.width_dots=576", "printer.font_set=gb18030-2byte",
                        "printer.font_set=gbk", "printer.font_set=gb2312"};
  return c;
}

}  // namespace bianmin::ui
