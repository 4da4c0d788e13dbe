// Page tokens for List methods: opaque to clients, a versioned hex encoding of the last key returned.
#ifndef HELUO_SERVER_CORE_PAGE_TOKEN_H_
#define HELUO_SERVER_CORE_PAGE_TOKEN_H_

#include <string>
#include <string_view>

#include "server/core/status.h"

namespace heluo {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 500;

std::string EncodePageToken(std::string_view last_key);
// The last key of the previous page; INVALID_ARGUMENT for a token this server did not issue.
Result<std::string> DecodePageToken(std::string_view token);
// The key a List page starts after: "" for an empty token (the first page), else the token's last key. A
// listing whose keys all have one length gives it as `key_size`, so that a token of another listing is
// refused too.
Result<std::string> PageStartKey(std::string_view token, size_t key_size = 0);
// page_size 0 → default; 1..kMaxPageSize as is; anything else INVALID_ARGUMENT.
Result<int> ResolvePageSize(int page_size);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_PAGE_TOKEN_H_
