// UUIDs made on the terminal (client_id of an application, ids of ratings and
// complaints). Version 7: time-ordered, so the outbox drains roughly in
// submission order and the central's index stays compact; 74 random bits
// from the OS CSPRNG make collisions across a fleet negligible.
#pragma once

#include <string>
#include <string_view>

namespace bianmin {

std::string make_uuid_v7();
// Canonical lowercase 8-4-4-4-12 form.
bool is_uuid(std::string_view text);

}  // namespace bianmin
