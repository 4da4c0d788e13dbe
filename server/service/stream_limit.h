// StreamLimit: caps how many streaming calls (LookupStream, Import, ImportGlossary, Export, ExportGlossary)
// run at once, server-wide; one more is refused at once with RESOURCE_EXHAUSTED rather than queued, so a
// client learns to back off and the server's memory and threads stay bounded.
//
// Thread-safety: all methods may be called from any thread.
#ifndef HELUO_SERVER_SERVICE_STREAM_LIMIT_H_
#define HELUO_SERVER_SERVICE_STREAM_LIMIT_H_

#include <grpcpp/support/status.h>

#include <atomic>
#include <string>

namespace heluo {

class StreamLimit {
 public:
  explicit StreamLimit(int max_streams) : max_(max_streams) {}

  // Holds one slot for its lifetime when ok().
  class Slot {
   public:
    Slot(Slot&& other) noexcept : limit_(other.limit_) { other.limit_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() {
      if (limit_ != nullptr) limit_->active_.fetch_sub(1);
    }
    bool ok() const { return limit_ != nullptr; }
    grpc::Status status() const {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "too many streaming calls at once on this server (limit --max-streams); retry later");
    }

   private:
    friend class StreamLimit;
    explicit Slot(StreamLimit* limit) : limit_(limit) {}
    StreamLimit* limit_;
  };

  Slot Acquire() {
    if (active_.fetch_add(1) >= max_) {
      active_.fetch_sub(1);
      return Slot(nullptr);
    }
    return Slot(this);
  }

 private:
  const int max_;
  std::atomic<int> active_{0};
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_STREAM_LIMIT_H_
