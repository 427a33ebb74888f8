// Searching a running kiosk's memory for a person's data: every readable,
// writable mapping (heap, thread arenas, stacks, anonymous memory) read
// through /proc/PID/mem, and each needle looked for in the encodings the
// data passes through — UTF-8, UTF-16LE (the ID card's own UCS-2),
// UTF-32LE (decoded code points) and GB18030 (the printer's).
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/encodings.h"

namespace bianmin::ui {

struct Needle {
  std::string what, encoding, bytes;
};

// Each (what, UTF-8 text) in all four encodings.
inline std::vector<Needle> needles_of(const std::vector<std::pair<std::string, std::string>>& data) {
  std::vector<Needle> out;
  for (const auto& [what, utf8] : data) {
    out.push_back({what, "UTF-8", utf8});
    for (const char* charset : {"UTF-16LE", "UTF-32LE", "GB18030"}) {
      std::string bytes = testing::encode_as(utf8, charset);
      EXPECT_FALSE(bytes.empty()) << "iconv cannot make " << charset;
      // ASCII is the same in GB18030 as in UTF-8: searched once.
      if (!bytes.empty() && bytes != utf8) out.push_back({what, charset, std::move(bytes)});
    }
  }
  return out;
}

// What only the simulated reader's card (assets/sim/idcard-resident.json)
// holds, and the phone a script typed. Parts that are legitimately in the
// kiosk's memory are not searched for: the region 北京市 is in the
// catalogue, the masked forms (王*娜, 110105********002X) are not the data.
inline std::vector<Needle> sim_card_needles(const std::string& phone) {
  return needles_of({{"ID number", "11010519491231002X"},
                     {"name", "王美娜"},
                     {"address on the card", "北京市朝阳区建国路88号院3号楼2单元501室"},
                     {"appended address", "北京市海淀区中关村南大街5号"},
                     {"phone", phone}});
}

// Bytes around a hit, printable ASCII as it is, the rest as \xNN: enough to
// tell whose copy it is.
inline std::string context_of(const std::string& mem, std::size_t at, std::size_t len) {
  const std::size_t from = at >= 32 ? at - 32 : 0, to = std::min(mem.size(), at + len + 32);
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    const auto c = static_cast<unsigned char>(mem[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

struct MemoryScan {
  bool readable = false;
  std::size_t scanned = 0;  // bytes
  std::vector<std::string> hits;
  std::string report() const {
    std::string all;
    for (const auto& h : hits) all += "\n  " + h;
    return all;
  }
};

inline MemoryScan scan_memory(pid_t pid, const std::vector<Needle>& needles) {
  MemoryScan out;
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream maps(proc + "/maps");
  std::ifstream mem(proc + "/mem", std::ios::binary);
  out.readable = mem.good();
  if (!out.readable) return out;
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream ls(line);
    std::string range, perms, offset, dev, inode, name;
    ls >> range >> perms >> offset >> dev >> inode;
    std::getline(ls, name);
    if (perms[0] != 'r' || perms[1] != 'w') continue;  // read-only file mappings hold no resident data
    if (name.find("[vvar]") != std::string::npos || name.find("[vsyscall]") != std::string::npos) continue;
    const auto dash = range.find('-');
    const unsigned long a = std::stoul(range.substr(0, dash), nullptr, 16), b = std::stoul(range.substr(dash + 1), nullptr, 16);
    std::string buf(b - a, '\0');
    mem.clear();
    mem.seekg(static_cast<std::streamoff>(a));
    if (!mem.read(buf.data(), static_cast<std::streamsize>(buf.size()))) continue;
    out.scanned += buf.size();
    for (const auto& n : needles)
      for (auto at = buf.find(n.bytes); at != std::string::npos; at = buf.find(n.bytes, at + 1))
        out.hits.push_back(n.what + " (" + n.encoding + ") at +" + std::to_string(at) + " of " + line + ": " +
                           context_of(buf, at, n.bytes.size()));
  }
  return out;
}

}  // namespace bianmin::ui
