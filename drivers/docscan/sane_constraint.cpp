#include "docscan/sane_constraint.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace bianmin::drivers::docscan {
namespace {

double to_unit(SANE_Value_Type t, SANE_Word w) { return t == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w); }

SANE_Word from_unit(SANE_Value_Type t, double v) {
  const double scaled = t == SANE_TYPE_FIXED ? v * (1 << SANE_FIXED_SCALE_SHIFT) : v;
  const double lim = static_cast<double>(std::numeric_limits<SANE_Word>::max());
  return static_cast<SANE_Word>(std::lround(std::clamp(scaled, -lim, lim)));
}

bool same_text(std::string_view a, std::string_view b, bool prefix) {
  if (prefix ? b.size() < a.size() : a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

double word_value(const SANE_Option_Descriptor& d, SANE_Word w) { return to_unit(d.type, w); }

SANE_Word fit_number(const SANE_Option_Descriptor& d, double wanted) {
  if (!std::isfinite(wanted)) wanted = 0;
  if (d.constraint_type == SANE_CONSTRAINT_RANGE && d.constraint.range) {
    // Arithmetic on the backend's words, so that the quant is met exactly.
    const SANE_Range& r = *d.constraint.range;
    const long long lo = std::min(r.min, r.max), hi = std::max(r.min, r.max);
    long long w = std::clamp<long long>(from_unit(d.type, wanted), lo, hi);
    if (r.quant > 0) {
      w = lo + (w - lo + r.quant / 2) / r.quant * r.quant;
      if (w > hi) w -= r.quant;
    }
    return static_cast<SANE_Word>(w);
  }
  if (d.constraint_type == SANE_CONSTRAINT_WORD_LIST && d.constraint.word_list && d.constraint.word_list[0] > 0) {
    // word_list[0] is the number of words that follow.
    const SANE_Word* list = d.constraint.word_list;
    SANE_Word best = list[1];
    for (SANE_Word i = 1; i <= list[0]; ++i)
      if (std::abs(to_unit(d.type, list[i]) - wanted) < std::abs(to_unit(d.type, best) - wanted)) best = list[i];
    return best;
  }
  return from_unit(d.type, wanted);
}

std::optional<std::string> pick_string(const SANE_Option_Descriptor& d, const std::vector<std::string_view>& candidates) {
  if (candidates.empty()) return std::nullopt;
  if (d.constraint_type != SANE_CONSTRAINT_STRING_LIST || !d.constraint.string_list)
    return std::string(candidates.front());
  for (bool prefix : {false, true})
    for (std::string_view c : candidates)
      for (const SANE_String_Const* s = d.constraint.string_list; *s; ++s)
        if (same_text(c, *s, prefix)) return std::string(*s);
  return std::nullopt;
}

}  // namespace bianmin::drivers::docscan
