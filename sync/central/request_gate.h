// What a request may cost the central before its body is read (issue 16):
// each route has an access level and a body budget, and a request whose
// framing or declared size does not fit is refused on its headers alone.
// Pure policy over method, path and headers; the central adds the
// authentication (central.cpp) and the enrolment throttle.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bianmin::sync::central {

enum class Access {
  open,      // POST /enroll and GET /health: no client certificate (spec: Transport)
  terminal,  // everything else: an enrolled terminal's certificate
};

struct RouteBudget {
  Access access = Access::terminal;
  uint64_t max_body = 0;  // bytes the central will read for this route
};

RouteBudget budget_for(std::string_view method, std::string_view path);

struct Refusal {
  int status = 400;
  std::string code, message;
};

// Refuses a body that cannot be bounded before it is read: no
// Content-Length on a method that carries one (chunked or read-to-close
// bodies have no size to check), a compressed body (it would inflate past
// its declared size), or one larger than the route's budget.
std::optional<Refusal> check_framing(const httplib::Request& req, const RouteBudget& budget);

}  // namespace bianmin::sync::central
