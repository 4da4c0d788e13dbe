#include "server/core/replication_state.h"

#include <algorithm>
#include <vector>

namespace heluo {

const char* ReplicationRoleName(ReplicationRole role) {
  return role == ReplicationRole::kPrimary ? "primary" : "replica";
}

ReplicationState::~ReplicationState() {
  ReleaseWaiters();
  if (dispatcher_.joinable()) dispatcher_.join();
}

void ReplicationState::Advance(uint64_t sequence, uint64_t stream_seq) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sequence >= sequence_.load()) {
      sequence_.store(sequence, std::memory_order_release);
      applied_stream_seq_ = std::max(applied_stream_seq_, stream_seq);
    }
  }
  advanced_.notify_all();
  waiters_changed_.notify_one();
}

bool ReplicationState::WaitFor(uint64_t wanted, std::chrono::system_clock::time_point deadline) const {
  if (role_ == ReplicationRole::kPrimary || sequence() >= wanted) return true;
  std::unique_lock<std::mutex> lock(mutex_);
  advanced_.wait_until(lock, deadline, [&] { return sequence_.load() >= wanted || stopping_; });
  return sequence_.load() >= wanted;
}

void ReplicationState::WhenReached(uint64_t wanted, std::chrono::system_clock::time_point deadline,
                                   std::function<void()> then) {
  if (role_ == ReplicationRole::kPrimary || sequence() >= wanted ||
      std::chrono::system_clock::now() >= deadline) {
    then();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_ && sequence_.load() < wanted) {  // Checked again under the lock: no wake-up is missed.
      waiters_.emplace(deadline, Waiter{wanted, std::move(then)});
      if (!dispatcher_.joinable()) dispatcher_ = std::thread([this] { Dispatch(); });
      waiters_changed_.notify_one();
      return;
    }
  }
  then();
}

void ReplicationState::ReleaseWaiters() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  advanced_.notify_all();
  waiters_changed_.notify_one();
}

void ReplicationState::Dispatch() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    std::vector<std::function<void()>> due;
    const auto now = std::chrono::system_clock::now();
    const uint64_t reached = sequence_.load();
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (stopping_ || it->first <= now || it->second.wanted <= reached) {
        due.push_back(std::move(it->second.then));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
    if (!due.empty()) {
      lock.unlock();
      for (auto& then : due) then();
      lock.lock();
      continue;
    }
    if (stopping_) return;
    if (waiters_.empty()) {
      waiters_changed_.wait(lock);
    } else {
      waiters_changed_.wait_until(lock, waiters_.begin()->first);
    }
  }
}

void ReplicationState::SetLost(const Status& why) {
  std::lock_guard<std::mutex> lock(mutex_);
  lost_ = why;
}

Status ReplicationState::lost() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lost_;
}

void ReplicationState::SetStream(const StreamView& view) {
  std::lock_guard<std::mutex> lock(mutex_);
  stream_ = view;
}

ReplicationSnapshot ReplicationState::Snapshot(std::chrono::system_clock::time_point now) const {
  ReplicationSnapshot s;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    s.role = role_;
    s.sequence = sequence_.load();
    s.applied_stream_seq = applied_stream_seq_;
    s.stream = stream_;
    s.lost = lost_.ok() ? "" : lost_.message();
  }
  s.max_lag = max_lag_;
  if (role_ == ReplicationRole::kReplica) {
    s.lag_messages = s.stream.last_stream_seq > s.applied_stream_seq
                         ? static_cast<int64_t>(s.stream.last_stream_seq - s.applied_stream_seq)
                         : 0;
    s.lag_ms = ReplicaLagMillis(s.stream, s.applied_stream_seq, created_, now);
    if (!s.lost.empty()) {
      s.serving = Status::FailedPrecondition(s.lost);
    } else if (s.lag_ms > max_lag_.count()) {
      s.serving = Status::Unavailable(
          "this replica is " + std::to_string(s.lag_ms) + " ms behind its primary, more than the " +
          std::to_string(max_lag_.count()) + " ms --max-replica-lag allows" +
          (s.stream.reachable ? "" : " (the change stream cannot be reached: " + s.stream.error + ")"));
    }
  }
  return s;
}

Status ReplicationState::Serving(std::chrono::system_clock::time_point now) const { return Snapshot(now).serving; }

int64_t ReplicaLagMillis(const StreamView& stream, uint64_t applied_stream_seq,
                         std::chrono::system_clock::time_point started, std::chrono::system_clock::time_point now) {
  using std::chrono::system_clock;
  std::optional<system_clock::time_point> since;
  if (stream.reachable) {
    if (applied_stream_seq < stream.last_stream_seq) since = stream.behind_since.value_or(stream.asked_at);
  } else {
    // Whatever happened since the stream last answered (or since this server started, if it never did)
    // this replica cannot know about.
    since = stream.asked_at == system_clock::time_point{} ? started : stream.asked_at;
    if (stream.behind_since && *stream.behind_since < *since) since = stream.behind_since;
  }
  if (!since || *since >= now) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - *since).count();
}

}  // namespace heluo

namespace heluo {

std::unique_ptr<ReplicationState> MakeReplicationState(bool primary, bool replica, double max_lag_seconds) {
  if (!primary && !replica) return nullptr;
  auto state = std::make_unique<ReplicationState>(primary ? ReplicationRole::kPrimary : ReplicationRole::kReplica);
  state->set_max_lag(std::chrono::milliseconds(static_cast<int64_t>(max_lag_seconds * 1000)));
  return state;
}

Status AdvanceToCommitted(const Store& store, ReplicationState* state) {
  if (state == nullptr || state->role() != ReplicationRole::kPrimary) return Status::Ok();
  Result<uint64_t> committed = store.CommitSequence();
  if (!committed.ok()) return committed.status();
  state->Advance(*committed);
  return Status::Ok();
}

}  // namespace heluo
