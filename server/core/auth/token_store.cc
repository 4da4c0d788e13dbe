#include "server/core/auth/token_store.h"

#include <openssl/crypto.h>

#include <fstream>
#include <sstream>

#include "server/core/sha256.h"

namespace heluo {

std::string TokenStore::Sha256Hex(std::string_view text) { return heluo::Sha256Hex(text); }

Status TokenStore::Load(const std::string& path) {
  path_ = path;
  return Reload();
}

Status TokenStore::Reload() {
  std::ifstream in(path_);
  if (!in) return Status::FailedPrecondition("cannot read token file " + path_);
  auto entries = std::make_shared<std::vector<Entry>>();
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    std::istringstream fields(line);
    std::string role, hash, name;
    fields >> role >> hash >> name;
    Entry e;
    if (role == "reader") e.principal.role = Role::kReader;
    else if (role == "editor") e.principal.role = Role::kEditor;
    else if (role == "admin") e.principal.role = Role::kAdmin;
    else return Status::InvalidArgument("token file " + path_ + " line " + std::to_string(line_no) + ": role must be reader, editor or admin");
    if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return Status::InvalidArgument("token file " + path_ + " line " + std::to_string(line_no) +
                                     ": the second field must be the token's SHA-256 in 64 lowercase hex digits");
    }
    e.hash = hash;
    e.principal.name = name.empty() ? role + "-" + std::to_string(line_no) : name;
    entries->push_back(std::move(e));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  entries_ = std::move(entries);
  return Status::Ok();
}

bool TokenStore::configured() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_ != nullptr;
}

std::optional<Principal> TokenStore::Lookup(std::string_view token) const {
  std::shared_ptr<const std::vector<Entry>> entries;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    entries = entries_;
  }
  if (!entries) return std::nullopt;
  const std::string hash = Sha256Hex(token);
  std::optional<Principal> found;
  for (const Entry& e : *entries) {  // Every entry is compared, in constant time, whatever matches.
    if (CRYPTO_memcmp(e.hash.data(), hash.data(), hash.size()) == 0 && !found) found = e.principal;
  }
  return found;
}

}  // namespace heluo
