#include "server/core/tm/fuzzy_index.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>

#include "server/core/tm/count_filter.h"
#include "server/core/tm/edit_distance.h"
#include "server/core/tm/helper_threads.h"
#include "server/core/tm/huge_page_allocator.h"
#include "server/core/tm/posting_pages.h"
#include "server/core/tm/postings.h"
#include "server/core/tm/segment.h"
#include "server/core/tm/source_postings.h"

namespace heluo {
namespace {

// A segment met in the postings of a lookup: its number (with an array: its
// entry in the array, which the in-memory postings hold instead) and its token
// count (from the postings).
struct Counted {
  uint32_t number;
  uint16_t length;
};

// Grown by a page at a time and trimmed to those admitted: an allocator that
// leaves new elements uninitialized, as resize would otherwise zero a page's
// worth of them for every page.
template <typename T>
struct UninitializedAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <typename U>
  UninitializedAllocator(const UninitializedAllocator<U> &) {}  // NOLINT: converting, as allocators are.
  template <typename U>
  void construct(U *p) noexcept {
    ::new (static_cast<void *>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U *p, Args &&...args) {
    ::new (static_cast<void *>(p)) U(std::forward<Args>(args)...);
  }
};
using CountedList = std::vector<Counted, UninitializedAllocator<Counted>>;

// Counting is the hot loop of a lookup: one counter per posting, in an array of
// one counter per segment (1 or 2 MB at a million segments). Read from LMDB a
// list's segment numbers are random places in it, so the counter kPrefetch
// postings ahead is prefetched; the in-memory lists hold array entries, which
// ascend along a list. The loops have no data-dependent branches. `shared`
// holds `limit` counters; 0 means "not counted".

constexpr size_t kPrefetch = 16;
// The in-memory lists hold array entries, ascending along a list: the hardware
// prefetcher follows them without help.
template <typename Page>
constexpr bool kPrefetchCounters = !std::is_same_v<Page, PostingRun>;

// One more shared bigram for every counted segment in `page`; others are not
// counted.
template <typename Counter, typename Page>
void AddToCounted(const Page &page, Counter *shared, size_t limit) {
  for (size_t i = 0; i < page.size(); ++i) {
    if (kPrefetchCounters<Page> && i + kPrefetch < page.size())
      __builtin_prefetch(shared + std::min<size_t>(page.number(i + kPrefetch), limit - 1));
    const uint32_t n = page.number(i);
    if (n >= limit)
      continue;  // Cannot happen within one snapshot; guards against a corrupt
                 // posting.
    const Counter c = shared[n];
    shared[n] = static_cast<Counter>(c + (c != 0));
  }
}

// Like AddToCounted, and a segment met for the first time is counted (appended
// to `counted`) if it can still share Need(its length) bigrams: `reachable` at
// most.
template <typename Counter, typename Page>
void AddAndAdmit(const Page &page, Counter *shared, size_t limit, const CountFilter &filter,
                 int reachable, CountedList *counted) {
  const size_t before = counted->size();
  counted->resize(before + page.size());
  Counted *out = counted->data() + before;
  size_t added = 0;
  for (size_t i = 0; i < page.size(); ++i) {
    if (kPrefetchCounters<Page> && i + kPrefetch < page.size())
      __builtin_prefetch(shared + std::min<size_t>(page.number(i + kPrefetch), limit - 1));
    const uint32_t n = page.number(i);
    if (n >= limit)
      continue;  // Cannot happen within one snapshot; guards against a corrupt
                 // posting.
    const uint16_t len = page.length(i);
    const Counter c = shared[n];
    const bool admit = (c == 0) & (filter.Need(len) <= reachable);
    shared[n] = static_cast<Counter>(c + ((c != 0) | admit));
    out[added] = Counted{n, len};
    added += admit;
  }
  counted->resize(before + added);
}

// After the admitting lists, a list is read only if it has fewer than this many
// postings in the length window per candidate left (the bigrams of the lists
// not read count as shared by every candidate). On the 1M-segment benchmark
// reading and counting a posting costs ~4 ns and verifying a candidate ~1.5 µs
// (a random LMDB read of its tokens), about 350 postings; 150, 300 and 600
// measured 0.90, 0.85 and 0.86 ms p50.
constexpr size_t kPostingsPerCandidate = 300;
// The same bound when candidates are verified from the SourceArray (~150 ns
// each instead of ~1.5 µs).
constexpr size_t kArrayPostingsPerCandidate = 40;

Status CancelledStatus() { return Status::Cancelled("the lookup was cancelled or ran past its deadline"); }

// What the query needs to score a segment of the array: its bit masks, its
// token signature with the count of query tokens per signature bit, and the
// largest distance allowed per segment length.
class Verifier {
 public:
  Verifier(const std::vector<uint32_t> &q_ids, int min_score, bool use_signatures)
      : pattern_(q_ids), ls_(q_ids.size()), min_score_(min_score), use_signatures_(use_signatures) {
    for (uint32_t id : q_ids) {
      signature_.Add(id);
      ++count_of_bit_[TokenSet::Bit(id)];
    }
  }

