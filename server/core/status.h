// Status and Result: how every fallible call in the core reports failure.
//
// Modeled on leveldb::Status: a cheap value that is either OK or carries a code and a message written for
// a person ("text is not valid UTF-8 at byte 17"). The service layer maps the code to a gRPC status; the
// message travels unchanged. Exceptions never cross a core API.
#ifndef HELUO_SERVER_CORE_STATUS_H_
#define HELUO_SERVER_CORE_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace heluo {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,
    kNotFound,
    kAlreadyExists,
    kFailedPrecondition,
    kResourceExhausted,
    kPermissionDenied,
    kUnauthenticated,
    kDataLoss,
    kInternal,
    kCancelled,  // The caller went away or its deadline passed; the work was stopped.
    kDeadlineExceeded,  // The work could not start (or finish) before the caller's deadline; nothing changed.
    kUnavailable,       // A service this one depends on cannot be reached now; retrying later may succeed.
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status AlreadyExists(std::string msg) { return Status(Code::kAlreadyExists, std::move(msg)); }
  static Status FailedPrecondition(std::string msg) {
    return Status(Code::kFailedPrecondition, std::move(msg));
  }
  static Status ResourceExhausted(std::string msg) {
    return Status(Code::kResourceExhausted, std::move(msg));
  }
  static Status DataLoss(std::string msg) { return Status(Code::kDataLoss, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  static Status Cancelled(std::string msg) { return Status(Code::kCancelled, std::move(msg)); }
  static Status DeadlineExceeded(std::string msg) { return Status(Code::kDeadlineExceeded, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NOT_FOUND: no term with id 'x'", or "OK".
  std::string ToString() const;
  // The same code with `prefix` put before the message (context for an error passed up).
  Status WithPrefix(std::string_view prefix) const { return Status(code_, std::string(prefix) + message_); }
  // The same code with `suffix` after the message (what was done about the error).
  Status WithSuffix(std::string_view suffix) const { return Status(code_, message_ + std::string(suffix)); }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design, like absl::StatusOr.
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok().
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace heluo

#define HELUO_RETURN_IF_ERROR(expr)      \
  do {                                   \
    ::heluo::Status _st = (expr);        \
    if (!_st.ok()) return _st;           \
  } while (0)

#endif  // HELUO_SERVER_CORE_STATUS_H_
