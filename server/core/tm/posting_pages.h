// Where a fuzzy lookup's postings plan (fuzzy_index.cc) reads the posting lists of its query: LMDB's pages of
// src_grams through the lookup's cursor, the same pages collected beforehand so that helper threads can
// count them, or the runs of the lists the source array holds in memory (source_postings.h). Each source
// hands the plan the part of list i whose segment lengths lie in a window; the plan's counting code is
// compiled once for each kind of page (PageVisitor).
//
// Thread-safety: CursorPages only on the lookup's thread (an LMDB cursor belongs to one thread);
// CollectedPages for the collected lists and MemoryPages from any thread.
#ifndef HELUO_SERVER_CORE_TM_POSTING_PAGES_H_
#define HELUO_SERVER_CORE_TM_POSTING_PAGES_H_

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/lmdb.h"
#include "server/core/tm/postings.h"
#include "server/core/tm/source_postings.h"

namespace heluo {

// The query's posting lists: the bigram and its number of postings (all
// lengths), and the list itself when it is in memory (SourcePostings).
struct PostingList {
  size_t size;
  Gram gram;
  PostingRun run;  // Empty when the list is read from LMDB.
};

// What the postings plan does with the pages of a list: LMDB's pages (PostingPage) and runs of the lists in
// memory (PostingRun) alike, each with counting code compiled for it.
class PageVisitor {
 public:
  virtual void operator()(const PostingPage& page) = 0;
  virtual void operator()(const PostingRun& run) = 0;

 protected:
  ~PageVisitor() = default;
};

template <typename F>
class VisitEach final : public PageVisitor {
 public:
  explicit VisitEach(F f) : f_(std::move(f)) {}
  void operator()(const PostingPage& page) override { f_(page); }
  void operator()(const PostingRun& run) override { f_(run); }

 private:
  F f_;
};

// Where the postings plan gets the part of list i with lengths [from, to].
// Visit calls visit(page) for the pages holding them (the first page may start
// with shorter postings, which count for nobody: no segment of a length outside
// the band is admitted) and returns the postings visited.
class PageSource {
 public:
  virtual ~PageSource() = default;
  virtual Result<size_t> Visit(size_t i, size_t from, size_t to, PageVisitor& visit) = 0;
};

// Read with the lookup's own cursor: only on the lookup's thread (an LMDB
// cursor belongs to one thread).
class CursorPages : public PageSource {
 public:
  CursorPages(LmdbCursor* cursor, const std::vector<PostingList>& lists) : cursor_(cursor), lists_(lists) {}
  Result<size_t> Visit(size_t i, size_t from, size_t to, PageVisitor& visit) override;

 private:
  LmdbCursor* cursor_;
  const std::vector<PostingList>& lists_;
};

// Lists in memory (the array's SourcePostings): only the window's postings,
// in pieces of a few thousand (BandCut weighs the bands by piece), readable
// from any thread.
class MemoryPages : public PageSource {
 public:
  explicit MemoryPages(const std::vector<PostingList>& lists) : lists_(lists) {}
  Result<size_t> Visit(size_t i, size_t from, size_t to, PageVisitor& visit) override;

 private:
  const std::vector<PostingList>& lists_;
};

// The first lists' LMDB pages collected beforehand on the lookup's thread,
// readable from any thread (the pages of a read transaction stay where they are
// until it ends); the other lists are read with the cursor, so only on the
// lookup's thread. (Lists in memory need no collecting.)
class CollectedPages : public PageSource {
 public:
  CollectedPages(PageSource* cursor, size_t lists, size_t from, size_t to);
  const Status& status() const { return status_; }
  Result<size_t> Visit(size_t i, size_t from, size_t to, PageVisitor& visit) override;

 private:
  PageSource* cursor_;
  std::vector<std::vector<std::string_view>> pages_;
  Status status_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_POSTING_PAGES_H_
