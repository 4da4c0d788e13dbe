#include "server/replication/publisher.h"

#include <algorithm>
#include <vector>

namespace heluo {

Status Publisher::PublishRow(uint64_t sequence, std::string_view log) {
  const size_t parts = std::max<size_t>(1, (log.size() + kMaxPartBytes - 1) / kMaxPartBytes);
  for (size_t k = 0; k < parts; ++k) {
    const std::string_view payload = log.substr(k * kMaxPartBytes, kMaxPartBytes);
    const MessageHeaders headers = {{kCommitSequenceHeader, std::to_string(sequence)},
                                    {kPartHeader, std::to_string(k + 1) + "/" + std::to_string(parts)}};
    Result<PublishAck> ack =
        stream_->Publish(std::to_string(sequence) + "." + std::to_string(k + 1), payload, headers);
    if (!ack.ok()) return ack.status();
  }
  return Status::Ok();
}

Result<size_t> Publisher::PublishPending() {
  size_t published = 0;
  for (;;) {
    // A few rows per snapshot: the read is not held while waiting on NATS.
    std::vector<std::pair<uint64_t, std::string>> rows;
    HELUO_RETURN_IF_ERROR(store_->ReadOutbox(0, 16, [&](uint64_t sequence, std::string_view log) {
      rows.emplace_back(sequence, std::string(log));
      return true;
    }));
    if (rows.empty()) return published;
    for (const auto& [sequence, log] : rows) {
      HELUO_RETURN_IF_ERROR(PublishRow(sequence, log));
      last_published_ = sequence;
      ++published;
    }
    HELUO_RETURN_IF_ERROR(store_->TrimOutbox(rows.back().first));
  }
}

void Publisher::Start(std::chrono::milliseconds interval) {
  if (thread_.joinable()) return;
  thread_ = std::thread([this, interval] { Run(interval); });
}

void Publisher::Notify() {
  std::lock_guard<std::mutex> lock(mutex_);
  notified_ = true;
  wake_.notify_one();
}

void Publisher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void Publisher::Run(std::chrono::milliseconds interval) {
  std::chrono::milliseconds wait = interval;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, wait, [this] { return notified_ || stopping_; });
      if (stopping_) return;
      notified_ = false;
    }
    Result<size_t> done = PublishPending();
    if (done.ok()) {
      wait = interval;
    } else {  // NATS away (or the store failing): back off, keep the rows.
      wait = wait == interval
                 ? std::chrono::milliseconds(100)
                 : std::min<std::chrono::milliseconds>(wait * 2, std::chrono::milliseconds(5000));
    }
  }
}

}  // namespace heluo
