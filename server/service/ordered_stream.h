// The body of a bidirectional "one answer per request, in request order" call (TranslationMemory.LookupStream,
// Glossary.CheckTerminologyStream): the answers are computed on several worker threads at once, so a long
// document uses every core, while they still leave in request order and memory stays bounded — at most
// `window` requests are between being read and their answer being written (gRPC flow control holds the
// client back beyond that).
//
// Three kinds of threads of one call share the work: a reader (Read), `workers` answering threads, and the
// caller's thread, which writes the answers in order. For the idle watchdog (stream_guard.h) the stream waits
// on its client while a Write is blocked, or while the reader waits for a request and no answer is pending —
// time the server spends working is never idle time.
//
// A request whose answer fails ends the stream with its status, INVALID_ARGUMENT naming the request's index.
// If the client is then still holding the stream open without sending (a client that waits for each answer
// before sending the next request), the call is ended with that status after kReaderGrace, so that no
// thread is left blocked in Read and the client still learns which request failed and why.
#ifndef HELUO_SERVER_SERVICE_ORDERED_STREAM_H_
#define HELUO_SERVER_SERVICE_ORDERED_STREAM_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "server/core/status.h"
#include "server/service/auth.h"
#include "server/service/call_limits.h"
#include "server/service/status_mapping.h"
#include "server/service/stream_guard.h"

namespace heluo {

struct OrderedStreamLimits {
  size_t window = 32;  // Requests read and not yet answered, at most.
  size_t workers = 0;  // Answering threads; 0: one per core.
};

inline constexpr std::chrono::milliseconds kReaderGrace{500};

// What the pipeline needs from the call; the service adapts the gRPC stream and its guard, tests their own.
template <class Request, class Response>
class OrderedStreamIo {
 public:
  virtual ~OrderedStreamIo() = default;
  virtual bool Read(Request* request) = 0;  // false: the client half-closed, or the call ended.
  virtual bool Write(const Response& response) = 0;
  virtual void SetWaiting(bool waiting) = 0;  // Waiting on the client (the idle watchdog's clock).
  // Ends the call with `why` as the status its client receives: a blocked Read returns false.
  virtual void Cancel(const grpc::Status& why) = 0;
  virtual std::function<bool()> CancelledOrExpired() = 0;  // A fresh poll for one answer.
};

struct OrderedStreamOutcome {
  grpc::Status status;       // OK, or why an answer failed.
  bool ended_early = false;  // A Write failed: the call was cancelled or its client went away.
  int64_t answered = 0;      // Responses written.
};

// The answer to one request; `cancelled` polls whether the call is still wanted. Runs on any worker thread.
template <class Request, class Response>
using OrderedAnswer = std::function<Result<Response>(const Request& request, const std::function<bool()>& cancelled)>;

namespace ordered_stream_internal {

template <class Request, class Response>
class Pipeline {
 public:
  Pipeline(OrderedStreamIo<Request, Response>& io, const OrderedStreamLimits& limits,
           const OrderedAnswer<Request, Response>& answer)
      : io_(io), answer_(answer), window_(std::max<size_t>(1, limits.window)) {}

  OrderedStreamOutcome Run(size_t workers) {
    std::thread reader([this] { ReadRequests(); });
    std::vector<std::thread> answering;
    for (size_t i = 0; i < workers; ++i) answering.emplace_back([this] { Answer(); });
    OrderedStreamOutcome outcome = WriteAnswers();
    std::unique_lock<std::mutex> lock(mutex_);
    stop_ = true;
    changed_.notify_all();
    // A reader still blocked in Read would outlive the call: give the client a moment to send or close,
    // then end the call with the failed answer's status (a failed Write has ended it already).
    if (outcome.ended_early || !changed_.wait_for(lock, kReaderGrace, [this] { return !reading_; })) {
      io_.Cancel(outcome.status.ok() ? grpc::Status(grpc::StatusCode::CANCELLED, "the client went away")
                                     : outcome.status);
    }
    lock.unlock();
    reader.join();
    for (std::thread& t : answering) t.join();
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
      Request request;
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

  void Answer() {
    while (true) {
      std::pair<int64_t, Request> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return stop_ || !queue_.empty() || input_done_; });
        if (stop_ || queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      Result<Response> response = answer_(job.second, io_.CancelledOrExpired());
      std::lock_guard<std::mutex> lock(mutex_);
      answers_.emplace(job.first, std::move(response));
      changed_.notify_all();
    }
  }

