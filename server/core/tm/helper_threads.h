// HelperThreads: one persistent thread per extra core, lent to a single lookup
// that is worth splitting (fuzzy_index.cc counts the postings of a long query
// in two length bands, one per core).
//
// A helper is only lent when it is idle: when every core is already busy with
// lookups (a LookupStream, many clients) a lookup runs alone on its own thread
// instead of queueing behind another, so splitting never makes a loaded server
// slower. Persistent threads keep their thread-local counter arrays (2 MB at a
// million segments) and cost no thread start per lookup.
//
// Thread-safety: may be called from any thread.
#ifndef HELUO_SERVER_CORE_TM_HELPER_THREADS_H_
#define HELUO_SERVER_CORE_TM_HELPER_THREADS_H_

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace heluo {

class HelperThreads {
 public:
  // The process's helpers: hardware_concurrency() − 1 of them (at most 7).
  static HelperThreads &Get();

  explicit HelperThreads(size_t count);
  ~HelperThreads();
  HelperThreads(const HelperThreads &) = delete;
  HelperThreads &operator=(const HelperThreads &) = delete;

  // Runs `task` on an idle helper and returns true; returns false at once (and
  // does not run it) when none is idle. The caller waits for the task's end
  // itself.
  bool TryRun(std::function<void()> task);
  size_t count() const { return threads_.size(); }

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::function<void()>> tasks_;  // Handed over, not yet taken (at most one per idle helper).
  size_t idle_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_HELPER_THREADS_H_
