// File: sms/phone_vault.h
//
// Phone numbers at rest. The database never holds a patient's number in clear: it holds
// Seal(number), which only this key file can open (to send the next message), and
// Hash(number), a keyed BLAKE2b-256 that lets an incoming reply or an opt-out be matched to
// the stored row by equality without decrypting anything. Because the hash is keyed, a copy
// of the database alone cannot be searched by hashing all possible numbers.
//
// The key file is 64 bytes: a crypto_secretbox key, then a crypto_generichash key. It is
// created on first use and must stay private to the service user (mode 0600). Losing it makes
// every stored number unreadable, so creation is atomic and durable: the file either does not
// exist or holds a whole key, even after a crash or two processes starting at once.
//
// Thread-safe: after OpenOrCreate, the const members only read the immutable keys.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace mittari::sms {

class PhoneVault {
 public:
  // Loads the key file at `key_path`, creating it (mode 0600, random keys) when missing.
  // Refuses a key file that group or others can access (FailedPrecondition, saying to chmod
  // 600) and one of the wrong size (DataLoss).
  static Result<PhoneVault> OpenOrCreate(const std::string& key_path);

  PhoneVault(PhoneVault&&) noexcept = default;
  PhoneVault& operator=(PhoneVault&&) noexcept = default;
  PhoneVault(const PhoneVault&) = delete;
  PhoneVault& operator=(const PhoneVault&) = delete;
  ~PhoneVault() = default;  // the keys live in guarded memory that is wiped when freed

  // A random nonce followed by the authenticated ciphertext of `e164`, as bytes (not text).
  // Sealing the same number twice gives different results.
  std::string Seal(std::string_view e164) const;

  // The number that Seal() sealed, or DataLoss when `sealed` was made with another key or
  // has been altered.
  Result<std::string> Open(std::string_view sealed) const;

  // 64 lowercase hex digits; equal numbers give equal hashes under the same key file. Pass
  // the E.164 form (NormalizePhone) so that every spelling of a number matches.
  std::string Hash(std::string_view e164) const;

 private:
  struct Keys;
  struct KeysDeleter {
    void operator()(Keys* keys) const;
  };
  using KeysPtr = std::unique_ptr<Keys, KeysDeleter>;

  explicit PhoneVault(KeysPtr keys) : keys_(std::move(keys)) {}

  KeysPtr keys_;  // never null except in a moved-from vault, which must not be used
};

}  // namespace mittari::sms
