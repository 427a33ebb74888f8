#include "update/rauc_client.h"

#include "update/sd_bus_util.h"

namespace bianmin::update {

namespace {

constexpr const char* kService = "de.pengutronix.rauc";
constexpr const char* kPath = "/";
constexpr const char* kIface = "de.pengutronix.rauc.Installer";

Error rauc_error(const char* call, const sd_bus_error& e, int r) {
  Error err = bus_error(call, e, r);
  if (e.name && std::strcmp(e.name, "org.freedesktop.DBus.Error.ServiceUnknown") == 0)
    err.code = "rauc_unavailable";
  return err;
}

Result<std::string> string_property(sd_bus* bus, const char* name) {
  BusError err;
  char* v = nullptr;
  if (int r = sd_bus_get_property_string(bus, kService, kPath, kIface, name, &err.e, &v); r < 0)
    return rauc_error(name, err.e, r);
  std::string out = v ? v : "";
  free(v);
  return out;
}

// Progress is (isi): percentage, message, nesting depth.
bool read_progress(sd_bus* bus, int& percent, std::string& step) {
  BusError err;
  sd_bus_message* raw = nullptr;
  if (sd_bus_get_property(bus, kService, kPath, kIface, "Progress", &err.e, &raw, "(isi)") < 0) return false;
  BusMessage m(raw);
  int32_t pct = 0, depth = 0;
  const char* msg = nullptr;
  if (sd_bus_message_read(m.get(), "(isi)", &pct, &msg, &depth) < 0) return false;
  percent = pct;
  step = msg ? msg : "";
  return true;
}

// One slot's a{sv}: the string values; others are skipped.
int read_slot_dict(sd_bus_message* m, RaucSlot& slot) {
  int r = sd_bus_message_enter_container(m, 'a', "{sv}");
  if (r < 0) return r;
  while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
    const char* key = nullptr;
    if ((r = sd_bus_message_read(m, "s", &key)) < 0) return r;
    const char* contents = nullptr;
    if ((r = sd_bus_message_peek_type(m, nullptr, &contents)) < 0) return r;
    if (contents && std::strcmp(contents, "s") == 0) {
      const char* v = nullptr;
      if ((r = sd_bus_message_read(m, "v", "s", &v)) < 0) return r;
      const std::string k = key, value = v ? v : "";
      if (k == "bootname") slot.bootname = value;
      else if (k == "state") slot.state = value;
      else if (k == "boot-status") slot.boot_status = value;
      else if (k == "bundle.version") slot.bundle_version = value;
      else if (k == "installed.timestamp") slot.installed_at = value;
    } else if ((r = sd_bus_message_skip(m, "v")) < 0) {
      return r;
    }
    if ((r = sd_bus_message_exit_container(m)) < 0) return r;
  }
  if (r < 0) return r;
  return sd_bus_message_exit_container(m);
}

struct Completion {
  bool done = false;
  int32_t result = -1;
};

int on_completed(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* c = static_cast<Completion*>(userdata);
  int32_t result = -1;
  if (sd_bus_message_read(m, "i", &result) >= 0) c->result = result;
  c->done = true;
  return 0;
}

}  // namespace

bool is_refusal(const std::string& m) {
  for (const char* s : {"signature", "Signature", "keyring", "certificate", "Compatible", "compatible", "bundle format",
                        "Invalid bundle", "not a valid", "Bundle format", "Failed to verify"})
    if (m.find(s) != std::string::npos) return true;
  return false;
}

Result<BundleInfo> Rauc::inspect(const std::string& bundle) {
  BusError err;
  sd_bus_message* raw = nullptr;
  if (int r = sd_bus_call_method(bus_.get(), kService, kPath, kIface, "Info", &err.e, &raw, "s", bundle.c_str()); r < 0) {
    Error e = rauc_error("RAUC", err.e, r);
    if (e.code != "rauc_unavailable") e.code = "refused";
    return e;
  }
  BusMessage m(raw);
  const char* compatible = nullptr;
  const char* version = nullptr;
  if (int r = sd_bus_message_read(m.get(), "ss", &compatible, &version); r < 0)
    return errno_bus_error("RAUC Info", r);
  return BundleInfo{compatible ? compatible : "", version ? version : ""};
}

