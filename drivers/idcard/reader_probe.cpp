#include "idcard/reader_probe.h"

namespace bianmin::drivers::idcard {
namespace {

constexpr int kReaderAbsent = 4;

std::string upper_hex(const Bytes& bytes) {
  static const char* d = "0123456789ABCDEF";
  std::string hex;
  for (uint8_t b : bytes) {
    hex += d[b >> 4];
    hex += d[b & 15];
  }
  return hex;
}

}  // namespace

Result<std::unique_ptr<Transport>> open_reader(const std::string& device) {
  BIANMIN_ASSIGN(DeviceSpec spec, parse_device_spec(device));
  auto t = make_transport(spec);
  BIANMIN_TRY(t->open());
  return t;
}

ReaderProbe probe_reader(const std::string& device, SamReaderOptions options) {
  ReaderProbe p;
  auto t = open_reader(device);
  if (!t) {
    p.error = t.error();
    p.exit_code = kReaderAbsent;
    return p;
  }
  p.transport = (*t)->describe();
  SamReader sam(**t, options);
  Status st = sam.status_check();
  if (!st) {
    p.exit_code = exit_code_for(st.error());
    p.reader = p.exit_code == kReaderAbsent ? "not_answering" : "error";
    p.sam_status = st.error().code;
    p.error = st.error();
    return p;
  }
  p.reader = "ready";
  p.sam_status = "success";
  auto id = sam.sam_id();
  if (!id) {
    p.reader = "error";
    p.error = id.error();
    p.exit_code = exit_code_for(id.error());
    return p;
  }
  p.sam_id = upper_hex(*id);
  if (auto found = sam.find_card()) p.card_present = *found;
  return p;
}

}  // namespace bianmin::drivers::idcard
