#include "domain/id_number.h"

#include "base/bytes.h"
#include "base/time.h"

namespace bianmin::domain {

char id_check_char(std::string_view d) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  if (d.size() < 17) return '\0';
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (d[i] < '0' || d[i] > '9') return '\0';
    sum += (d[i] - '0') * kWeights[i];
  }
  return kCheck[sum % 11];
}

std::string normalize_id_number(std::string_view id) {
  std::string s(id);
  if (s.size() == 18 && s[17] == 'x') s[17] = 'X';
  return s;
}

std::string birth_date_of(std::string_view id) {
  if (id.size() < 14) return {};
  // Built in place: a resident's birth date leaves no temporaries behind.
  std::string iso;
  iso.reserve(10);
  iso.append(id.substr(6, 4)).append(1, '-').append(id.substr(10, 2)).append(1, '-').append(id.substr(12, 2));
  if (time::is_valid_iso_date(iso)) return iso;
  secure_wipe(iso);
  return {};
}

IdNumberProblem check_id_number(std::string_view id) {
  // Checked where it is, not in a copy: the number is a resident's.
  if (id.size() != 18) return IdNumberProblem::wrong_length;
  for (int i = 0; i < 17; ++i)
    if (id[i] < '0' || id[i] > '9') return IdNumberProblem::not_digits;
  const char last = id[17] == 'x' ? 'X' : id[17];
  if (!((last >= '0' && last <= '9') || last == 'X')) return IdNumberProblem::not_digits;
  std::string birth = birth_date_of(id);
  const bool born = !birth.empty();
  secure_wipe(birth);
  if (!born) return IdNumberProblem::bad_birth_date;
  if (id_check_char(id) != last) return IdNumberProblem::bad_check_digit;
  return IdNumberProblem::none;
}

bool is_foreign_permanent_2017(std::string_view id) {
  if (id.size() != 15) return false;
  for (int i = 0; i < 3; ++i)
    if (id[i] < 'A' || id[i] > 'Z') return false;
  for (int i = 3; i < 15; ++i)
    if (id[i] < '0' || id[i] > '9') return false;
  return true;
}

}  // namespace bianmin::domain
