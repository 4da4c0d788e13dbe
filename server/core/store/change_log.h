// ChangeLog: the content changes one write transaction made, as replication ships them (docs/replication.md).
//
// A change is logical — "term X is now this record", "segment Y is gone" — so a replica applies it through
// the same core calls and builds its own index keys, postings and internal numbers. The code that makes a
// change records it in its transaction (LmdbTxn::RecordChange) when the store records changes; Store::Write
// then gives the transaction the next commit sequence and writes its log to the outbox before the commit,
// in the same LMDB transaction (a transactional outbox: nothing is lost between commit and publish).
//
// Encoding of a log (the outbox value): a sequence of changes, each
//   kind (1 byte) · key length (4 bytes, big-endian) · key · value length (4 bytes) · value
// Keys are ids; values are the records as the store keeps them (SerializeTerm, SerializeSegment), empty for
// a delete.
#ifndef HELUO_SERVER_CORE_STORE_CHANGE_LOG_H_
#define HELUO_SERVER_CORE_STORE_CHANGE_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"

namespace heluo {

enum class ChangeKind : uint8_t {
  kTermPut = 1,
  kTermDelete = 2,
  kSegmentPut = 3,
  kSegmentDelete = 4,
};

struct Change {
  ChangeKind kind;
  std::string_view key;    // The term or segment id.
  std::string_view value;  // The stored record (a put), empty (a delete).
};

// Appends one change to `log`.
void AppendChange(std::string* log, ChangeKind kind, std::string_view key, std::string_view value);

// The changes of `log`, in the order they were made; views into `log`. DATA_LOSS if it is malformed.
Result<std::vector<Change>> ParseChangeLog(std::string_view log);

// The meta key holding the last commit sequence given (8 bytes, big-endian; absent: none yet).
inline constexpr const char* kCommitSequenceKey = "commit_seq";

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_STORE_CHANGE_LOG_H_
