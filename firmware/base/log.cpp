#include "base/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "base/time.h"

namespace bianmin::log {
namespace {

std::atomic<Level> g_level{Level::info};

void stderr_sink(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stderr);
}
std::atomic<Sink> g_sink{&stderr_sink};
std::atomic<RecordSink> g_record_sink{nullptr};
std::mutex g_write_mutex;

const char* level_name(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    case Level::off: return "off";
  }
  return "?";
}

}  // namespace

void set_level(Level l) { g_level = l; }
Level level() { return g_level; }

bool parse_level(std::string_view text, Level* out) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error, Level::off}) {
    if (text == level_name(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

void set_sink(Sink sink) { g_sink = sink ? sink : &stderr_sink; }
void set_record_sink(RecordSink sink) { g_record_sink = sink; }

std::string quote(std::string_view v) {
  bool needs = v.empty();
  for (unsigned char c : v) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) needs = true;
  }
  if (!needs) return std::string(v);
  std::string out = "\"";
  for (unsigned char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

void write(Level l, std::string_view component, std::string_view message,
           std::initializer_list<Field> fields) {
  if (l < g_level.load()) return;
  std::string line;
  line.reserve(128);
  line += "ts=";
  line += time::now_rfc3339_millis();
  line += " level=";
  line += level_name(l);
  line += " comp=";
  line += quote(component);
  line += " msg=";
  line += quote(message);
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    line += quote(f.value);
  }
  line += '\n';
  std::lock_guard lock(g_write_mutex);
  if (RecordSink to_record = g_record_sink.load()) {
    to_record(Record{l, component, message, fields, line});
    return;
  }
  g_sink.load()(line);
}

}  // namespace bianmin::log
