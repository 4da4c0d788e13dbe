#include "server/core/tm/posting_runs.h"

#include <algorithm>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <queue>
#include <system_error>
#include <thread>

namespace heluo {
namespace {

constexpr size_t kIoBytes = size_t{1} << 18;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

Status IoError(const std::string& what, const std::string& path) {
  return Status::Internal(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

// One spilled run of one table, read back in order: entries are (key delta, value) varints, the value a
// delta from the previous one when the key repeats (a bigram's postings differ in their last bytes only).
class PostingRuns::Run {
 public:
  ~Run() {
    if (file_) std::fclose(file_);
  }
  Status Open(const std::string& path) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) return IoError("opening the import's sorted run", path);
    return Status::Ok();
  }
  Result<bool> Next(WaitingPosting* out) {
    uint64_t delta = 0;
    Result<bool> more = Varint(&delta);
    if (!more.ok() || !*more) return more;
    uint64_t value = 0;
    more = Varint(&value);
    if (!more.ok()) return more;
    if (!*more) return Status::DataLoss("the import's sorted run " + path_ + " ends inside an entry");
    if (delta == 0 && started_) {
      last_.value += value;
    } else {
      last_.gram += delta;
      last_.value = value;
    }
    started_ = true;
    *out = last_;
    return true;
  }

 private:
  Result<bool> Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == size_) {
        size_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
        at_ = 0;
        if (size_ == 0) {
          if (std::ferror(file_)) return IoError("reading the import's sorted run", path_);
          if (shift != 0) return Status::DataLoss("the import's sorted run " + path_ + " is truncated");
          return false;
        }
      }
      const uint8_t byte = static_cast<uint8_t>(buffer_[at_++]);
      *v |= uint64_t{byte & 0x7Fu} << shift;
      if (byte < 0x80) return true;
    }
    return Status::DataLoss("the import's sorted run " + path_ + " is corrupt");
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_ = std::vector<char>(kIoBytes);
  size_t at_ = 0, size_ = 0;
  bool started_ = false;
  WaitingPosting last_{0, 0};
};

// A k-way merge of the runs and the sorted entries still in memory.
class PostingRuns::Merger : public PostingRuns::Merge {
 public:
  explicit Merger(const std::vector<WaitingPosting>* memory) : memory_(memory) {}
  Status AddRun(const std::string& path) {
    runs_.push_back(std::make_unique<Run>());
    return runs_.back()->Open(path);
  }
  Status Start() {
    for (size_t i = 0; i < runs_.size(); ++i) HELUO_RETURN_IF_ERROR(Refill(i));
    if (!memory_->empty()) heap_.push({(*memory_)[0], kMemory});
    return Status::Ok();
  }
  Result<bool> Next(WaitingPosting* out) override {
    if (heap_.empty()) return false;
    const Head head = heap_.top();
    heap_.pop();
    *out = head.entry;
    if (head.source == kMemory) {
      if (++memory_at_ < memory_->size()) heap_.push({(*memory_)[memory_at_], kMemory});
    } else {
      HELUO_RETURN_IF_ERROR(Refill(head.source));
    }
    return true;
  }

 private:
  static constexpr size_t kMemory = ~size_t{0};
  struct Head {
    WaitingPosting entry;
    size_t source;
    bool operator>(const Head& o) const { return entry > o.entry; }
  };
  Status Refill(size_t run) {
    WaitingPosting w;
    Result<bool> more = runs_[run]->Next(&w);
    if (!more.ok()) return more.status();
    if (*more) heap_.push({w, run});
    return Status::Ok();
  }

  const std::vector<WaitingPosting>* memory_;
  size_t memory_at_ = 0;
  std::vector<std::unique_ptr<Run>> runs_;
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heap_;
};

PostingRuns::PostingRuns(std::string dir, size_t max_entries) : dir_(std::move(dir)), max_entries_(max_entries) {}

PostingRuns::~PostingRuns() {
  if (owned_ && runs_ > 0) RemovePostingRuns(dir_);
}

namespace {

Status SyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return IoError("opening for sync", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : IoError("syncing", path);
}

}  // namespace

