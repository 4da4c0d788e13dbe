#include "server/service/lookup_stream.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "server/service/convert.h"
#include "server/service/status_mapping.h"

namespace heluo {
namespace {

class Pipeline {
 public:
  Pipeline(const TranslationMemory& tm, LookupStreamIo& io, const LookupStreamLimits& limits)
      : tm_(tm), io_(io), window_(std::max<size_t>(1, limits.window)) {}

  LookupStreamOutcome Run(size_t workers) {
    std::thread reader([this] { ReadRequests(); });
    std::vector<std::thread> lookups;
    for (size_t i = 0; i < workers; ++i) lookups.emplace_back([this] { LookUp(); });
    LookupStreamOutcome outcome = WriteAnswers();
    std::unique_lock<std::mutex> lock(mutex_);
    stop_ = true;
    changed_.notify_all();
    // A reader still blocked in Read would outlive the call: give the client a moment to send or close,
    // then end the call (a failed Write has ended it already).
    if (outcome.ended_early || !changed_.wait_for(lock, kReaderGrace, [this] { return !reading_; }))
      io_.Cancel();
    lock.unlock();
    reader.join();
    for (std::thread& t : lookups) t.join();
    return outcome;
  }

 private:
  // REQUIRES: mutex_ held. Called on every change of reading_, writing_, read_ or written_.
  void UpdateWaiting() {
    const bool waiting = writing_ || (reading_ && read_ == written_);
    if (waiting != waiting_) io_.SetWaiting(waiting);
    waiting_ = waiting;
  }

  void ReadRequests() {
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return stop_ || read_ - written_ < static_cast<int64_t>(window_); });
        if (stop_) break;
        reading_ = true;
        UpdateWaiting();
      }
      v1::LookupRequest request;
      const bool got = io_.Read(&request);
      std::lock_guard<std::mutex> lock(mutex_);
      reading_ = false;
      if (got)
        queue_.emplace_back(read_++, std::move(request));
      else
        input_done_ = true;
      UpdateWaiting();
      changed_.notify_all();
      if (!got) break;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    input_done_ = true;
    changed_.notify_all();
  }

  void LookUp() {
    while (true) {
      std::pair<int64_t, v1::LookupRequest> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return stop_ || !queue_.empty() || input_done_; });
        if (stop_ || queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      TmQuery query = FromProto(job.second);
      query.cancelled = io_.CancelledOrExpired();
      Result<std::vector<TmMatch>> matches = tm_.Lookup(query);
      std::lock_guard<std::mutex> lock(mutex_);
      answers_.emplace(job.first, std::move(matches));
      changed_.notify_all();
    }
  }

  LookupStreamOutcome WriteAnswers() {
    LookupStreamOutcome outcome;
    while (true) {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock,
                    [this] { return answers_.count(written_) > 0 || (input_done_ && written_ == read_); });
      if (answers_.count(written_) == 0) break;  // The client closed and every request is answered.
      Result<std::vector<TmMatch>> matches = std::move(answers_.extract(written_).mapped());
      if (!matches.ok()) {
        const Status& st = matches.status();
        outcome.status = st.code() != Status::Code::kInvalidArgument
                             ? ToGrpcStatus(st)
                             : ToGrpcStatus(Status::InvalidArgument("request " + std::to_string(written_) +
                                                                    " of the stream: " + st.message()));
        break;
      }
      writing_ = true;
      UpdateWaiting();
      lock.unlock();
      v1::LookupResponse response;
      for (const TmMatch& m : *matches) ToProto(m, response.add_matches());
      const bool sent = io_.Write(response);
      lock.lock();
      writing_ = false;
      ++written_;
      UpdateWaiting();
      changed_.notify_all();
      if (!sent) {
        outcome.ended_early = true;
        break;
      }
      ++outcome.answered;
    }
    return outcome;
  }

  const TranslationMemory& tm_;
  LookupStreamIo& io_;
  const size_t window_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<int64_t, v1::LookupRequest>> queue_;  // Read, not yet picked by a worker.
  std::map<int64_t, Result<std::vector<TmMatch>>> answers_;  // Looked up, not yet written.
  int64_t read_ = 0, written_ = 0;
  bool input_done_ = false, stop_ = false;
  bool reading_ = false, writing_ = false, waiting_ = false;
};

}  // namespace

LookupStreamOutcome RunLookupStream(const TranslationMemory& tm, LookupStreamIo& io,
                                    const LookupStreamLimits& limits) {
  size_t workers = limits.workers;
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  return Pipeline(tm, io, limits).Run(workers);
}

}  // namespace heluo