  OrderedStreamOutcome WriteAnswers() {
    OrderedStreamOutcome outcome;
    while (true) {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return answers_.count(written_) > 0 || (input_done_ && written_ == read_); });
      if (answers_.count(written_) == 0) break;  // The client closed and every request is answered.
      Result<Response> response = std::move(answers_.extract(written_).mapped());
      if (!response.ok()) {
        const Status& st = response.status();
        outcome.status = st.code() != Status::Code::kInvalidArgument
                             ? ToGrpcStatus(st)
                             : ToGrpcStatus(Status::InvalidArgument("request " + std::to_string(written_) +
                                                                    " of the stream: " + st.message()));
        break;
      }
      writing_ = true;
      UpdateWaiting();
      lock.unlock();
      const bool sent = io_.Write(*response);
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

  OrderedStreamIo<Request, Response>& io_;
  const OrderedAnswer<Request, Response>& answer_;
  const size_t window_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<int64_t, Request>> queue_;  // Read, not yet picked by a worker.
  std::map<int64_t, Result<Response>> answers_;     // Answered, not yet written.
  int64_t read_ = 0, written_ = 0;
  bool input_done_ = false, stop_ = false;
  bool reading_ = false, writing_ = false, waiting_ = false;
};

// The pipeline on a gRPC stream: Read and Write are the call's (one reader and one writer thread at a time,
// which the sync API allows), waiting is the stream guard's idle clock.
template <class Request, class Response>
class GrpcIo final : public OrderedStreamIo<Request, Response> {
 public:
  GrpcIo(grpc::ServerContext* context, grpc::ServerReaderWriter<Response, Request>* stream,
         StreamRegistry::Stream* guard)
      : context_(context), stream_(stream), guard_(guard) {}
  bool Read(Request* request) override { return stream_->Read(request); }
  bool Write(const Response& response) override { return stream_->Write(response); }
  void SetWaiting(bool waiting) override { guard_->SetWaiting(waiting); }
  void Cancel(const grpc::Status& why) override { EndCall(context_, why); }
  std::function<bool()> CancelledOrExpired() override { return heluo::CancelledOrExpired(context_); }

 private:
  grpc::ServerContext* context_;
  grpc::ServerReaderWriter<Response, Request>* stream_;
  StreamRegistry::Stream* guard_;
};

}  // namespace ordered_stream_internal

template <class Request, class Response>
OrderedStreamOutcome RunOrderedStream(OrderedStreamIo<Request, Response>& io, const OrderedStreamLimits& limits,
                                      const OrderedAnswer<Request, Response>& answer) {
  size_t workers = limits.workers;
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  return ordered_stream_internal::Pipeline<Request, Response>(io, limits, answer).Run(workers);
}

// A whole ordered-stream method of a service: the reader role, admission by the stream guard, the pipeline,
// and the call's status.
template <class Request, class Response>
grpc::Status ServeOrderedStream(grpc::ServerContext* context, grpc::ServerReaderWriter<Response, Request>* stream,
                                const Authorizer& auth, StreamRegistry& streams, const OrderedStreamLimits& limits,
                                const OrderedAnswer<Request, Response>& answer) {
  Principal who;
  if (grpc::Status a = auth.Check(context, Role::kReader, &who); !a.ok()) return a;
  StreamRegistry::Stream guard = streams.Admit(context, ClientOf(context, who));
  if (!guard.ok()) return guard.refusal();
  ordered_stream_internal::GrpcIo<Request, Response> io(context, stream, &guard);
  const OrderedStreamOutcome outcome = RunOrderedStream(io, limits, answer);
  if (outcome.ended_early || guard.ended_idle()) return guard.Ended();
  if (!outcome.status.ok()) return outcome.status;
  if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the stream");
  return grpc::Status::OK;
}

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_ORDERED_STREAM_H_
