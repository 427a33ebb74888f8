// A resident's text as other code may hold it: the privacy tests search
// memory for it in every encoding it could be in, made with glibc's iconv.
#pragma once

#include <string>
#include <string_view>

namespace bianmin::testing {

// `utf8` converted to `charset` ("UTF-16LE", "UTF-32LE", "GB18030"); empty
// when iconv cannot (an unknown charset, a character it cannot encode).
std::string encode_as(std::string_view utf8, const char* charset);

}  // namespace bianmin::testing
