// A test client for the ordered-stream pipeline (server/service/ordered_stream.h) that LookupStream and
// CheckTerminologyStream share, driven through its I/O interface: it sends `requests` (then half-closes, or
// stays silent when `silent_after_all`), reads every answer (each after `write_delay`), and may go away after
// `fail_write_at` answers. A silent client's Read blocks until Cancel().
#ifndef HELUO_TESTS_FAKE_ORDERED_STREAM_CLIENT_H_
#define HELUO_TESTS_FAKE_ORDERED_STREAM_CLIENT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "server/service/ordered_stream.h"

namespace heluo {

template <typename Request, typename Response>
class FakeOrderedStreamClient : public OrderedStreamIo<Request, Response> {
 public:
  std::vector<Request> requests;
  bool silent_after_all = false;
  int fail_write_at = -1;
  std::chrono::microseconds write_delay{0};

  std::vector<Response> answers;
  int max_ahead = 0;  // Most requests read and not yet answered at any Read.
  bool cancelled = false;
  grpc::Status cancelled_with;  // The status Cancel() ended the call with.
  int waiting_changes = 0;

  bool Read(Request* request) override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (next_ >= requests.size()) {
      if (!silent_after_all) return false;
      cv_.wait(lock, [this] { return cancelled; });
      return false;
    }
    *request = requests[next_++];
    max_ahead = std::max(max_ahead, static_cast<int>(next_ - answers.size()));
    return true;
  }
  bool Write(const Response& response) override {
    std::this_thread::sleep_for(write_delay);
    std::lock_guard<std::mutex> lock(mutex_);
    if (static_cast<int>(answers.size()) == fail_write_at) return false;
    answers.push_back(response);
    return true;
  }
  void SetWaiting(bool) override { ++waiting_changes; }
  void Cancel(const grpc::Status& why) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled = true;
    cancelled_with = why;
    cv_.notify_all();
  }
  std::function<bool()> CancelledOrExpired() override {
    return [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      return cancelled;
    };
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  size_t next_ = 0;
};

// Runs `run` (the pipeline on `client`) and fails the test, rather than hanging it, if the pipeline has not
// returned within `limit`: the client is then cancelled, which lets a reader blocked on it return.
template <typename Request, typename Response>
OrderedStreamOutcome RunWithin(FakeOrderedStreamClient<Request, Response>& client, std::chrono::seconds limit,
                               const std::function<OrderedStreamOutcome()>& run) {
  std::future<OrderedStreamOutcome> done = std::async(std::launch::async, run);
  if (done.wait_for(limit) == std::future_status::timeout) {
    ADD_FAILURE() << "the stream did not end within " << limit.count() << " s: a thread was left waiting";
    client.Cancel(grpc::Status(grpc::StatusCode::CANCELLED, "the test gave up waiting"));
  }
  return done.get();
}

// A client that stops reading: `client` (its requests set) stays silent after sending them and its sixth
// Write fails. `run` (the pipeline on `client`) must end early within 10 s with five answers sent and the
// call cancelled, which is what lets a reader blocked on the client return.
template <typename Request, typename Response>
void ExpectAClientGoneAfterFiveAnswersEndsTheStream(FakeOrderedStreamClient<Request, Response>& client,
                                                    const std::function<OrderedStreamOutcome()>& run) {
  client.silent_after_all = true;  // Its Read only returns once the call is cancelled.
  client.fail_write_at = 5;
  const OrderedStreamOutcome out = RunWithin(client, std::chrono::seconds(10), run);
  EXPECT_TRUE(out.ended_early);
  EXPECT_EQ(out.answered, 5);
  EXPECT_TRUE(client.cancelled);
}

}  // namespace heluo

#endif  // HELUO_TESTS_FAKE_ORDERED_STREAM_CLIENT_H_
