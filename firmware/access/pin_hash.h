// PINs at rest: scrypt (OpenSSL's EVP_PBE_scrypt, memory-hard) with a
// random salt, so a copied store does not give the PINs away to a GPU.
// Used for the technician's service PIN and, later, the clerks' PINs.
//
//   scrypt$<log2 N>$<r>$<p>$<salt hex>$<hash hex>
//
// The parameters travel with the hash, so they can be raised later while
// old hashes still verify.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bianmin::access {

// 6 to 12 digits: what a touch-screen PIN pad can take; "input_invalid"
// otherwise, naming what is wrong.
Status check_pin_format(std::string_view pin);

// N = 2^15, r = 8, p = 1: 32 MiB and about 0.1 s on a terminal's CPU per
// check, which with the lockout (technician_access.h) makes guessing
// online useless and offline slow.
Result<std::string> hash_pin(std::string_view pin);
// False for a wrong PIN and for a stored value that is not a hash of ours.
bool verify_pin(std::string_view pin, std::string_view stored);

}  // namespace bianmin::access
