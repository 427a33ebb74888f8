// Chinese citizen identity numbers (GB 11643-1999): 17 digits and a MOD 11-2
// check character (0-9 or X). The same algorithm covers the 18-character
// numbers of Hong Kong/Macao/Taiwan residence permits (81/82/83 prefixes)
// and of the 2023 Foreign Permanent Resident ID card (leading 9).
#pragma once

#include <string>
#include <string_view>

namespace bianmin::domain {

// The check character for the first 17 digits, or '\0' if they are not digits.
char id_check_char(std::string_view first17);

enum class IdNumberProblem { none, wrong_length, not_digits, bad_birth_date, bad_check_digit };

// Validates an 18-character number (a lowercase x is accepted).
IdNumberProblem check_id_number(std::string_view id);
// Upper-cases a trailing x; leaves anything else as it is.
std::string normalize_id_number(std::string_view id);
// "YYYY-MM-DD" from positions 7-14, or empty when not a valid date.
std::string birth_date_of(std::string_view id);
// 2017 Foreign Permanent Resident ID: 3 Latin capitals and 12 digits.
bool is_foreign_permanent_2017(std::string_view id);

}  // namespace bianmin::domain