  // The distance when the segment scores at least min_score, else -1.
  int Score(std::span<const uint32_t> s, const TokenSet &s_signature) const {
    if (!MayScore(s.size(), s_signature)) return -1;
    return Distance(s);
  }

  // Whether a segment of lt tokens with this token set may score min_score
  // (false: it cannot).
  bool MayScore(size_t lt, const TokenSet &s_signature) const {
    const int k = MaxDistanceFor(min_score_, std::max(ls_, lt));
    if (use_signatures_) {
      // Query tokens whose bit the segment lacks are not in it: each is
      // substituted or deleted (s + e ≥ missing_q); the segment has at least
      // one token for each of its bits the query lacks, each substituted or
      // inserted (s + i ≥ missing_s). With i − e = lt − ls, d = s + e + i is at
      // least missing_q + (lt − ls) when the segment is longer, missing_s + (ls
      // − lt) when it is shorter.
      int missing_q = 0, missing_s = 0;
      for (int w = 0; w < 2; ++w) {
        for (uint64_t x = signature_.w[w] & ~s_signature.w[w]; x != 0; x &= x - 1) {
          missing_q += count_of_bit_[w * 64 + std::countr_zero(x)];
        }
        missing_s += std::popcount(s_signature.w[w] & ~signature_.w[w]);
      }
      const int gap = static_cast<int>(lt > ls_ ? lt - ls_ : ls_ - lt);
      const int bound =
          lt > ls_ ? std::max(missing_q + gap, missing_s) : std::max(missing_s + gap, missing_q);
      if (bound > k) return false;
    }
    return true;
  }

  // The distance when the segment scores at least min_score, else -1.
  int Distance(std::span<const uint32_t> s) const {
    const size_t lt = s.size();
    const int k = MaxDistanceFor(min_score_, std::max(ls_, lt));
    const int d = pattern_.Distance(s, k);
    if (d > k || FuzzyScore(d, ls_, lt) < min_score_) return -1;
    return d;
  }

  size_t ls() const { return ls_; }

