#include "server/replication/follower.h"

#include <algorithm>
#include <chrono>

namespace heluo {

void Follower::Start() {
  if (thread_.joinable()) return;
  if (Result<AppliedPosition> at = applier_->Position(); at.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    state_.applied = *at;
  }
  applier_->set_on_applied([this](const AppliedPosition& at) {
    std::lock_guard<std::mutex> lock(mutex_);
    state_.applied = at;
    state_.applied_at = std::chrono::system_clock::now();
  });
  thread_ = std::thread([this] { Run(); });
}

FollowerState Follower::State() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_;
}

void Follower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void Follower::Run() {
  using std::chrono::milliseconds;
  milliseconds backoff(0);
  Status last;  // The state reported last (OK at start).
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (wake_.wait_for(lock, backoff, [this] { return stopping_; })) return;
    }
    // Short waits for new messages, so Stop() is never held up for long.
    Result<size_t> applied = applier_->ApplyAvailable(milliseconds(250));
    Status now = applied.status();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      state_.status = now;
    }
    if (now.code() != last.code()) {
      last = now;
      if (on_state_) on_state_(now);
    }
    if (applied.ok()) {
      backoff = milliseconds(0);
      if (*applied > 0 && after_apply_) after_apply_();
    } else if (!applier_->lost().ok()) {
      backoff = milliseconds(60 * 60 * 1000);  // For good: only a re-seed helps; Stop() still ends it.
    } else {
      backoff = std::clamp(backoff * 2, milliseconds(100), milliseconds(5000));
    }
  }
}

}  // namespace heluo
