#include "scanner/serial_framer.h"

#include <cstdio>

namespace bianmin::drivers::scanner {

Result<Suffix> Suffix::parse(std::string_view t) {
  Suffix s;
  if (t == "none") s.kind = Kind::none;
  else if (t == "cr") s.kind = Kind::cr;
  else if (t == "lf") s.kind = Kind::lf;
  else if (t == "crlf") s.kind = Kind::crlf;
  else if (t == "tab") s.kind = Kind::tab;
  else if (t.size() == 4 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    unsigned v = 0;
    for (char c : t.substr(2)) {
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else return make_error("usage", "suffix: bad hex byte");
    }
    s.kind = Kind::byte;
    s.byte = static_cast<uint8_t>(v);
  } else {
    return make_error("usage", "suffix must be none, cr, lf, crlf, tab or 0xNN");
  }
  return s;
}

std::string Suffix::name() const {
  switch (kind) {
    case Kind::none: return "none";
    case Kind::cr: return "cr";
    case Kind::lf: return "lf";
    case Kind::crlf: return "crlf";
    case Kind::tab: return "tab";
    case Kind::byte: {
      char b[8];
      std::snprintf(b, sizeof b, "0x%02X", byte);
      return b;
    }
  }
  return "none";
}

std::string Suffix::bytes() const {
  switch (kind) {
    case Kind::none: return "";
    case Kind::cr: return "\r";
    case Kind::lf: return "\n";
    case Kind::crlf: return "\r\n";
    case Kind::tab: return "\t";
    case Kind::byte: return std::string(1, static_cast<char>(byte));
  }
  return "";
}

bool SerialFramer::is_end(unsigned char c) const {
  switch (suffix_.kind) {
    case Suffix::Kind::none: return false;
    case Suffix::Kind::cr:
    case Suffix::Kind::lf:
    case Suffix::Kind::crlf: return c == '\r' || c == '\n';
    case Suffix::Kind::tab: return c == '\t';
    case Suffix::Kind::byte: return c == suffix_.byte;
  }
  return false;
}

FramedCode SerialFramer::take(bool by_timeout) {
  FramedCode c{std::move(buf_), by_timeout, truncated_};
  buf_.clear();
  truncated_ = false;
  return c;
}

std::vector<FramedCode> SerialFramer::feed(std::string_view bytes, int64_t now_us) {
  std::vector<FramedCode> out;
  if (bytes.empty()) return out;
  if ((!buf_.empty() || truncated_) && now_us - last_us_ > timeout_us_) out.push_back(take(true));
  last_us_ = now_us;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_end(c)) {
      if (!buf_.empty() || truncated_) out.push_back(take(false));
      continue;  // CR then LF: the LF ends an empty code, which is none
    }
    if (buf_.size() >= max_) {
      truncated_ = true;
      continue;
    }
    buf_ += ch;
  }
  return out;
}

std::optional<FramedCode> SerialFramer::poll(int64_t now_us) {
  if (buf_.empty() && !truncated_) return std::nullopt;
  if (now_us - last_us_ < timeout_us_) return std::nullopt;
  return take(true);
}

std::optional<int64_t> SerialFramer::deadline_us() const {
  if (buf_.empty() && !truncated_) return std::nullopt;
  return last_us_ + timeout_us_;
}

}  // namespace bianmin::drivers::scanner
