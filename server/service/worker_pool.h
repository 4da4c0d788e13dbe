// WorkerPool: a few persistent threads that run handed-over tasks in the order
// given. Callback-API handlers hand it the calls whose bodies may run long (a
// fuzzy lookup at a low min_score can take tens to hundreds of milliseconds at
// a million segments), so that gRPC's callback threads — one per core, shared
// by every callback method and the health check — are never held by them
// (unary_reactor.h).
//
// Thread-safety: Run may be called from any thread. The destructor runs what is
// queued, then joins.
#ifndef HELUO_SERVER_SERVICE_WORKER_POOL_H_
#define HELUO_SERVER_SERVICE_WORKER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace heluo {

class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  void Run(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_WORKER_POOL_H_
