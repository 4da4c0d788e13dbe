#include "server/core/tm/helper_threads.h"

#include <algorithm>
#include <utility>

namespace heluo {

HelperThreads &HelperThreads::Get() {
  static HelperThreads helpers(std::min<size_t>(std::max(std::thread::hardware_concurrency(), 1u), 8) - 1);
  return helpers;
}

HelperThreads::HelperThreads(size_t count) {
  for (size_t i = 0; i < count; ++i) threads_.emplace_back([this] { Loop(); });
}

HelperThreads::~HelperThreads() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread &t : threads_) t.join();
}

bool HelperThreads::TryRun(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ || idle_ <= tasks_.size()) return false;
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void HelperThreads::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
    --idle_;
    if (tasks_.empty()) return;  // Stopping, nothing handed over.
    std::function<void()> task = std::move(tasks_.back());
    tasks_.pop_back();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace heluo
