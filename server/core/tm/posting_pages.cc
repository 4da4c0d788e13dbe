#include "server/core/tm/posting_pages.h"

#include <algorithm>
#include <string>
#include <type_traits>

#include "server/core/store/store.h"

namespace heluo {

Result<size_t> CursorPages::Visit(size_t i, size_t from, size_t to, PageVisitor& visit) {
  // From the first posting of length `from` (GET_MULTIPLE then gives its
  // whole page) to the first page that starts beyond `to`.
  const std::string key = GramKey(lists_[i].gram), window_start = SourcePosting(EncodeU32(0), from);
  std::string_view k = key, v = window_start;
  size_t read = 0;
  // With a single posting under the key LMDB's GET_MULTIPLE leaves v as
  // GET_BOTH_RANGE set it: that one.
  Result<bool> more = cursor_->Seek(MDB_GET_BOTH_RANGE, &k, &v);
  for (more = more.ok() && *more ? cursor_->Seek(MDB_GET_MULTIPLE, &k, &v) : more; more.ok() && *more;
       more = cursor_->Seek(MDB_NEXT_MULTIPLE, &k, &v)) {
    const PostingPage page(v);
    if (page.size() == 0 || page.length(0) > to) break;
    read += page.size();
    visit(page);
  }
  if (!more.ok()) return more.status();
  return read;
}

Result<size_t> MemoryPages::Visit(size_t i, size_t from, size_t to, PageVisitor& visit) {
  constexpr size_t kPiece = 4096;
  const PostingRun window = SourcePostings::Window(lists_[i].run, from, to);
  for (size_t at = 0; at < window.size(); at += kPiece) visit(window.Sub(at, std::min(kPiece, window.size() - at)));
  return window.size();
}

CollectedPages::CollectedPages(PageSource* cursor, size_t lists, size_t from, size_t to)
    : cursor_(cursor), pages_(lists) {
  for (size_t i = 0; i < lists && status_.ok(); ++i) {
    VisitEach collect([&](const auto& page) {
      if constexpr (std::is_same_v<std::decay_t<decltype(page)>, PostingPage>) pages_[i].push_back(page.bytes());
    });
    Result<size_t> read = cursor->Visit(i, from, to, collect);
    if (!read.ok()) status_ = read.status();
  }
}

Result<size_t> CollectedPages::Visit(size_t i, size_t from, size_t to, PageVisitor& visit) {
  if (i >= pages_.size()) return cursor_->Visit(i, from, to, visit);
  size_t read = 0;
  for (std::string_view bytes : pages_[i]) {
    const PostingPage page(bytes);
    if (page.length(page.size() - 1) < from) continue;
    if (page.length(0) > to) break;
    read += page.size();
    visit(page);
  }
  return read;
}

}  // namespace heluo
