// What a process leaves in the memory it frees, for tests of design
// invariant 2 (nothing of a resident stays in memory after the session).
//
// Linking freed_blocks.cpp into a test executable interposes glibc's free():
// while a FreedBlocks watch is alive, every block on its way back to the
// allocator (C frees and, through the C++ runtime's operator delete, C++
// ones) is searched for the watched byte strings first. glibc only; not
// under the sanitizers, which own malloc themselves.
//
// A watch sees every free of the process, the test's own included: declare
// the test's copies of the watched data before the watch, so that they are
// freed after it has ended. (The watch copies its needles before it starts.)
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace bianmin::testing {

class FreedBlocks {
 public:
  // Views, not strings: the argument itself must not be a freed copy.
  FreedBlocks(std::initializer_list<std::string_view> needles);
  ~FreedBlocks();
  FreedBlocks(const FreedBlocks&) = delete;
  FreedBlocks& operator=(const FreedBlocks&) = delete;

  // Freed blocks that held at least one watched string, so far.
  std::size_t dirty_blocks() const;
  // The watched strings found, each once (for failure messages); valid
  // while the watch lives.
  std::vector<std::string_view> found() const;
};

}  // namespace bianmin::testing
