// GRUB's environment block (EFI/bianmin/grubenv on the ESP): the boot
// state of the two root slots that GRUB reads before it boots, RAUC's GRUB
// backend writes when it installs, and the health check writes when a new
// system proved itself (image/grub/grub.cfg says what each variable means).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace bianmin::update {

// The block as GRUB writes it: "# GRUB Environment Block\n", then one
// name=value per line (newline and backslash escaped with a backslash),
// lines starting with '#' being comments, padded with '#' to 1,024 bytes.
class GrubEnv {
 public:
  static Result<GrubEnv> parse(std::string_view block);
  static Result<GrubEnv> read(const std::string& path);

  // "" when unset.
  const std::string& get(const std::string& name) const;
  bool is(const std::string& name, std::string_view value) const { return get(name) == value; }
  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

// Sets (or, for an empty value, unsets) variables with grub-editenv, which
// rewrites the block in place where GRUB's own save_env finds it.
Status edit_grub_env(const std::string& path, const std::vector<std::pair<std::string, std::string>>& changes);

// What the block says of one slot ("A" or "B").
struct SlotBootState {
  bool complete = false;  // X_OK=1
  bool trial_spent = false;  // X_TRY=1
  bool healthy = false;   // X_HEALTHY=1
};
SlotBootState slot_boot_state(const GrubEnv& env, const std::string& bootname);
// The other slot's boot name: "A" ↔ "B".
std::string other_slot(const std::string& bootname);

}  // namespace bianmin::update
