#include "glyph_sets.h"

#include <vector>

#include "i18n.h"

namespace bianmin::ui {

void add_chars(std::set<uint32_t>& out, std::string_view s) {
  std::vector<uint32_t> cps;
  decode_utf8(s, cps);
  out.insert(cps.begin(), cps.end());
}

namespace {

// Every Unicode scalar value, one bit each (136 KiB): a 1,000-item
// catalogue has millions of characters but a few thousand distinct ones,
// and a tree insert per character was a tenth of the kiosk's start-up.
class CharBits {
 public:
  void add(std::string_view s, std::vector<uint32_t>& scratch) {
    scratch.clear();
    decode_utf8(s, scratch);
    for (uint32_t c : scratch)
      if (c < kCount) words_[c / 64] |= uint64_t{1} << (c % 64);
  }
  void add_to(std::set<uint32_t>& out) const {
    for (std::size_t w = 0; w < words_.size(); ++w)
      for (uint64_t bits = words_[w]; bits; bits &= bits - 1)
        out.insert(out.end(), static_cast<uint32_t>(w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))));
  }

 private:
  static constexpr uint32_t kCount = 0x110000;
  std::vector<uint64_t> words_ = std::vector<uint64_t>(kCount / 64, 0);
};

}  // namespace

// The catalogue's characters: all of them for body text, names and labels
// for titles.
void catalogue_chars(const catalog::Catalog& c, std::set<uint32_t>& body_out, std::set<uint32_t>& titles_out) {
  CharBits body_bits, title_bits;
  std::vector<uint32_t> scratch;
  auto body = [&](const std::string& s) { body_bits.add(s, scratch); };
  auto title = [&](const std::string& s) { title_bits.add(s, scratch); };
  for (const auto& it : c.items) {
    for (auto* s : {&it.name, &it.implementing_body, &it.handling_unit}) title(*s);
    for (const auto& s : it.conditions) body(s);
    for (const auto& m : it.materials) {
      body(m.name);
      body(m.note);
    }
    for (const auto& l : it.legal_basis) {
      body(l.title);
      body(l.article);
      body(l.text);
    }
    body(it.fee.standard);
    body(it.fee.basis);
    for (const auto& p : it.process) {
      body(p.step);
      body(p.role);
    }
    for (const auto& f : it.form) {
      title(f.label);
      for (const auto& o : f.options) body(o);
    }
    for (const auto& r : it.responsibilities) {
      body(r.matter);
      body(r.accountability);
    }
  }
  for (const auto& f : c.special_funds) {
    body(f.project);
    body(f.department);
  }
  body_bits.add_to(body_out);
  title_bits.add_to(titles_out);
}

}  // namespace bianmin::ui
