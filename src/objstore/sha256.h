#pragma once
// The digests live in core (core/digest.h); these names keep objstore code short.
#include "core/digest.h"

namespace cp::objstore {
using cp::hmac_sha256;
using cp::Sha256;
using cp::sha256_hex;
using cp::to_hex;
}  // namespace cp::objstore