 private:
  EditDistancePattern pattern_;
  size_t ls_;
  int min_score_;
  bool use_signatures_;
  TokenSet signature_;
  int count_of_bit_[128] = {};
};

// Scores entries [begin, end) of the array in chunks taken by `threads` workers
// (the calling thread is one of them and the only one that polls `cancelled`).
// Sorted by segment number.
Result<std::vector<FuzzyCandidate>> ScanArray(const SourceArray &array, size_t begin, size_t end,
                                              const Verifier &verifier,
                                              const std::unordered_set<uint32_t> &tags, size_t threads,
                                              const std::function<bool()> &cancelled) {
  constexpr size_t kChunk = 4096;
  std::atomic<size_t> next{begin};
  std::atomic<bool> stop{false};
  std::vector<std::vector<FuzzyCandidate>> found(threads);
  auto work = [&](size_t worker) {
    std::vector<FuzzyCandidate> &out = found[worker];
    for (;;) {
      if (stop.load(std::memory_order_relaxed)) return;
      if (worker == 0 && cancelled && cancelled()) {
        stop = true;
        return;
      }
      const size_t from = next.fetch_add(kChunk);
      if (from >= end) return;
      for (size_t e = from, to = std::min(end, from + kChunk); e < to; ++e) {
        if (!tags.empty() && !tags.count(array.tag(e))) continue;
        const int d = verifier.Score(array.tokens(e), array.signature(e));
        if (d < 0) continue;
        out.push_back(FuzzyCandidate{array.number(e), d, FuzzyScore(d, verifier.ls(), array.length(e))});
      }
    }
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work, t);
  work(0);
  for (std::thread &t : helpers) t.join();
  if (stop) return CancelledStatus();
  std::vector<FuzzyCandidate> all = std::move(found[0]);
  for (size_t t = 1; t < threads; ++t) all.insert(all.end(), found[t].begin(), found[t].end());
  std::sort(all.begin(), all.end(),
            [](const FuzzyCandidate &a, const FuzzyCandidate &b) { return a.number < b.number; });
  return all;
}

// Workers for a scan of `entries` segments: one per core, but one alone for
// small scans, where starting a thread costs more than it saves.
size_t ScanThreads(size_t entries) {
  static const size_t cores = std::max<size_t>(1, std::min<unsigned>(std::thread::hardware_concurrency(), 8));
  return entries < 20000 ? 1 : cores;
}

// The cost model that picks the scan over the postings (nanoseconds, measured
// on the 1M benchmarks): a posting read and counted, a candidate verified from
// the array (a random access), an entry of a scan.
constexpr double kPostingNs = 4, kVerifyNs = 150, kScanNs = 60;

// What every band of the postings plan shares.
struct PlanContext {
  const std::vector<uint32_t> *q_ids;
  int min_score;
  size_t g;                               // The query's distinct bigrams.
  const std::vector<PostingList> *lists;  // Shortest first; the g − lists.size() absent ones come before.
  const SourceArray *array;               // Null: candidates are read from LMDB (the lookup's thread only).
  const LmdbTxn *txn;
  const Databases *dbs;
  const std::unordered_set<uint32_t> *tags;
  size_t limit;         // Segment numbers in use (with an array: its entries): the size of the counter array.
  bool may_switch;      // To a scan of the band, when the candidates cost more.
  size_t scan_threads;  // For that scan.
  std::function<bool()> cancelled;
};

// A band's counters (indexed by segment number, zero between uses) and the
// segments it counted (those with a non-zero counter). Kept in a pool to reuse
// their memory: at a million segments the counters are 2 MB and a long query
// counts tens of thousands of segments. A band's scratch may be filled on a
// helper thread and finished on the lookup's own, so it belongs to the band,
// not to a thread.
struct Scratch {
  HugePageVector<uint16_t> shared;
  CountedList counted;
};

class ScratchPool {
 public:
  static ScratchPool &Get() {
    static ScratchPool pool;
    return pool;
  }
  std::unique_ptr<Scratch> Take(size_t limit) {
    std::unique_ptr<Scratch> s;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        s = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (!s) s = std::make_unique<Scratch>();
    if (s->shared.size() < limit) s->shared.resize(limit, 0);
    s->counted.clear();
    return s;
  }
  // REQUIRES: every counter zero again.
  void Give(std::unique_ptr<Scratch> s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.size() < 16) free_.push_back(std::move(s));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Scratch>> free_;
};

// A scratch taken from the pool for one band, its counters zeroed and given
// back at the end. A query of fewer than 255 distinct bigrams counts in bytes
// (the first `limit` bytes of the same memory): 1 MB of counters at a million
// segments stays in a core's L2 cache, 2 MB does not.
template <typename Counter>
class BandScratch {
  static_assert(sizeof(Counter) <= sizeof(uint16_t));

 public:
  explicit BandScratch(size_t limit) : s_(ScratchPool::Get().Take(limit)) {}
  ~BandScratch() {
    Counter *counters = shared();
    for (const Counted &c : s_->counted) counters[c.number] = 0;
    ScratchPool::Get().Give(std::move(s_));
  }
  BandScratch(const BandScratch &) = delete;
  BandScratch &operator=(const BandScratch &) = delete;
  Counter *shared() { return reinterpret_cast<Counter *>(s_->shared.data()); }
  CountedList &counted() { return s_->counted; }

