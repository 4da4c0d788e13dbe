// SHA-256 (OpenSSL's libcrypto), one-shot or fed piece by piece: token hashes and the checksum that travels
// with a streamed backup. Also linked into the heluo client, which checks that checksum.
#ifndef HELUO_SERVER_CORE_SHA256_H_
#define HELUO_SERVER_CORE_SHA256_H_

#include <string>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace heluo {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Lowercase hex of everything fed so far. Ends the computation: call once.
  std::string HexDigest();

 private:
  EVP_MD_CTX* ctx_;
};

// Lowercase hex SHA-256 of `text`.
std::string Sha256Hex(std::string_view text);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_SHA256_H_
