// Percent-encoding (RFC 3986) of query parameter values, for both ends.
#pragma once

#include <string>
#include <string_view>

namespace bianmin::sync {

// Keeps the unreserved characters and any of `also_keep` (":/" keeps a URL
// readable inside another URL's query); encodes every other byte.
std::string url_encode(std::string_view value, std::string_view also_keep = {});

}  // namespace bianmin::sync
