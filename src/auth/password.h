#pragma once
// Password hashing and secret tokens, over libsodium (the only folder that includes sodium.h).
//
// Passwords are hashed with argon2id (crypto_pwhash_str: a self-describing string carrying the
// algorithm, its parameters and the salt), so a later build can raise the cost and still verify
// old hashes. Session and CSRF tokens are 32 random bytes from the operating system's generator,
// written as base64url; the store keeps only a BLAKE2b hash of a session token, so a leaked
// database does not yield live sessions.

#include <string>
#include <string_view>

#include "core/status.h"

namespace tandem::auth {

struct HashCost {
  // libsodium's "interactive" limits by default: about 64 MiB and 2 passes. Tests use the
  // minimum to stay fast.
  unsigned long long ops_limit = 2;
  std::size_t mem_limit = 64u << 20;
  static HashCost Minimum();
};

// kInvalidArgument for a password shorter than kMinPasswordLength or longer than
// kMaxPasswordLength bytes; kInternal if libsodium cannot allocate the memory.
inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;
Result<std::string> HashPassword(std::string_view password, const HashCost& cost = {});

// True when `password` matches `hash` (in time that does not depend on where they differ).
// False for a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);

// True when `hash` was made with weaker parameters than `cost` and should be re-hashed at the
// next successful login.
bool NeedsRehash(std::string_view hash, const HashCost& cost = {});

// 32 random bytes as base64url without padding (43 characters).
std::string RandomToken();

// The hex BLAKE2b-256 hash of a token, for storing and looking up sessions.
std::string TokenHash(std::string_view token);

// Equality in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tandem::auth