Status Rauc::install(const std::string& bundle, std::chrono::seconds timeout,
                     const std::function<void(int, const std::string&)>& progress) {
  sd_bus* bus = bus_.get();
  Completion done;
  sd_bus_slot* match = nullptr;
  // Subscribed before the call, so a quick refusal's signal is not missed.
  if (int r = sd_bus_match_signal(bus, &match, kService, kPath, kIface, "Completed", on_completed, &done); r < 0)
    return errno_bus_error("subscribing to RAUC's Completed", r);
  std::unique_ptr<sd_bus_slot, decltype(&sd_bus_slot_unref)> match_guard(match, &sd_bus_slot_unref);
  {
    BusError err;
    sd_bus_message* call = nullptr;
    int r = sd_bus_message_new_method_call(bus, &call, kService, kPath, kIface, "InstallBundle");
    if (r < 0) return errno_bus_error("InstallBundle", r);
    BusMessage msg(call);
    if ((r = sd_bus_message_append(call, "s", bundle.c_str())) < 0 ||
        (r = sd_bus_message_open_container(call, 'a', "{sv}")) < 0 || (r = sd_bus_message_close_container(call)) < 0)
      return errno_bus_error("InstallBundle", r);
    if ((r = sd_bus_call(bus, call, 0, &err.e, nullptr)) < 0) {
      Error e = rauc_error("RAUC", err.e, r);
      if (e.code != "rauc_unavailable") e.code = is_refusal(e.message) ? "refused" : "install_failed";
      return e;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int last_percent = -1;
  std::string last_step;
  while (!done.done) {
    if (std::chrono::steady_clock::now() > deadline)
      return make_error("install_failed", "RAUC did not finish within " + std::to_string(timeout.count()) + " s");
    int r = sd_bus_process(bus, nullptr);
    if (r < 0) return errno_bus_error("waiting for RAUC", r);
    if (r > 0) continue;
    int percent = 0;
    std::string step;
    if (progress && read_progress(bus, percent, step) && (percent != last_percent || step != last_step)) {
      progress(percent, step);
      last_percent = percent;
      last_step = step;
    }
    sd_bus_wait(bus, 1000000);
  }
  if (done.result == 0) return {};
  auto last = string_property(bus, "LastError");
  const std::string why = last ? *last : "RAUC reported failure " + std::to_string(done.result);
  return make_error(is_refusal(why) ? "refused" : "install_failed", why);
}

Result<std::vector<RaucSlot>> Rauc::slots() {
  BusError err;
  sd_bus_message* raw = nullptr;
  if (int r = sd_bus_call_method(bus_.get(), kService, kPath, kIface, "GetSlotStatus", &err.e, &raw, ""); r < 0)
    return rauc_error("GetSlotStatus", err.e, r);
  BusMessage m(raw);
  std::vector<RaucSlot> out;
  int r = sd_bus_message_enter_container(m.get(), 'a', "(sa{sv})");
  while (r >= 0 && (r = sd_bus_message_enter_container(m.get(), 'r', "sa{sv}")) > 0) {
    RaucSlot slot;
    const char* name = nullptr;
    if ((r = sd_bus_message_read(m.get(), "s", &name)) < 0) break;
    slot.name = name ? name : "";
    if ((r = read_slot_dict(m.get(), slot)) < 0) break;
    if ((r = sd_bus_message_exit_container(m.get())) < 0) break;
    out.push_back(std::move(slot));
  }
  if (r < 0) return errno_bus_error("GetSlotStatus", r);
  return out;
}

Result<std::string> Rauc::boot_slot() { return string_property(bus_.get(), "BootSlot"); }

Status Rauc::mark(const std::string& state, const std::string& which) {
  BusError err;
  sd_bus_message* raw = nullptr;
  if (int r = sd_bus_call_method(bus_.get(), kService, kPath, kIface, "Mark", &err.e, &raw, "ss", state.c_str(),
                                 which.c_str());
      r < 0)
    return rauc_error("RAUC Mark", err.e, r);
  sd_bus_message_unref(raw);
  return {};
}

}  // namespace bianmin::update
