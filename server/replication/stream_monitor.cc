#include "server/replication/stream_monitor.h"

namespace heluo {

void StreamMonitor::Start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
}

void StreamMonitor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void StreamMonitor::Tick() {
  const auto asked = std::chrono::system_clock::now();
  Result<StreamState> stream = stream_->State();
  if (!stream.ok() && stream.status().code() != Status::Code::kNotFound) {
    // Keep what was known: the lag now counts from the last answer (ReplicaLagMillis).
    view_.reachable = false;
    view_.error = stream.status().message();
    state_->SetStream(view_);
    return;
  }
  view_.reachable = true;
  view_.error.clear();
  view_.asked_at = asked;
  view_.last_stream_seq = stream.ok() ? stream->last_seq : 0;  // No stream yet: nothing was published.
  const uint64_t applied = state_->Snapshot(asked).applied_stream_seq;
  if (state_->role() != ReplicationRole::kReplica || applied >= view_.last_stream_seq) {
    view_.behind_since.reset();
    behind_message_ = 0;
  } else if (behind_message_ != applied + 1 || !view_.behind_since) {
    // The first message not applied: its time is how old the replica's view is.
    Result<std::chrono::system_clock::time_point> stored = stream_->MessageTime(applied + 1);
    behind_message_ = applied + 1;
    view_.behind_since = stored.ok() ? *stored : asked;
  }
  state_->SetStream(view_);
}

void StreamMonitor::Run() {
  auto next_report = std::chrono::steady_clock::now() + report_every_;
  for (;;) {
    Tick();
    if (report_ && state_->role() == ReplicationRole::kReplica && std::chrono::steady_clock::now() >= next_report) {
      report_(state_->Snapshot());
      next_report += report_every_;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

std::unique_ptr<StreamMonitor> StartStreamMonitor(ChangeStream* stream, ReplicationState* state,
                                                  std::function<void(const ReplicationSnapshot&)> report) {
  if (stream == nullptr || state == nullptr) return nullptr;
  auto monitor = std::make_unique<StreamMonitor>(stream, state, std::move(report));
  monitor->Start();
  return monitor;
}

void AdvanceToApplied(const Applier& applier, ReplicationState* state) {
  if (state == nullptr) return;
  Result<AppliedPosition> position = applier.Position();
  if (position.ok()) state->Advance(position->commit_seq, position->stream_seq);
}

}  // namespace heluo
