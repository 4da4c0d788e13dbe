#include "server/service/stream_guard.h"

#include <grpc/grpc.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "server/service/caller.h"
#include "server/service/log.h"

namespace heluo {

StreamRegistry::StreamRegistry(StreamPolicy policy) : policy_(policy) {
  watchdog_ = std::thread([this] { Watch(); });
}

StreamRegistry::~StreamRegistry() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  watchdog_.join();
}

StreamRegistry::Stream StreamRegistry::Admit(grpc::ServerContext* context, const std::string& client) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (static_cast<int>(entries_.size()) >= policy_.max_total) {
    return Stream(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                               "too many streaming calls at once on this server (limit " +
                                   std::to_string(policy_.max_total) + ", --max-streams); retry later"));
  }
  int& mine = per_client_[client];
  if (mine >= policy_.max_per_client) {
    if (mine == 0) per_client_.erase(client);
    return Stream(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                               "too many streaming calls at once from this client (" + client + ": limit " +
                                   std::to_string(policy_.max_per_client) +
                                   ", --max-streams-per-client); finish or cancel one, then retry"));
  }
  ++mine;
  entries_.push_front(Entry{context, client, {}, false, false});
  return Stream(this, entries_.begin());
}

StreamRegistry::Stream::Stream(Stream&& other) noexcept
    : registry_(other.registry_), entry_(other.entry_), refusal_(std::move(other.refusal_)) {
  other.registry_ = nullptr;
}

StreamRegistry::Stream::~Stream() {
  if (registry_ == nullptr) return;
  std::lock_guard<std::mutex> lock(registry_->mutex_);
  auto count = registry_->per_client_.find(entry_->client);
  if (--count->second == 0) registry_->per_client_.erase(count);
  registry_->entries_.erase(entry_);
}

void StreamRegistry::Stream::SetWaiting(bool waiting) {
  std::lock_guard<std::mutex> lock(registry_->mutex_);
  entry_->waiting = waiting;
  if (waiting) entry_->waiting_since = std::chrono::steady_clock::now();
}

bool StreamRegistry::Stream::ended_idle() const {
  std::lock_guard<std::mutex> lock(registry_->mutex_);
  return entry_->ended_idle;
}

namespace {

grpc::Status EndedIdle(std::chrono::milliseconds idle_timeout) {
  const auto seconds = std::chrono::duration<double>(idle_timeout).count();
  return grpc::Status(grpc::StatusCode::CANCELLED,
                      "the stream was ended: the client neither sent nor read anything for " +
                          std::to_string(seconds) + " s (--stream-idle-timeout)");
}

}  // namespace

grpc::Status StreamRegistry::Stream::Ended() const {
  if (ended_idle()) return EndedIdle(registry_->policy_.idle_timeout);
  return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
}

void EndCall(grpc::ServerContext* context, const grpc::Status& why) {
  grpc_call_cancel_with_status(context->c_call(), static_cast<grpc_status_code>(why.error_code()),
                               why.error_message().c_str(), nullptr);
}

void StreamRegistry::Watch() {
  // A quarter of the timeout between checks: a stalled stream ends within 1.25 timeouts.
  const auto tick = std::clamp<std::chrono::milliseconds>(policy_.idle_timeout / 4, std::chrono::milliseconds(10),
                                                          std::chrono::milliseconds(1000));
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_cv_.wait_for(lock, tick, [this] { return stopping_; })) {
    const auto now = std::chrono::steady_clock::now();
    for (Entry& e : entries_) {
      if (!e.waiting || e.ended_idle || now - e.waiting_since < policy_.idle_timeout) continue;
      e.ended_idle = true;
      EndCall(e.context, EndedIdle(policy_.idle_timeout));  // Its Read/Write fails; the method cleans up.
      spdlog::warn("{}", LogLine("stream ended: client idle", {{"client", e.client},
                                                               {"idle_ms", std::to_string(policy_.idle_timeout.count())}}));
    }
  }
}

std::string PeerHost(const grpc::ServerContext* context) {
  std::string peer = CallerPeer(*context);
  const size_t colon = peer.rfind(':');
  const size_t scheme = peer.find(':');
  // "ipv4:1.2.3.4:5678" and "ipv6:[::1]:5678" lose the port; "unix:/path" has none.
  if (colon != std::string::npos && colon != scheme && peer.compare(0, 5, "unix:") != 0) peer.resize(colon);
  return peer;
}

std::string ClientOf(const grpc::ServerContext* context, const Principal& who) {
  return who.authenticated ? "token " + who.name : "peer " + PeerHost(context);
}

}  // namespace heluo