 private:
  std::unique_ptr<Scratch> s_;
};

// Verifies the counted segments from the array: count filter with their own
// length, then the token sets and the edit distance. Each candidate's entry,
// offsets, token set and tokens are random accesses, so they are asked for a
// few candidates ahead (it halved the verification of a long near-duplicate
// query).
template <typename Counter>
Status VerifyFromArray(const PlanContext &ctx, const CountFilter &filter, const CountedList &counted,
                       const Counter *shared, int unread, std::vector<FuzzyCandidate> *found,
                       FuzzyStats *stats) {
  const SourceArray &array = *ctx.array;
  thread_local std::vector<uint32_t> entries;  // Counted holds entries here (the in-memory postings').
  entries.clear();
  for (size_t i = 0; i < counted.size(); ++i) {
    if (i + 16 < counted.size()) __builtin_prefetch(shared + counted[i + 16].number);
    const Counted &s = counted[i];
    if (shared[s.number] + unread >= filter.Need(s.length)) entries.push_back(s.number);
  }
  // Two passes: the token sets first (they drop most candidates), then the
  // tokens of those left, each pass asking for its own data far enough ahead
  // (a token read at an offset just fetched stalled on the offset).
  const Verifier verifier(*ctx.q_ids, ctx.min_score, true);
  size_t kept = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i % 256 == 0 && ctx.cancelled && ctx.cancelled()) return CancelledStatus();
    if (i + 24 < entries.size()) array.PrefetchEntry(entries[i + 24]);
    const uint32_t e = entries[i];
    if (!ctx.tags->empty() && !ctx.tags->count(array.tag(e))) continue;
    const size_t lt = array.length(e);
    if (shared[e] + unread < filter.Need(lt)) continue;
    if (stats) ++stats->verified;
    if (verifier.MayScore(lt, array.signature(e))) entries[kept++] = e;
  }
  for (size_t i = 0; i < kept; ++i) {
    if (i % 256 == 0 && ctx.cancelled && ctx.cancelled()) return CancelledStatus();
    if (i + 4 < kept) array.PrefetchTokens(entries[i + 4]);
    const uint32_t e = entries[i];
    const int d = verifier.Distance(array.tokens(e));
    if (d < 0) continue;
    found->push_back(FuzzyCandidate{array.number(e), d, FuzzyScore(d, ctx.q_ids->size(), array.length(e))});
  }
  return Status::Ok();
}

// The same from LMDB: one random read per candidate (no array yet; the lookup's
// thread only).
template <typename Counter>
Status VerifyFromStore(const PlanContext &ctx, const CountFilter &filter, const CountedList &counted,
                       const Counter *shared, int unread, bool use_counts, std::vector<FuzzyCandidate> *found,
                       FuzzyStats *stats) {
  std::vector<uint32_t> s_ids;
  const Verifier verifier(*ctx.q_ids, ctx.min_score, false);
  size_t verified = 0;
  for (const Counted &counted_segment : counted) {
    if (verified++ % 256 == 0 && ctx.cancelled && ctx.cancelled()) return CancelledStatus();
    const uint32_t n = counted_segment.number;
    const int sharing = shared[n] + unread;
    // The count filter with the length from the postings, before reading
    // anything of the segment.
    if (use_counts && sharing < filter.Need(counted_segment.length)) continue;
    Result<std::optional<std::string_view>> bytes = ctx.txn->Get(ctx.dbs->src_tokens, EncodeU32(n));
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) continue;
    uint32_t tag = 0;
    DecodeTokens(**bytes, &tag, &s_ids);
    if (!ctx.tags->empty() && !ctx.tags->count(tag)) continue;
    const size_t lt = s_ids.size();
    if ((use_counts ? sharing : static_cast<int>(ctx.g)) < filter.Need(lt)) continue;
    if (stats) ++stats->verified;
    const int d = verifier.Score(s_ids, TokenSet{});
    if (d < 0) continue;
    found->push_back(FuzzyCandidate{n, d, FuzzyScore(d, ctx.q_ids->size(), lt)});
  }
  return Status::Ok();
}

// The postings plan over the segments whose lengths `filter` admits (the whole
// window, or one band of it), with its own counters: candidates counted from
// the lists, then verified.
//
// The lists shortest first. A segment first met in list j (0-based) is absent
// from the j before it and so shares at most g − j bigrams: it is counted only
// if that reaches Need(its length). From list g − min_need
// + 1 on nobody new can qualify and the lists only add to the counts of
// segments already counted; before each of those lists the segments that cannot
// reach their bound even with all the unread lists are dropped, and the list is
// read only if it is short for the candidates left (postings_per_candidate).
// The bigrams of the lists left unread count as shared by every candidate.
template <typename Counter>
class PostingsBand {
 public:
  PostingsBand(const PlanContext &ctx, const CountFilter &filter, FuzzyStats *stats)
      : ctx_(ctx), filter_(filter), stats_(stats), scratch_(ctx.limit), unread_(ctx.lists->size()) {
    if (ctx.array) {
      std::tie(band_begin_, band_end_) = ctx.array->LengthRange(filter.min_length(), filter.max_length());
    }
  }

