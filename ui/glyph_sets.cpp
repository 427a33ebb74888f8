#include "glyph_sets.h"

#include <vector>

#include "i18n.h"

namespace bianmin::ui {

void add_chars(std::set<uint32_t>& out, std::string_view s) {
  std::vector<uint32_t> cps;
  decode_utf8(s, cps);
  out.insert(cps.begin(), cps.end());
}

// The catalogue's characters: all of them for body text, names and labels
// for titles.
void catalogue_chars(const catalog::Catalog& c, std::set<uint32_t>& body, std::set<uint32_t>& titles) {
  for (const auto& it : c.items) {
    for (auto* s : {&it.name, &it.implementing_body, &it.handling_unit})
      add_chars(titles, *s);
    for (const auto& s : it.conditions) add_chars(body, s);
    for (const auto& m : it.materials) {
      add_chars(body, m.name);
      add_chars(body, m.note);
    }
    for (const auto& l : it.legal_basis) {
      add_chars(body, l.title);
      add_chars(body, l.article);
      add_chars(body, l.text);
    }
    add_chars(body, it.fee.standard);
    add_chars(body, it.fee.basis);
    for (const auto& p : it.process) {
      add_chars(body, p.step);
      add_chars(body, p.role);
    }
    for (const auto& f : it.form) {
      add_chars(titles, f.label);
      for (const auto& o : f.options) add_chars(body, o);
    }
    for (const auto& r : it.responsibilities) {
      add_chars(body, r.matter);
      add_chars(body, r.accountability);
    }
  }
  for (const auto& f : c.special_funds) {
    add_chars(body, f.project);
    add_chars(body, f.department);
  }
}

}  // namespace bianmin::ui