Status PostingRuns::Seal() {
  if (count_ > 0 || runs_ == 0) HELUO_RETURN_IF_ERROR(Spill());
  for (int run = 0; run < runs_; ++run) {
    for (int t = 0; t < kIndexTables; ++t) HELUO_RETURN_IF_ERROR(SyncPath(RunPath(run, t), O_RDONLY));
  }
  const std::string sealed = dir_ + "/sealed";
  {
    std::FILE* file = std::fopen(sealed.c_str(), "wb");
    if (!file) return IoError("creating", sealed);
    const bool written = std::fprintf(file, "%d\n", runs_) > 0;
    if (std::fclose(file) != 0 || !written) return IoError("writing", sealed);
  }
  HELUO_RETURN_IF_ERROR(SyncPath(sealed, O_RDONLY));
  return SyncPath(dir_, O_RDONLY | O_DIRECTORY);
}

Result<std::unique_ptr<PostingRuns>> PostingRuns::OpenSealed(const std::string& dir) {
  std::FILE* file = std::fopen((dir + "/sealed").c_str(), "rb");
  if (!file) return Status::NotFound("the import's runs were not sealed");
  int runs = -1;
  const bool read = std::fscanf(file, "%d", &runs) == 1;
  std::fclose(file);
  if (!read || runs < 1) return Status::NotFound("the import's run list is unreadable");
  auto out = std::make_unique<PostingRuns>(dir);
  out->runs_ = runs;
  out->owned_ = false;
  for (int run = 0; run < runs; ++run) {
    for (int t = 0; t < kIndexTables; ++t) {
      std::error_code ec;
      if (!std::filesystem::exists(out->RunPath(run, t), ec)) return Status::NotFound("a run of the import is missing");
    }
  }
  return out;
}

Status PostingRuns::Open() {
  RemovePostingRuns(dir_);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Status::Internal("creating the import's run directory " + dir_ + ": " + ec.message());
  return Status::Ok();
}

std::string PostingRuns::RunPath(int run, int table) const {
  return dir_ + "/run-" + std::to_string(run) + "-" + std::to_string(table);
}

Status PostingRuns::SpillTable(int t, std::vector<WaitingPosting>* buffer) {
  std::vector<WaitingPosting>& waiting = waiting_[t];
  SortPostings(&waiting, buffer);
  const std::string path = RunPath(runs_, t);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return IoError("creating the import's sorted run", path);
  std::string bytes;
  WaitingPosting last{0, 0};
  bool first = true;
  Status st;
  for (size_t i = 0; i < waiting.size() && st.ok(); ++i) {
    const WaitingPosting& w = waiting[i];
    const uint64_t delta = w.gram - last.gram;
    PutVarint(&bytes, delta);
    PutVarint(&bytes, delta == 0 && !first ? w.value - last.value : w.value);
    last = w;
    first = false;
    if (bytes.size() >= kIoBytes || i + 1 == waiting.size()) {
      if (std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size()) {
        st = IoError("writing the import's sorted run", path);
      }
      bytes.clear();
    }
  }
  if (std::fclose(file) != 0 && st.ok()) st = IoError("writing the import's sorted run", path);
  waiting.clear();
  waiting.shrink_to_fit();  // The next run's entries are spread differently over the tables.
  buffer->clear();
  buffer->shrink_to_fit();
  return st;
}

Status PostingRuns::Spill() {
  // The source bigrams (about half the entries) are sorted and written on a second thread meanwhile: the
  // last spill happens after every pair is prepared, when nothing else keeps the other core busy, and a
  // spill while staging holds up the writer (and so the workers, once the batch queue is full).
  Status source;
  std::thread helper([&] {
    pthread_setname_np(pthread_self(), "import-spill");
    source = SpillTable(static_cast<int>(IndexTable::kSourceGrams), &helper_buffer_);
  });
  Status rest;
  for (int t = 0; t < kIndexTables && rest.ok(); ++t) {
    if (t != static_cast<int>(IndexTable::kSourceGrams)) rest = SpillTable(t, &buffer_);
  }
  helper.join();
  HELUO_RETURN_IF_ERROR(source);
  HELUO_RETURN_IF_ERROR(rest);
  ++runs_;
  count_ = 0;
  return Status::Ok();
}

Result<std::unique_ptr<PostingRuns::Merge>> PostingRuns::MergeTable(IndexTable table) {
  const int t = static_cast<int>(table);
  SortPostings(&waiting_[t], &buffer_);
  auto merger = std::make_unique<Merger>(&waiting_[t]);
  for (int run = 0; run < runs_; ++run) HELUO_RETURN_IF_ERROR(merger->AddRun(RunPath(run, t)));
  HELUO_RETURN_IF_ERROR(merger->Start());
  return std::unique_ptr<Merge>(std::move(merger));
}

void RemovePostingRuns(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace heluo