  // Reads the lists from the next one on, all of them or (admitting_only) up to
  // the first that admits nobody new: those lists are read whatever happens, so
  // they are what two cores can share.
  Status Count(PageSource &pages, bool admitting_only) {
    if (filter_.min_need() == CountFilter::kNever) return Status::Ok();  // An empty band.
    const size_t g = ctx_.g;
    const std::vector<PostingList> &lists = *ctx_.lists;
    Counter *shared = scratch_.shared();
    CountedList &counted = scratch_.counted();
    const size_t postings_per_candidate = ctx_.array ? kArrayPostingsPerCandidate : kPostingsPerCandidate;
    for (; next_ < lists.size() && !stopped_; ++next_) {
      const size_t j = g - lists.size() + next_;  // The absent lists come first, empty.
      if (ctx_.cancelled && ctx_.cancelled()) return CancelledStatus();
      const int reachable = static_cast<int>(g - j);  // Bigrams a segment first met in this list can share.
      const bool admitting = reachable >= filter_.min_need();
      if (!admitting) {
        if (admitting_only) return Status::Ok();
        // Drop the segments that cannot reach their bound; zeroing their
        // counters is safe because nobody new is counted from here on.
        from_length_ = SIZE_MAX;
        to_length_ = 0;
        // The counters are random accesses: asked for kPrefetch segments ahead.
        size_t kept = 0;
        for (size_t i = 0; i < counted.size(); ++i) {
          if (i + kPrefetch < counted.size()) __builtin_prefetch(shared + counted[i + kPrefetch].number);
          const Counted s = counted[i];
          if (shared[s.number] + reachable >= filter_.Need(s.length)) {
            from_length_ = std::min<size_t>(from_length_, s.length);
            to_length_ = std::max<size_t>(to_length_, s.length);
            counted[kept++] = s;
          } else {
            shared[s.number] = 0;
          }
        }
        counted.resize(kept);
        // The postings of this list inside the window, estimated from the share
        // of the lists read so far.
        const size_t estimate = listed_ == 0 ? lists[next_].size : lists[next_].size * read_ / listed_;
        if (counted.empty() || estimate > counted.size() * postings_per_candidate) {
          stopped_ = true;
          break;
        }
      }
      VisitEach count([&](const auto &page) {
        if (admitting) {
          AddAndAdmit(page, shared, ctx_.limit, filter_, reachable, &counted);
        } else {
          AddToCounted(page, shared, ctx_.limit);
        }
      });
      Result<size_t> visited = pages.Visit(next_, from_length_, to_length_, count);
      if (!visited.ok()) return visited.status();
      read_ += *visited;
      listed_ += lists[next_].size;
      --unread_;
      if (stats_) {
        stats_->postings_read = read_;
        stats_->counted = std::max(stats_->counted, counted.size());
      }
      // Every candidate is counted by now only once per segment: switch when
      // verifying them all would cost more than the scan's whole CPU time. Most
      // of them never reach verification (the lists still to read drop them: on
      // the 1M near-duplicate corpus at min_score 70 about 1 in 20), so
      // comparing with the scan's time on all cores instead would switch where
      // the postings still cost half as much.
      if (admitting && ctx_.may_switch &&
          static_cast<double>(counted.size()) * kVerifyNs >
              static_cast<double>(band_end_ - band_begin_) * kScanNs) {
        if (stats_) stats_->plan = FuzzyStats::Plan::kSwitchedToScan;
        switched_ = true;
        stopped_ = true;
      }
    }
    return Status::Ok();
  }

  // The band's candidates (unsorted): the counted ones verified, or the band
  // scanned after a switch.
  Result<std::vector<FuzzyCandidate>> Finish() {
    std::vector<FuzzyCandidate> found;
    if (filter_.min_need() == CountFilter::kNever) return found;
    if (switched_) {
      return ScanArray(*ctx_.array, band_begin_, band_end_, Verifier(*ctx_.q_ids, ctx_.min_score, true),
                       *ctx_.tags, ctx_.scan_threads, ctx_.cancelled);
    }
    const int unread = static_cast<int>(unread_);
    const Status verified = ctx_.array ? VerifyFromArray(ctx_, filter_, scratch_.counted(), scratch_.shared(),
                                                         unread, &found, stats_)
                                       : VerifyFromStore(ctx_, filter_, scratch_.counted(), scratch_.shared(),
                                                         unread, true, &found, stats_);
    if (!verified.ok()) return verified;
    return found;
  }

 private:
  const PlanContext &ctx_;
  const CountFilter filter_;
  FuzzyStats *stats_;
  BandScratch<Counter> scratch_;
  size_t band_begin_ = 0, band_end_ = 0;  // The band's entries in the array.
  size_t next_ = 0;                       // The next list to read.
  size_t unread_;                         // Lists not read (their bigrams count as shared by everyone).
  size_t read_ = 0, listed_ = 0;          // Postings read, and the sizes of the lists
                                          // they were read from.
  // The lengths to read: the band, and once nobody new can be counted, the
  // candidates' lengths.
  size_t from_length_ = filter_.min_length(), to_length_ = filter_.max_length();
  bool stopped_ = false, switched_ = false;
};

