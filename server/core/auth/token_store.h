// TokenStore: who may do what. Bearer tokens are kept only as SHA-256 hashes, read from a token file, and
// compared in constant time; the plain token never needs to be on the server's disk or in its logs.
//
// Token file: one token per line, "ROLE SHA256-HEX NAME" (NAME is what edits are recorded under); blank
// lines and lines starting with '#' are ignored. ROLE is reader, editor or admin (each includes the ones
// before it). `heluo-server --hash-token TOKEN` prints the hash to put in the file.
//
// Thread-safety: Lookup() may run concurrently with Reload().
#ifndef HELUO_SERVER_CORE_AUTH_TOKEN_STORE_H_
#define HELUO_SERVER_CORE_AUTH_TOKEN_STORE_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"

namespace heluo {

enum class Role { kReader = 1, kEditor = 2, kAdmin = 3 };

struct Principal {
  std::string name;
  Role role = Role::kReader;
  bool authenticated = false;  // False: an anonymous reader (no token was needed or checked).
};

class TokenStore {
 public:
  // Reads `path`; INVALID_ARGUMENT names the bad line (the file is not echoed: it may hold secrets).
  Status Load(const std::string& path);
  // Re-reads the file given to Load(); on error the old tokens stay in force.
  Status Reload();
  bool configured() const;
  // The principal whose token hashes to `token`'s hash, or nullopt.
  std::optional<Principal> Lookup(std::string_view token) const;

  static std::string Sha256Hex(std::string_view text);

 private:
  struct Entry {
    std::string hash;  // 64 lowercase hex digits.
    Principal principal;
  };
  std::string path_;
  mutable std::mutex mutex_;
  std::shared_ptr<const std::vector<Entry>> entries_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_AUTH_TOKEN_STORE_H_
