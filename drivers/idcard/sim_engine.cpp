#include "idcard/sim_engine.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "base/bytes.h"
#include "idcard/card_text.h"

namespace bianmin::drivers::idcard {
namespace {

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::istringstream in{std::string(line)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::optional<long> number(const std::string& s, long lo, long hi) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<uint8_t> hex_byte(std::string_view s) {
  if (s.starts_with("0x") || s.starts_with("0X")) s.remove_prefix(2);
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (s.empty() || s.size() > 2 || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return static_cast<uint8_t>(v);
}

// "find", "read", "3001", "30", "any" → (cmd, para) filter.
bool command_filter(const std::string& s, std::optional<uint8_t>* cmd, std::optional<uint8_t>* para) {
  static const std::pair<const char*, CommandCode> kNames[] = {
      {"reset", {0x10, 0xFF}},  {"samstatus", {0x11, 0xFF}}, {"samid", {0x12, 0xFF}},
      {"find", {0x20, 0x01}},   {"select", {0x20, 0x02}},    {"read", {0x30, 0x01}},
      {"address", {0x30, 0x03}}, {"readfp", {0x30, 0x10}},   {"baud", {0x60, 0x00}}};
  if (s == "any" || s == "*") return true;
  for (const auto& [name, code] : kNames)
    if (s == name) {
      *cmd = code.cmd;
      if (code.cmd != 0x60) *para = code.para;
      return true;
    }
  if (s.size() == 2 || s.size() == 4) {
    auto c = hex_byte(std::string_view(s).substr(0, 2));
    if (!c) return false;
    *cmd = *c;
    if (s.size() == 4) {
      auto p = hex_byte(std::string_view(s).substr(2, 2));
      if (!p) return false;
      *para = *p;
    }
    return true;
  }
  return false;
}

}  // namespace

SimEngine::SimEngine() {
  // A fixed, recognisable 16-byte SAM module number.
  sam_id_ = {0x05, 0x00, 0x01, 0x00, 0x2C, 0xB8, 0x33, 0x01, 0x39, 0x30, 0x00, 0x00, 0x62, 0x69, 0x6D, 0x73};
}

const char* SimEngine::control_help() {
  return "Control commands (one per line on stdin or the control socket; each is answered\n"
         "with one line starting \"ok\" or \"error\"):\n"
         "  place [FILE]              put the held card (or FILE: card .json or raw block) on the reader\n"
         "  remove | lift             take the card off the reader\n"
         "  swap FILE                 replace the card on the reader with FILE at once\n"
         "  load FILE                 hold FILE as the card without placing it\n"
         "  delay MS [COUNT]          wait MS before each of the next COUNT replies (default: all; 0 ends)\n"
         "  split N [GAP_MS]          write replies in N-byte pieces, GAP_MS apart (default 1; 0 ends)\n"
         "  pace BAUD|off             send replies at the wire rate of a UART at BAUD (8N1); a pty alone\n"
         "                            does not limit the rate\n"
         "  garbage COUNT             put COUNT noise bytes before the next reply\n"
         "  garbage-bytes HEX         put these bytes before the next reply\n"
         "  corrupt [COUNT]           wrong checksum in the next COUNT replies (default 1)\n"
         "  status SW3 [CMD] [COUNT]  answer the next COUNT (default 1) commands CMD (find, select, read,\n"
         "                            readfp, address, reset, samstatus, samid, baud, hex like 3001, or\n"
         "                            any) with status SW3 (hex, e.g. 41) and no data\n"
         "  silent [COUNT]            do not answer the next COUNT commands (default 1)\n"
         "  lift-mid-read [error|truncate]\n"
         "                            the next read lifts the card: answer 41 (error, default), or send\n"
         "                            half of the frame and stop (truncate)\n"
         "  refind on|off             off: after a read, find fails until the card is lifted, like\n"
         "                            readers whose vendor notes say so (default on)\n"
         "  clear                     end every fault\n"
         "  info                      state of the simulator\n"
         "  help                      this text\n"
         "  quit                      stop the simulator\n";
}

void SimEngine::place() {
  placed_ = card_.has_value();
  session_ = Session::idle;
}

void SimEngine::remove() {
  placed_ = false;
  session_ = Session::idle;
}

std::string SimEngine::info() const {
  static const char* kSession[] = {"idle", "found", "selected", "read"};
  std::string card = !card_ ? "none" : placed_ ? "placed" : "removed";
  std::string type = card_ ? domain::card_layout_key(detect_layout(card_->text)) : "-";
  return "ok card=" + card + " layout=" + type + " session=" + kSession[static_cast<int>(session_)] +
         " refind=" + (refind_ ? "on" : "off") + " delay_ms=" + std::to_string(delay_.count()) +
         " split=" + std::to_string(split_) + " pace=" + std::to_string(pace_baud_) + " corrupt=" + std::to_string(corrupt_) +
         " silent=" + std::to_string(silent_) + " status_overrides=" + std::to_string(overrides_.size()) +
         " commands=" + std::to_string(commands_) + " baud=" + std::to_string(baud_);
}

Result<std::string> SimEngine::control(std::string_view line) {
  const auto w = words(line);
  if (w.empty()) return std::string("ok");
  const std::string& op = w[0];
  auto bad = [&](const std::string& why) { return make_error("input_invalid", op + ": " + why); };
  auto count_arg = [&](std::size_t i, long def) -> std::optional<long> {
    return w.size() > i ? number(w[i], 0, 1000000) : std::optional<long>(def);
  };
  if (op == "help") return std::string("ok\n") + control_help();
  if (op == "info") return info();
  if (op == "place" || op == "swap" || op == "load") {
    if (w.size() > 2 || (op != "place" && w.size() != 2)) return bad("usage: " + op + (op == "place" ? " [FILE]" : " FILE"));
    if (w.size() == 2) {
      auto img = load_card_image(w[1]);
      if (!img) return img.take_error();
      card_ = std::move(img).value();
    }
    if (!card_) return bad("no card held: give a FILE");
    if (op == "load") {
      if (placed_) session_ = Session::idle;  // a different card now lies there
      return std::string("ok loaded ") + domain::card_layout_key(detect_layout(card_->text));
    }
    place();
    return std::string("ok placed ") + domain::card_layout_key(detect_layout(card_->text));
  }
  if (op == "remove" || op == "lift") {
    remove();
    return std::string("ok removed");
  }
  if (op == "delay") {
    auto ms = w.size() > 1 ? number(w[1], 0, 600000) : std::nullopt;
    auto n = count_arg(2, -1);
    if (!ms || (w.size() > 2 && !n)) return bad("usage: delay MS [COUNT]");
    delay_ = Millis(*ms);
    delay_count_ = w.size() > 2 ? static_cast<int>(*n) : -1;
    return "ok delay " + std::to_string(*ms) + " ms";
  }
  if (op == "split") {
    auto n = w.size() > 1 ? number(w[1], 0, 65536) : std::nullopt;
    auto gap = w.size() > 2 ? number(w[2], 0, 10000) : std::optional<long>(1);
    if (!n || !gap) return bad("usage: split N [GAP_MS]");
    split_ = static_cast<std::size_t>(*n);
    split_gap_ = Millis(*gap);
    return "ok split " + std::to_string(split_);
  }
  if (op == "pace") {
    auto b = w.size() == 2 && w[1] != "off" ? number(w[1], 300, 4000000) : std::optional<long>(0);
    if (!b || w.size() != 2) return bad("usage: pace BAUD|off");
    pace_baud_ = static_cast<int>(*b);
    return std::string("ok pace ") + (pace_baud_ ? std::to_string(pace_baud_) : "off");
  }
  if (op == "garbage") {
    auto n = w.size() == 2 ? number(w[1], 1, 65536) : std::nullopt;
    if (!n) return bad("usage: garbage COUNT");
    uint32_t x = 0x9E3779B9u ^ static_cast<uint32_t>(garbage_.size() + commands_);
    for (long i = 0; i < *n; ++i) {
      x = x * 1664525u + 1013904223u;
      uint8_t b = static_cast<uint8_t>(x >> 24);
      if (b == 0xAA) b = 0x55;  // never part of a preamble
      garbage_.push_back(b);
    }
    return "ok garbage " + std::to_string(garbage_.size()) + " bytes";
  }
  if (op == "garbage-bytes") {
    auto raw = w.size() == 2 ? from_hex(w[1]) : std::nullopt;
    if (!raw || raw->empty()) return bad("usage: garbage-bytes HEX");
    garbage_.insert(garbage_.end(), raw->begin(), raw->end());
    return "ok garbage " + std::to_string(garbage_.size()) + " bytes";
  }
  if (op == "corrupt" || op == "silent") {
    auto n = count_arg(1, 1);
    if (!n || w.size() > 2) return bad("usage: " + op + " [COUNT]");
    (op == "corrupt" ? corrupt_ : silent_) = static_cast<int>(*n);
    return "ok " + op + " " + std::to_string(*n);
  }
  if (op == "status") {
    if (w.size() < 2 || w.size() > 4) return bad("usage: status SW3 [CMD] [COUNT]");
    auto sw = hex_byte(w[1]);
    if (!sw) return bad("SW3 must be one hex byte, e.g. 41");
    StatusOverride o{std::nullopt, std::nullopt, *sw, 1};
    std::size_t i = 2;
    if (w.size() > i && command_filter(w[i], &o.cmd, &o.para)) ++i;
    if (w.size() > i) {
      auto n = number(w[i], 1, 1000000);
      if (!n) return bad("unknown command or count \"" + w[i] + "\"");
      o.count = static_cast<int>(*n);
      ++i;
    }
    if (i != w.size()) return bad("usage: status SW3 [CMD] [COUNT]");
    overrides_.push_back(o);
    return "ok status " + w[1] + " (" + status_info(*sw).code + ")";
  }
  if (op == "lift-mid-read") {
    const std::string mode = w.size() > 1 ? w[1] : "error";
    if (mode == "error") lift_ = Lift::error;
    else if (mode == "truncate") lift_ = Lift::truncate;
    else return bad("usage: lift-mid-read [error|truncate]");
    return "ok lift-mid-read " + mode;
  }
  if (op == "refind") {
    if (w.size() != 2 || (w[1] != "on" && w[1] != "off")) return bad("usage: refind on|off");
    refind_ = w[1] == "on";
    return "ok refind " + w[1];
  }
  if (op == "clear") {
    delay_ = Millis(0);
    delay_count_ = -1;
    split_ = 0;
    pace_baud_ = 0;
    garbage_.clear();
    corrupt_ = silent_ = 0;
    overrides_.clear();
    lift_ = Lift::none;
    return std::string("ok cleared");
  }
  return make_error("input_invalid", "unknown command \"" + op + "\" (try help)");
}

std::vector<SimReply> SimEngine::feed(std::span<const uint8_t> bytes) {
  parser_.feed(bytes);
  std::vector<SimReply> out;
  while (auto r = parser_.next()) {
    ++commands_;
    if (silent_ > 0) {
      --silent_;
      continue;
    }
    if (!*r) {
      // The host's frame arrived damaged: say which way (§1.4).
      out.push_back(respond(r->error().code == "frame_checksum" ? sw3::kHostChecksum : sw3::kHostLength));
      continue;
    }
    out.push_back(answer(r->value()));
  }
  return out;
}

SimReply SimEngine::respond(uint8_t sw3, std::span<const uint8_t> data) {
  SimReply r;
  r.bytes = garbage_;
  garbage_.clear();
  const Bytes frame = build_response(sw3, data);
  r.bytes.insert(r.bytes.end(), frame.begin(), frame.end());
  if (corrupt_ > 0) {
    --corrupt_;
    r.bytes.back() ^= 0x5A;
  }
  if (delay_count_ != 0) {
    r.delay = delay_;
    if (delay_count_ > 0) --delay_count_;
  }
  r.split = split_;
  r.split_gap = split_gap_;
  if (pace_baud_ > 0 && split_ == 0) {
    // A pty moves bytes at memory speed; pacing makes the reply take as
    // long as it would on a UART: 10 bits per byte (8N1), ~1 ms pieces.
    r.split = std::max<std::size_t>(1, static_cast<std::size_t>(pace_baud_) / 10000);
    r.split_gap = std::chrono::microseconds(static_cast<long long>(r.split) * 10 * 1000000 / pace_baud_);
  }
  return r;
}

SimReply SimEngine::answer(const CommandFrame& c) {
  for (auto it = overrides_.begin(); it != overrides_.end(); ++it) {
    if ((it->cmd && *it->cmd != c.cmd) || (it->para && *it->para != c.para)) continue;
    const uint8_t sw = it->sw3;
    if (--it->count <= 0) overrides_.erase(it);
    return respond(sw);
  }
  const auto cmd = command_from_code(c.cmd, c.para);
  if (!cmd) return respond(sw3::kCommandError);
  switch (*cmd) {
    case Command::reset_sam:
      session_ = Session::idle;
      return respond(sw3::kSuccess);
    case Command::sam_status: return respond(sw3::kSuccess);
    case Command::read_sam_id: return respond(sw3::kSuccess, sam_id_);
    case Command::find_card: {
      if (!placed_ || (!refind_ && session_ == Session::read)) return respond(sw3::kFindFailed);
      session_ = Session::found;
      const uint8_t iin[4] = {0, 0, 0, 0};
      return respond(sw3::kFindOk, iin);
    }
    case Command::select_card: {
      if (!placed_ || session_ == Session::idle) return respond(sw3::kSelectFailed);
      session_ = Session::selected;
      const uint8_t sn[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      return respond(sw3::kSuccess, sn);
    }
    case Command::read_base_info:
    case Command::read_with_fingerprint: {
      if (!placed_ || session_ < Session::selected) return respond(sw3::kReadFailed);
      const bool fp = *cmd == Command::read_with_fingerprint;
      Bytes data;
      auto len = [&data](std::size_t n) {
        data.push_back(static_cast<uint8_t>(n >> 8));
        data.push_back(static_cast<uint8_t>(n & 0xFF));
      };
      len(card_->text.size());
      len(card_->photo.size());
      if (fp) len(card_->fingerprint.size());
      data.insert(data.end(), card_->text.begin(), card_->text.end());
      data.insert(data.end(), card_->photo.begin(), card_->photo.end());
      if (fp) data.insert(data.end(), card_->fingerprint.begin(), card_->fingerprint.end());
      if (lift_ == Lift::error) {
        lift_ = Lift::none;
        remove();
        return respond(sw3::kReadFailed);
      }
      SimReply r = respond(sw3::kSuccess, data);
      if (lift_ == Lift::truncate) {
        lift_ = Lift::none;
        remove();
        r.bytes.resize(r.bytes.size() / 2);
        return r;
      }
      session_ = Session::read;
      return r;
    }
    case Command::read_appended_address:
      if (!placed_ || session_ < Session::selected) return respond(sw3::kReadFailed);
      if (card_->appended_address.empty()) return respond(sw3::kNoContent);
      return respond(sw3::kSuccess, card_->appended_address);
    case Command::set_uart_baud: {
      auto b = baud_of_para(c.para);
      if (!b) return respond(sw3::kCommandError);
      baud_ = *b;
      return respond(sw3::kSuccess);
    }
    case Command::set_rf_frame_size:
      if (c.data.size() != 1) return respond(sw3::kHostLength);
      rf_frame_ = c.data[0];
      return respond(sw3::kSuccess);
  }
  return respond(sw3::kCommandError);
}

}  // namespace bianmin::drivers::idcard
