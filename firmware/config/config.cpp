#include "config/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <optional>
#include <sstream>

#include "base/fs.h"
#include "base/log.h"
#include "crypto/suite.h"

namespace bianmin::config {
namespace {

using namespace std::string_literals;

const std::vector<SettingInfo> kSettings = {
    {"terminal.data_dir", "/var/lib/bianmin"s,
     "Directory of the store (bianmin.db), material blobs and, by default, the device key."},
    {"terminal.key_file", ""s, "Device key path; empty means <data_dir>/device.key. Created 0600."},
    {"terminal.crypto_suite", "standard"s,
     "standard (AES-256-GCM, SHA-256) or gm (SM4-CTR + HMAC-SM3, SM3). Fixed at first start."},
    {"terminal.code", "K00"s,
     "Short terminal code used in receipt numbers (K03-20261122-0042); set by enrolment."},
    {"terminal.hall_name", ""s, "Name of the hall printed on receipts; set by enrolment."},
    {"terminal.channel", "kiosk"s, "kiosk (self-service) or window (counter terminal)."},
    {"terminal.timezone", "Asia/Shanghai"s,
     "Time zone of receipts, receipt numbers and timestamps (tzdata name); empty: the system's."},
    {"log.level", "info"s, "debug, info, warn, error or off."},
    {"store.busy_timeout_ms", int64_t{5000},
     "How long a writer waits for the other process (kiosk or syncd) to finish its transaction."},
    {"store.min_free_mb", int64_t{64},
     "Submissions are refused with a clear message when less space than this is free."},
    {"catalog.search_limit", int64_t{50}, "Most items a catalogue search returns."},
    {"receipt.query_url", "https://zwfw.example.gov.cn/q/{receipt_no}?t={token}"s,
     "Receipt QR payload; {receipt_no} and {token} are filled in. Set by enrolment."},
    {"devices.idcard", ""s,
     "ID-card reader: serial:PATH[@BAUD] or usb[:VID:PID]; empty: none fitted. "
     "Used by the kiosk and by `idcard` commands given no --idcard/--device."},
    {"devices.printer", ""s,
     "Receipt printer: usb[:VID:PID], dev:/dev/usb/lp0, tcp:HOST:PORT; empty: none fitted. "
     "Used by the kiosk and by `print` commands given no --printer."},
    {"devices.camera", ""s,
     "Document camera: v4l2:/dev/videoN; empty: none fitted. Used by the kiosk and by `scan` given no --camera."},
    {"devices.scanner", ""s,
     "Code scanner: evdev:PATH, hidraw:PATH or serial:PATH[@BAUD]; empty: none fitted. "
     "Used by the kiosk and by `scan code` given no --scanner."},
    {"devices.document_scanner", ""s,
     "Document scanner (flatbed or sheet-fed) through SANE: sane:DEVICE as `scanimage -L` names it; empty: none "
     "fitted. Used by `scan page` given neither --camera nor --sane when no camera is set."},
    {"document_scanner.source", "adf"s,
     "Where the counter's document scanner takes pages from: adf (the feeder, until it is empty or max_pages) or flatbed."},
    {"document_scanner.dpi", int64_t{300}, "Scan resolution of the document scanner (pages are then cleaned up and "
                                           "encoded to the size budget as camera pages are)."},
    {"document_scanner.mode", "colour"s, "colour or grey."},
    {"document_scanner.max_pages", int64_t{0}, "Most pages one feeder scan takes; 0: until the feeder is empty."},
    {"printer.width_dots", int64_t{384}, "Printable width of the receipt printer in dots: 384 (58 mm), 576 (80 mm)."},
    {"printer.font_set", "gb18030-2byte"s,
     "The printer's resident Chinese font: gb2312, gbk or gb18030-2byte; characters it lacks are printed as raster."},
    {"printer.native_qr", true, "Print the receipt QR with the printer's GS ( k; false: as a raster image."},
    {"queue.lines", "A:综合受理"s,
     "The hall's service lines for queue tickets (排队取号), ';'-separated LETTER:NAME[:WHAT,…], WHAT a category "
     "(行政许可 or licensing) or an item code; none listed: every item. Empty: no queue tickets. E.g. \"A:综合受理;B:社保医保:行政给付\"."},
    {"queue.host", ""s,
     "Where the hall's tickets are kept when another terminal keeps them: https://HOST:PORT of that terminal's "
     "queue.listen (hall LAN, mutual TLS with both terminals' enrolment certificates). Empty: this terminal keeps them."},
    {"queue.host_terminal", ""s,
     "The terminal id (e.g. 620702-001-K01) of the terminal at queue.host: its certificate must name it."},
    {"queue.listen", ""s,
     "HOST:PORT where syncd serves this terminal's tickets to the hall's other terminals (e.g. 0.0.0.0:8471); "
     "empty: not served."},
    {"queue.clients", ""s,
     "The terminal ids, comma-separated, allowed to use the tickets served at queue.listen (the hall's kiosks and "
     "counters). Their certificates must come from this terminal's central."},
    {"counter.window_no", "1"s, "This counter's window number, as residents are called to it (请 A023 号到 3 号窗口)."},
    {"counter.lines", ""s, "The service lines this window calls, e.g. \"A,B\"; empty: every line of queue.lines."},
    {"counter.idle_lock_s", int64_t{180}, "The counter locks itself (and forgets the applicant) after this idle time."},
    {"voice.mode", "elder"s,
     "Voice guidance (spoken prompts, eSpeak NG): off, elder (on in elder mode; the default) or always. The "
     "resident's speaker button overrides it for their session; ticket calls at a counter follow it unless off."},
    {"voice.volume", int64_t{80}, "Loudness of voice guidance, 0–100 % of full scale."},
    {"voice.rate", int64_t{175}, "Speaking rate in words per minute (80–450; 175 is eSpeak NG's normal pace, already unhurried in Mandarin)."},
    {"voice.quiet_hours", ""s, "HH:MM-HH:MM when guidance is off unless a resident turns it on, e.g. 22:00-07:00."},
    {"service.export_dir", ""s,
     "Where service mode exports logs; empty: the first USB stick mounted under /media or /run/media."},
    {"terminal.serial", ""s, "Hardware serial sent at enrolment; empty: /etc/machine-id."},
    {"terminal.model", "bianmin-kiosk"s, "Hardware model sent at enrolment."},
    {"sync.central_url", ""s,
     "Base URL of the central (https://host:port); empty: the one this terminal was enrolled with."},
    {"sync.chunk_bytes", int64_t{1048576},
     "Blob upload chunk: bytes per PATCH, and the most a cut connection makes the terminal send again."},
    {"sync.update_chunk_bytes", int64_t{33554432},
     "System update download: bytes per Range request, and the most a cut connection makes the terminal fetch again."},
    {"sync.backoff_base_ms", int64_t{1000}, "First retry delay after a failure; doubles per failure (full jitter)."},
    {"sync.backoff_cap_s", int64_t{300}, "Longest retry delay after repeated failures (full jitter below it)."},
    {"sync.online_jitter_ms", int64_t{250},
     "Random delay before draining when the network returns; the offline probe's random moments spread a fleet already."},
    {"sync.probe_online_ms", int64_t{120000},
     "Health probe interval while the central is reachable (a failed call of any lane probes at once)."},
    {"sync.probe_offline_ms", int64_t{2000},
     "Mean health probe interval while it is not (each one at a random moment of [P/2, 3P/2])."},
    {"sync.idle_poll_s", int64_t{30}, "Outbox rescan interval when nothing wakes the daemon."},
    {"sync.catalog_interval_s", int64_t{3600}, "Catalogue check interval (If-None-Match; cheap when unchanged)."},
    {"sync.status_interval_s", int64_t{600}, "Progress polling interval for delivered applications not yet final."},
    {"sync.feedback_interval_s", int64_t{60}, "Ratings and complaints rescan interval."},
    {"sync.audit_interval_s", int64_t{300}, "Audit chain upload interval."},
    {"sync.heartbeat_interval_s", int64_t{300}, "Heartbeat interval."},
    {"sync.connect_timeout_s", int64_t{5}, "TCP + TLS connect timeout."},
    {"sync.stall_timeout_s", int64_t{30}, "A transfer that moves no byte for this long is abandoned and retried."},
    {"sync.retention_days", int64_t{180},
     "Delivered applications with a final status keep their sealed data and blobs this many days; "
     "their audit entries and receipt numbers stay. 0 keeps everything."},
};

const SettingInfo* find(std::string_view name) {
  for (const auto& s : kSettings)
    if (s.name == name) return &s;
  return nullptr;
}

const char* type_name(const Value& v) {
  return std::holds_alternative<bool>(v) ? "boolean"
         : std::holds_alternative<int64_t>(v) ? "integer"
                                               : "string";
}

// toml++ 3.3 recurses once per level of a dotted key or table header while
// parsing (and again when the tables are destroyed): one 200 KB line of
// "a.a.a…" overflows the stack and kills every command that reads the
// configuration (found by fuzz_config_toml). Its own limit,
// TOML_MAX_NESTED_VALUES, bounds only arrays and inline tables. Our
// settings are section.key, so a line with more than kMaxDotsPerLine dots
// outside strings and comments is refused before toml++ sees it; the dots
// of floats and times count too, which no setting needs. Returns the line.
constexpr int kMaxDotsPerLine = 64;
std::optional<std::size_t> line_with_too_many_dots(std::string_view text) {
  enum class In { code, comment, basic, literal, ml_basic, ml_literal } in = In::code;
  std::size_t line = 1;
  int dots = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto starts = [&](std::string_view s) { return text.substr(i, s.size()) == s; };
    if (c == '\n') {
      ++line;
      dots = 0;
      if (in != In::ml_basic && in != In::ml_literal) in = In::code;  // comments and one-line strings end
      continue;
    }
    switch (in) {
      case In::code:
        if (c == '.' && ++dots > kMaxDotsPerLine) return line;
        if (c == '#') {
          in = In::comment;
        } else if (starts(R"(""")") || starts("'''")) {
          in = c == '"' ? In::ml_basic : In::ml_literal;
          i += 2;
        } else if (c == '"') {
          in = In::basic;
        } else if (c == '\'') {
          in = In::literal;
        }
        break;
      case In::basic:
      case In::ml_basic:
        // An escaped character cannot end the string (a line-ending
        // backslash still ends the line).
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') ++i;
        else if (in == In::basic && c == '"') in = In::code;
        else if (in == In::ml_basic && starts(R"(""")")) in = In::code, i += 2;
        break;
      case In::literal:
        if (c == '\'') in = In::code;
        break;
      case In::ml_literal:
        if (starts("'''")) in = In::code, i += 2;
        break;
      case In::comment: break;
    }
  }
  return std::nullopt;
}

}  // namespace

const std::vector<SettingInfo>& settings() { return kSettings; }

std::string to_string(const Value& v) {
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return std::get<std::string>(v);
}

Config::Config() {
  for (const auto& s : kSettings) {
    values_.emplace(std::string(s.name), s.default_value);
    origin_.emplace(std::string(s.name), "default");
  }
}

Status Config::check(const SettingInfo& info, const Value& v) const {
  if (v.index() != info.default_value.index())
    return make_error("config_invalid", std::string(info.name) + " must be a " +
                                            type_name(info.default_value) + ", got a " + type_name(v));
  const std::string name(info.name);
  if (name == "terminal.crypto_suite" && !crypto::parse_suite(std::get<std::string>(v)))
    return make_error("config_invalid", name + " must be \"standard\" or \"gm\"");
  if (name == "terminal.channel") {
    const auto& c = std::get<std::string>(v);
    if (c != "kiosk" && c != "window")
      return make_error("config_invalid", name + " must be \"kiosk\" or \"window\"");
  }
  if (name == "log.level") {
    log::Level l;
    if (!log::parse_level(std::get<std::string>(v), &l))
      return make_error("config_invalid", name + " must be debug, info, warn, error or off");
  }
  if (name == "printer.width_dots" && (std::get<int64_t>(v) < 96 || std::get<int64_t>(v) > 4096))
    return make_error("config_invalid", name + " must be between 96 and 4096");
  if (name == "printer.font_set") {
    const auto& f = std::get<std::string>(v);
    if (f != "gb2312" && f != "gbk" && f != "gb18030-2byte")
      return make_error("config_invalid", name + " must be gb2312, gbk or gb18030-2byte");
  }
  if (name == "terminal.data_dir" && std::get<std::string>(v).empty())
    return make_error("config_invalid", name + " must not be empty");
  if (auto* i = std::get_if<int64_t>(&v); i && *i < 0)
    return make_error("config_invalid", name + " must not be negative");
  return {};
}

Status Config::set(std::string_view name, const Value& v) {
  const SettingInfo* info = find(name);
  if (!info) return make_error("config_invalid", "unknown setting " + std::string(name));
  BIANMIN_TRY(check(*info, v));
  values_.find(name)->second = v;
  return {};
}

Status Config::merge_toml(std::string_view text, std::string_view source,
                          std::vector<std::string>* warnings) {
  if (auto line = line_with_too_many_dots(text))
    return make_error("config_invalid", std::string(source) + ":" + std::to_string(*line) + ": more than " +
                                            std::to_string(kMaxDotsPerLine) + " dots: keys nested too deeply");
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    return make_error("config_invalid", msg.str());
  }
  for (auto&& [section_key, section_node] : root) {
    const std::string section(section_key.str());
    const toml::table* table = section_node.as_table();
    if (!table) {
      if (warnings) warnings->push_back(std::string(source) + ": ignoring top-level key " + section);
      continue;
    }
    for (auto&& [key, node] : *table) {
      const std::string name = section + "." + std::string(key.str());
      const auto line = std::to_string(node.source().begin.line);
      const SettingInfo* info = find(name);
      if (!info) {
        if (warnings) warnings->push_back(std::string(source) + ":" + line + ": unknown setting " + name + " ignored");
        continue;
      }
      Value v;
      // The node's own type first: toml++'s value<int64_t>() converts a
      // float such as 1.9e+26 to int64 with undefined behaviour (issue 13,
      // fuzz_config_toml), and a float setting is a type error anyway.
      if (const auto* b = node.as_boolean()) v = b->get();
      else if (const auto* i = node.as_integer()) v = i->get();
      else if (const auto* s = node.as_string()) v = s->get();
      else
        return make_error("config_invalid", std::string(source) + ":" + line + ": " + name +
                                                " has an unsupported type");
      Status st = set(name, v);
      if (!st) return make_error("config_invalid", std::string(source) + ":" + line + ": " + st.error().message);
      origin_[name] = std::string(source) + ":" + line;
    }
  }
  return {};
}

