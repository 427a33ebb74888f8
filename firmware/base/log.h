// Structured logs: one line per event on stderr, logfmt style
// (`ts=… level=info comp=store msg="…" key=value`), which journald collects
// on a device and which grep and tests can read.
//
// Never pass a resident's full name or ID number here: use the masked forms
// from domain/masking.h.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace bianmin::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

struct Field {
  std::string_view key;
  std::string value;
  Field(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>
  Field(std::string_view k, N v) : key(k), value(std::to_string(v)) {}
};

void set_level(Level level);
Level level();
// Parses "debug", "info", "warn", "error", "off".
bool parse_level(std::string_view text, Level* out);

// Where lines go; tests capture them. Default: stderr.
using Sink = void (*)(std::string_view line);
void set_sink(Sink sink);

// One event with its parts kept apart, for a destination that stores fields
// (the journal: base/journal_sink.h). `line` is the logfmt line the plain
// sink would have written.
struct Record {
  Level level;
  std::string_view component;
  std::string_view message;
  std::initializer_list<Field> fields;
  std::string_view line;
};
using RecordSink = void (*)(const Record& record);
// Takes precedence over the line sink while set; nullptr goes back to it.
void set_record_sink(RecordSink sink);

void write(Level level, std::string_view component, std::string_view message,
           std::initializer_list<Field> fields = {});

inline void debug(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) { write(Level::debug, c, m, f); }
inline void info(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) { write(Level::info, c, m, f); }
inline void warn(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) { write(Level::warn, c, m, f); }
inline void error(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) { write(Level::error, c, m, f); }

// Quotes a value for logfmt when needed; control characters are escaped so a
// hostile string can never forge a second log line.
std::string quote(std::string_view value);

}  // namespace bianmin::log