// The length at which to cut the window into two bands of about equal postings
// in the first `lists` (the admitting ones), each page counted at its first
// length; 0 when it cannot be cut.
Result<size_t> BandCut(PageSource &pages, size_t lists, const CountFilter &filter) {
  const size_t lo = filter.min_length(), hi = filter.max_length();
  if (hi <= lo) return 0;
  std::vector<size_t> at(hi - lo + 1, 0);
  size_t total = 0;
  VisitEach weigh([&](const auto &page) {
    at[std::clamp<size_t>(page.length(0), lo, hi) - lo] += page.size();
    total += page.size();
  });
  for (size_t i = 0; i < lists; ++i) {
    Result<size_t> read = pages.Visit(i, lo, hi, weigh);
    if (!read.ok()) return read.status();
  }
  size_t sum = 0;
  for (size_t l = lo; l < hi; ++l) {
    sum += at[l - lo];
    if (2 * sum >= total) return l;
  }
  return 0;
}

void AddStats(const FuzzyStats &band, FuzzyStats *stats) {
  stats->postings_read += band.postings_read;
  stats->counted += band.counted;
  stats->verified += band.verified;
  if (band.plan == FuzzyStats::Plan::kSwitchedToScan) stats->plan = band.plan;
}

// A lookup whose postings cost more than this (admitting postings × kPostingNs)
// counts them in two length bands on two cores, when a helper thread is idle.
std::atomic<double> split_ns{std::numeric_limits<double>::infinity()};

// Steps 1–2 with counters of type Counter (wide enough for g): counted in one
// band, or in two length bands (`split`) on two cores when a helper is idle.
template <typename Counter>
Result<std::vector<FuzzyCandidate>> CountAndVerify(PlanContext ctx, const CountFilter &filter,
                                                   PageSource &cursor_pages, bool split, FuzzyStats *stats) {
  const size_t g = ctx.g;
  const std::vector<PostingList> &lists = *ctx.lists;
  if (!split) {
    PostingsBand<Counter> band(ctx, filter, stats);
    HELUO_RETURN_IF_ERROR(band.Count(cursor_pages, false));
    return band.Finish();
  }
  size_t admitting = 0;  // The lists that admit candidates for the whole window.
  for (size_t j = g - lists.size(); j < g && static_cast<int>(g - j) >= filter.min_need(); ++j) ++admitting;
  // Both cores read the admitting lists: in memory as they are, from LMDB
  // collected first.
  std::optional<CollectedPages> collected;
  if (!ctx.array) {
    collected.emplace(&cursor_pages, admitting, filter.min_length(), filter.max_length());
    HELUO_RETURN_IF_ERROR(collected->status());
  }
  PageSource &pages = collected ? static_cast<PageSource &>(*collected) : cursor_pages;
  Result<size_t> cut_at = BandCut(pages, admitting, filter);
  if (!cut_at.ok()) return cut_at.status();
  const size_t cut = *cut_at;
  ctx.scan_threads = 1;  // A band that switches scans its lengths on its own core.
  FuzzyStats low_stats, high_stats;
  PostingsBand<Counter> low(ctx, filter.Band(filter.min_length(), cut), stats ? &low_stats : nullptr);
  // The helper's part is cancelled with this thread's (query.cancelled is
  // polled here only).
  std::atomic<bool> stop{false};
  PlanContext helper_ctx = ctx;
  helper_ctx.cancelled = [&stop] { return stop.load(std::memory_order_relaxed); };
  PostingsBand<Counter> high(helper_ctx, filter.Band(cut + 1, filter.max_length()),
                             stats ? &high_stats : nullptr);
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  Status high_counted;
  const bool lent = HelperThreads::Get().TryRun([&] {
    Status st = high.Count(pages, true);
    std::lock_guard<std::mutex> lock(mu);
    high_counted = std::move(st);
    done = true;
    cv.notify_one();
  });
  Status low_counted = low.Count(pages, true);
  if (lent) {
    if (!low_counted.ok()) stop = true;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
  } else if (low_counted.ok()) {
    high_counted = high.Count(pages, true);
  }
  HELUO_RETURN_IF_ERROR(low_counted);
  HELUO_RETURN_IF_ERROR(high_counted);
  HELUO_RETURN_IF_ERROR(low.Count(pages, false));
  Result<std::vector<FuzzyCandidate>> low_found = low.Finish();
  if (!low_found.ok()) return low_found.status();
  helper_ctx.cancelled = ctx.cancelled;
  HELUO_RETURN_IF_ERROR(high.Count(pages, false));
  Result<std::vector<FuzzyCandidate>> high_found = high.Finish();
  if (!high_found.ok()) return high_found.status();
  if (stats) {
    stats->bands = 2;
    AddStats(low_stats, stats);
    AddStats(high_stats, stats);
  }
  std::vector<FuzzyCandidate> found = std::move(*low_found);
  found.insert(found.end(), high_found->begin(), high_found->end());
  return found;
}

}  // namespace