Status Config::merge_file(const std::string& path, std::vector<std::string>* warnings) {
  BIANMIN_ASSIGN(std::string text, fs::read_file(path, 1 << 20));
  return merge_toml(text, path, warnings);
}

Status Config::set_override(std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return make_error("config_invalid", "expected section.key=value, got " + std::string(assignment));
  const std::string name(assignment.substr(0, eq));
  const std::string text(assignment.substr(eq + 1));
  const SettingInfo* info = find(name);
  if (!info) return make_error("config_invalid", "unknown setting " + name);
  Value v;
  if (std::holds_alternative<bool>(info->default_value)) {
    if (text != "true" && text != "false")
      return make_error("config_invalid", name + " must be true or false");
    v = text == "true";
  } else if (std::holds_alternative<int64_t>(info->default_value)) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || p != text.data() + text.size())
      return make_error("config_invalid", name + " must be an integer, got " + text);
    v = n;
  } else {
    v = text;
  }
  BIANMIN_TRY(set(name, v));
  origin_[name] = "command line";
  return {};
}

const std::string& Config::str(std::string_view name) const {
  return std::get<std::string>(values_.find(name)->second);
}
int64_t Config::integer(std::string_view name) const {
  return std::get<int64_t>(values_.find(name)->second);
}
bool Config::boolean(std::string_view name) const {
  return std::get<bool>(values_.find(name)->second);
}

std::string Config::key_file() const {
  const std::string& k = str("terminal.key_file");
  return k.empty() ? data_dir() + "/device.key" : k;
}

std::vector<std::pair<std::string, std::string>> Config::describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : kSettings) {
    const std::string name(s.name);
    out.emplace_back(name, to_string(values_.find(name)->second) + "  (" + origin_.find(name)->second + ")");
  }
  return out;
}

}  // namespace bianmin::config
