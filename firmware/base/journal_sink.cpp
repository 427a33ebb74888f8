#include "base/journal_sink.h"

#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/log.h"

namespace bianmin::log {
namespace {

// syslog priorities (RFC 5424), which the journal's PRIORITY field uses.
const char* priority(Level l) {
  switch (l) {
    case Level::debug: return "PRIORITY=7";
    case Level::info: return "PRIORITY=6";
    case Level::warn: return "PRIORITY=4";
    case Level::error: return "PRIORITY=3";
    case Level::off: break;
  }
  return "PRIORITY=6";
}

// Journal field names are upper-case letters, digits and underscores.
std::string field_name(std::string_view key) {
  std::string name = "BIANMIN_";
  for (char c : key) {
    if (c >= 'a' && c <= 'z') name += static_cast<char>(c - 'a' + 'A');
    else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) name += c;
    else name += '_';
  }
  return name;
}

void journal_record(const Record& r) {
  std::vector<std::string> parts;
  parts.reserve(5 + r.fields.size());
  // MESSAGE: the logfmt line without its timestamp (the journal has its own).
  std::string message = "MESSAGE=" + std::string(r.message);
  for (const Field& f : r.fields) message += " " + std::string(f.key) + "=" + quote(f.value);
  parts.push_back(std::move(message));
  parts.emplace_back(priority(r.level));
  parts.emplace_back("SYSLOG_IDENTIFIER=bianmin");
  parts.push_back("BIANMIN_COMPONENT=" + std::string(r.component));
  parts.push_back("BIANMIN_EVENT=" + std::string(r.message));
  for (const Field& f : r.fields) parts.push_back(field_name(f.key) + "=" + f.value);
  std::vector<iovec> iov;
  iov.reserve(parts.size());
  for (auto& p : parts) iov.push_back({p.data(), p.size()});
  // A journal that went away (stopped for an update) must not lose the event.
  if (sd_journal_sendv(iov.data(), static_cast<int>(iov.size())) < 0)
    std::fwrite(r.line.data(), 1, r.line.size(), stderr);
}

}  // namespace

bool use_journal_when_connected() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  if (static_cast<unsigned long long>(st.st_dev) != dev || static_cast<unsigned long long>(st.st_ino) != ino)
    return false;  // stderr was redirected by whoever started us: keep writing lines there
  set_record_sink(&journal_record);
  return true;
}

}  // namespace bianmin::log