void SetFuzzySplitThreshold(double ns) { split_ns = ns; }

Result<std::vector<FuzzyCandidate>> FindFuzzyCandidates(const LmdbTxn &txn, const Databases &dbs,
                                                        const FuzzyQuery &query) {
  const std::vector<uint32_t> &q_ids = *query.ids;
  const int min_score = query.min_score;
  const std::unordered_set<uint32_t> &tags = query.tags;
  const SourceArray *array = query.array;

  const size_t ls = q_ids.size();
  const std::vector<Gram> q_grams = DistinctGrams(q_ids, true);
  const size_t g = q_grams.size();
  const bool scan_all = query.method != FuzzyMethod::kIndexed || min_score == 0;
  const CountFilter filter(ls, g, std::max(min_score, 1));
  if (array && query.method == FuzzyMethod::kBruteForceMemory) {
    // The in-memory brute force: every segment, one core, no filter but the
    // edit distance's own.
    return ScanArray(*array, 0, array->size(), Verifier(q_ids, min_score, false), tags, 1, query.cancelled);
  }
  if (array && scan_all) {  // min_score 0: every segment scores.
    return ScanArray(*array, 0, array->size(), Verifier(q_ids, min_score, true), tags,
                     ScanThreads(array->size()), query.cancelled);
  }
  const bool use_counts = !scan_all && filter.min_need() >= 1;

  // 0. The query's posting lists and their sizes, shortest first: with an
  // array from its SourcePostings (a hash probe each), else from LMDB (a seek
  // and a count each, nothing read).
  Result<LmdbCursor> c = LmdbCursor::Open(txn, dbs.src_grams);
  if (!c.ok()) return c.status();
  std::vector<PostingList> lists;
  if (use_counts && array) {
    for (Gram gram : q_grams) {
      const PostingRun list = array->postings().List(gram);
      if (list.empty()) continue;  // Shared by nobody: counts against every segment.
      lists.push_back(PostingList{list.size(), gram, list});
    }
  } else if (use_counts) {
    for (Gram gram : q_grams) {
      const std::string key = GramKey(gram);
      std::string_view k = key, v;
      Result<bool> found = c->Seek(MDB_SET_KEY, &k, &v);
      if (!found.ok()) return found.status();
      if (!*found) continue;  // Shared by nobody: counts against every segment.
      Result<size_t> size = c->Count();
      if (!size.ok()) return size.status();
      lists.push_back(PostingList{*size, gram, {}});
    }
  }
  std::sort(lists.begin(), lists.end(), [](const PostingList &a, const PostingList &b) {
    return std::tie(a.size, a.gram) < std::tie(b.size, b.gram);
  });
  // The plan (with an array). The lists that admit candidates must be read
  // whatever happens, so when those postings alone cost more than a scan of the
  // length window, the window is scanned. Otherwise the postings are read, and
  // after each admitting list the number of DISTINCT candidates counted so far
  // is known exactly: as soon as verifying them would cost more than the scan,
  // the lookup switches to the scan (the postings read are wasted, but they
  // cost less than the scan by the first rule, so a lookup costs at most about
  // twice the cheaper plan). Estimating candidates from the list sizes instead
  // overcounts a segment once per bigram it shares, which sent near-duplicate
  // queries to the scan needlessly.
  size_t scan_threads = 1;
  double index_cost = 0;
  if (array && !scan_all) {
    const auto [scan_begin, scan_end] = array->LengthRange(filter.min_length(), filter.max_length());
    const double window = static_cast<double>(scan_end - scan_begin);
    const double share = array->size() == 0 ? 0 : window / static_cast<double>(array->size());
    double admitting_postings = 0;
    for (size_t j = g - lists.size(); const PostingList &list : lists) {
      if (static_cast<int>(g - j) >= filter.min_need())
        admitting_postings += static_cast<double>(list.size) * share;
      ++j;
    }
    scan_threads = ScanThreads(scan_end - scan_begin);
    const double scan_cost = window * kScanNs / static_cast<double>(scan_threads);
    index_cost = admitting_postings * kPostingNs;
    const bool scan = query.plan == FuzzyPlan::kAuto ? !use_counts || scan_cost < index_cost
                                                     : !use_counts || query.plan == FuzzyPlan::kScan;
    if (query.stats) {
      query.stats->window = scan_end - scan_begin;
      query.stats->scan_cost_ns = scan_cost;
      query.stats->index_cost_ns = index_cost;
      query.stats->plan = scan ? FuzzyStats::Plan::kScan : FuzzyStats::Plan::kPostings;
    }
    if (scan) {
      return ScanArray(*array, scan_begin, scan_end, Verifier(q_ids, min_score, true), tags, scan_threads,
                       query.cancelled);
    }
  }

  // Size the counters once for every segment number in use, so counting needs
  // no bounds check.
  Result<std::optional<std::string_view>> next_number = txn.Get(dbs.meta, kNextSegmentKey);
  if (!next_number.ok()) return next_number.status();
  // The array's postings hold entries, in (length, number) order as the
  // array's: a list's counters are met in ascending order.
  const size_t limit =
      array ? std::max<size_t>(array->size(), 1) : next_number->has_value() ? DecodeU32(**next_number) : 1;
  PlanContext ctx{
      &q_ids,       min_score,      g,     &lists, array,
      &txn,         &dbs,           &tags, limit,  array && !scan_all && query.plan == FuzzyPlan::kAuto,
      scan_threads, query.cancelled};
  std::vector<FuzzyCandidate> found;
  if (!use_counts) {
    // Without an array: every segment (brute force), or every segment in the
    // length window when the count filter cannot exclude anything, read from
    // LMDB.
    BandScratch<uint16_t> scratch(limit);
    uint16_t *shared = scratch.shared();
    CountedList &counted = scratch.counted();
    Result<LmdbCursor> scan = LmdbCursor::Open(txn, scan_all ? dbs.src_tokens : dbs.src_lengths);
    if (!scan.ok()) return scan.status();
    const std::string from = EncodeU32(static_cast<uint32_t>(filter.min_length()));
    std::string_view k = from, v;
    for (Result<bool> more = scan->Seek(scan_all ? MDB_FIRST : MDB_SET_RANGE, &k, &v);;
         more = scan->Seek(MDB_NEXT, &k, &v)) {
      if (!more.ok()) return more.status();
      if (!*more) break;
      const uint32_t n = DecodeU32(scan_all ? k : k.substr(4, 4));
      if (!scan_all && DecodeU32(k.substr(0, 4)) > filter.max_length()) break;
      if (n < limit && shared[n]++ == 0)
        counted.push_back(Counted{n, 0});  // n < limit: against a corrupt record.
    }
    HELUO_RETURN_IF_ERROR(VerifyFromStore(ctx, filter, counted, shared, 0, false, &found, query.stats));
  } else {
    CursorPages lmdb_pages(&*c, lists);
    MemoryPages memory_pages(lists);
    PageSource &cursor_pages = array ? static_cast<PageSource &>(memory_pages) : lmdb_pages;
    // 1–2. Candidates counted from the postings and verified. A long query's
    // admitting lists (those of its common bigrams reach a few hundred thousand
    // postings at a million segments, and must be read whatever happens) are
    // counted in two length bands at once, one on a helper core: a segment's
    // counts and bounds depend only on its own length, so each band is the same
    // plan over its own lengths with its own counters, and the two bands'
    // candidates together are the window's. The helper reads pages collected on
    // this thread (the cursor is this thread's); the rest of both bands runs
    // here.
    const bool split =
        array && (query.plan == FuzzyPlan::kPostingsInBands ||
                  (query.plan == FuzzyPlan::kAuto && index_cost > split_ns.load(std::memory_order_relaxed) &&
                   HelperThreads::Get().count() > 0));
    Result<std::vector<FuzzyCandidate>> counted =
        g < 255 ? CountAndVerify<uint8_t>(ctx, filter, cursor_pages, split, query.stats)
                : CountAndVerify<uint16_t>(ctx, filter, cursor_pages, split, query.stats);
    if (!counted.ok()) return counted.status();
    found = std::move(*counted);
  }
  // In segment-number order, as the brute-force scan finds them, so ties in the
  // ranking (equal score, placeability and position) come out the same way.
  std::sort(found.begin(), found.end(),
            [](const FuzzyCandidate &a, const FuzzyCandidate &b) { return a.number < b.number; });
  return found;
}

}  // namespace heluo
