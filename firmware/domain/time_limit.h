// How a promised or statutory time limit is said. A limit of 0 working days
// is 即办 — done on the spot — and every surface (receipt, guide, command
// line) says so, never "0个工作日".
#pragma once

#include <cstdint>
#include <string>

namespace bianmin::domain {

// "即办" for 0, else "N个工作日".
std::string time_limit_zh(int64_t working_days);
// "immediately" for 0, else "N working days" ("1 working day").
std::string time_limit_en(int64_t working_days);

}  // namespace bianmin::domain
