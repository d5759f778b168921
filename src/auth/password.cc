#include "auth/password.h"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace tandem::auth {
namespace {

// sodium_init() is thread-safe and idempotent; call it before any other libsodium function.
void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      // Only fails when the system's random source cannot be opened; nothing can be secure then.
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace

HashCost HashCost::Minimum() {
  return HashCost{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> HashPassword(std::string_view password, const HashCost& cost) {
  EnsureSodium();
  if (password.size() < kMinPasswordLength) {
    return Status::Invalid("password: must be at least " + std::to_string(kMinPasswordLength) +
                           " characters");
  }
  if (password.size() > kMaxPasswordLength) {
    return Status::Invalid("password: must be at most " + std::to_string(kMaxPasswordLength) +
                           " characters");
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost.ops_limit,
                            cost.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  // crypto_pwhash_str_verify needs a NUL-terminated hash.
  const std::string terminated(hash);
  if (terminated.empty() || terminated.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view hash, const HashCost& cost) {
  EnsureSodium();
  const std::string terminated(hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), cost.ops_limit, cost.mem_limit) != 0;
}

std::string RandomToken() {
  EnsureSodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)> out{};
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out.data());
}

std::string TokenHash(std::string_view token) {
  EnsureSodium();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  EnsureSodium();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tandem::auth
