#include "server/core/tm/fuzzy_index.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <thread>
#include <cstdint>
#include <string>
#include <tuple>

#include "server/core/tm/count_filter.h"
#include "server/core/tm/edit_distance.h"
#include "server/core/tm/postings.h"
#include "server/core/tm/segment.h"

namespace heluo {
namespace {

// A segment met in the postings of a lookup: its number and its token count (from the postings).
struct Counted {
  uint32_t number;
  uint16_t length;
};

// Counting is the hot loop of a lookup: one counter per posting, at a random place in an array of one
// counter per segment (2 MB at a million segments), so the counter kPrefetch postings ahead is prefetched
// and the loops have no data-dependent branches. `shared` holds `limit` counters; 0 means "not counted".

constexpr size_t kPrefetch = 16;

// One more shared bigram for every counted segment in `page`; others are not counted.
void AddToCounted(const PostingPage& page, uint16_t* shared, size_t limit) {
  for (size_t i = 0; i < page.size(); ++i) {
    if (i + kPrefetch < page.size()) __builtin_prefetch(shared + std::min<size_t>(page.number(i + kPrefetch), limit - 1));
    const uint32_t n = page.number(i);
    if (n >= limit) continue;  // Cannot happen within one snapshot; guards against a corrupt posting.
    const uint16_t c = shared[n];
    shared[n] = static_cast<uint16_t>(c + (c != 0));
  }
}

// Like AddToCounted, and a segment met for the first time is counted (appended to `counted`) if it can
// still share Need(its length) bigrams: `reachable` at most.
void AddAndAdmit(const PostingPage& page, uint16_t* shared, size_t limit, const CountFilter& filter, int reachable,
                 std::vector<Counted>* counted) {
  const size_t before = counted->size();
  counted->resize(before + page.size());
  Counted* out = counted->data() + before;
  size_t added = 0;
  for (size_t i = 0; i < page.size(); ++i) {
    if (i + kPrefetch < page.size()) __builtin_prefetch(shared + std::min<size_t>(page.number(i + kPrefetch), limit - 1));
    const uint32_t n = page.number(i);
    if (n >= limit) continue;  // Cannot happen within one snapshot; guards against a corrupt posting.
    const uint16_t len = page.length(i);
    const uint16_t c = shared[n];
    const bool admit = (c == 0) & (filter.Need(len) <= reachable);
    shared[n] = static_cast<uint16_t>(c + ((c != 0) | admit));
    out[added] = Counted{n, len};
    added += admit;
  }
  counted->resize(before + added);
}

// After the admitting lists, a list is read only if it has fewer than this many postings in the length
// window per candidate left (the bigrams of the lists not read count as shared by every candidate). On the
// 1M-segment benchmark reading and counting a posting costs ~4 ns and verifying a candidate ~1.5 µs (a
// random LMDB read of its tokens), about 350 postings; 150, 300 and 600 measured 0.90, 0.85 and 0.86 ms p50.
constexpr size_t kPostingsPerCandidate = 300;
// The same bound when candidates are verified from the SourceArray (~150 ns each instead of ~1.5 µs).
constexpr size_t kArrayPostingsPerCandidate = 40;

Status CancelledStatus() { return Status::Cancelled("the lookup was cancelled or ran past its deadline"); }

// What the query needs to score a segment of the array: its bit masks, its token signature with the count of
// query tokens per signature bit, and the largest distance allowed per segment length.
class Verifier {
 public:
  Verifier(const std::vector<uint32_t>& q_ids, int min_score, bool use_signatures)
      : pattern_(q_ids), ls_(q_ids.size()), min_score_(min_score), use_signatures_(use_signatures) {
    for (uint32_t id : q_ids) {
      signature_.Add(id);
      ++count_of_bit_[TokenSet::Bit(id)];
    }
  }

  // The distance when the segment scores at least min_score, else -1.
  int Score(std::span<const uint32_t> s, const TokenSet& s_signature) const {
    const size_t lt = s.size();
    const int k = MaxDistanceFor(min_score_, std::max(ls_, lt));
    if (use_signatures_) {
      // Query tokens whose bit the segment lacks are not in it: each is substituted or deleted (s + e ≥
      // missing_q); the segment has at least one token for each of its bits the query lacks, each
      // substituted or inserted (s + i ≥ missing_s). With i − e = lt − ls, d = s + e + i is at least
      // missing_q + (lt − ls) when the segment is longer, missing_s + (ls − lt) when it is shorter.
      int missing_q = 0, missing_s = 0;
      for (int w = 0; w < 2; ++w) {
        for (uint64_t x = signature_.w[w] & ~s_signature.w[w]; x != 0; x &= x - 1) {
          missing_q += count_of_bit_[w * 64 + std::countr_zero(x)];
        }
        missing_s += std::popcount(s_signature.w[w] & ~signature_.w[w]);
      }
      const int gap = static_cast<int>(lt > ls_ ? lt - ls_ : ls_ - lt);
      const int bound = lt > ls_ ? std::max(missing_q + gap, missing_s) : std::max(missing_s + gap, missing_q);
      if (bound > k) return -1;
    }
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

// Scores entries [begin, end) of the array in chunks taken by `threads` workers (the calling thread is one
// of them and the only one that polls `cancelled`). Sorted by segment number.
Result<std::vector<FuzzyCandidate>> ScanArray(const SourceArray& array, size_t begin, size_t end, const Verifier& verifier,
                                              const std::unordered_set<uint32_t>& tags, size_t threads,
                                              const std::function<bool()>& cancelled) {
  constexpr size_t kChunk = 4096;
  std::atomic<size_t> next{begin};
  std::atomic<bool> stop{false};
  std::vector<std::vector<FuzzyCandidate>> found(threads);
  auto work = [&](size_t worker) {
    std::vector<FuzzyCandidate>& out = found[worker];
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
  for (std::thread& t : helpers) t.join();
  if (stop) return CancelledStatus();
  std::vector<FuzzyCandidate> all = std::move(found[0]);
  for (size_t t = 1; t < threads; ++t) all.insert(all.end(), found[t].begin(), found[t].end());
  std::sort(all.begin(), all.end(), [](const FuzzyCandidate& a, const FuzzyCandidate& b) { return a.number < b.number; });
  return all;
}

// Workers for a scan of `entries` segments: one per core, but one alone for small scans, where starting a
// thread costs more than it saves.
size_t ScanThreads(size_t entries) {
  static const size_t cores = std::max<size_t>(1, std::min<unsigned>(std::thread::hardware_concurrency(), 8));
  return entries < 20000 ? 1 : cores;
}

// The cost model that picks the scan over the postings (nanoseconds, measured on the 1M benchmarks): a
// posting read and counted, a candidate verified from the array (a random access), an entry of a scan.
constexpr double kPostingNs = 4, kVerifyNs = 150, kScanNs = 60;

}  // namespace

Result<std::vector<FuzzyCandidate>> FindFuzzyCandidates(const LmdbTxn& txn, const Databases& dbs,
                                                        const FuzzyQuery& query) {
  const std::vector<uint32_t>& q_ids = *query.ids;
  const int min_score = query.min_score;
  const std::unordered_set<uint32_t>& tags = query.tags;
  auto cancelled = [&] { return query.cancelled && query.cancelled(); };
  const SourceArray* array = query.array;

  const size_t ls = q_ids.size();
  const std::vector<Gram> q_grams = DistinctGrams(q_ids, true);
  const size_t g = q_grams.size();
  const bool scan_all = query.method != FuzzyMethod::kIndexed || min_score == 0;
  const CountFilter filter(ls, g, std::max(min_score, 1));
  if (array && query.method == FuzzyMethod::kBruteForceMemory) {
    // The in-memory brute force: every segment, one core, no filter but the edit distance's own.
    return ScanArray(*array, 0, array->size(), Verifier(q_ids, min_score, false), tags, 1, query.cancelled);
  }
  if (array && scan_all) {  // min_score 0: every segment scores.
    return ScanArray(*array, 0, array->size(), Verifier(q_ids, min_score, true), tags, ScanThreads(array->size()),
                     query.cancelled);
  }
  bool use_counts = !scan_all && filter.min_need() >= 1;

  // 0. The query's posting lists and their sizes, shortest first (a seek and a count each, nothing read).
  Result<LmdbCursor> c = LmdbCursor::Open(txn, dbs.src_grams);
  if (!c.ok()) return c.status();
  struct PostingList {
    size_t size;
    Gram gram;
  };
  std::vector<PostingList> lists;
  if (use_counts) {
    for (Gram gram : q_grams) {
      const std::string key = GramKey(gram);
      std::string_view k = key, v;
      Result<bool> found = c->Seek(MDB_SET_KEY, &k, &v);
      if (!found.ok()) return found.status();
      if (!*found) continue;  // Shared by nobody: counts against every segment.
      Result<size_t> size = c->Count();
      if (!size.ok()) return size.status();
      lists.push_back(PostingList{*size, gram});
    }
    std::sort(lists.begin(), lists.end(),
              [](const PostingList& a, const PostingList& b) { return std::tie(a.size, a.gram) < std::tie(b.size, b.gram); });
  }
  // The plan (with an array). The lists that admit candidates must be read whatever happens, so when those
  // postings alone cost more than a scan of the length window, the window is scanned. Otherwise the postings
  // are read, and after each admitting list the number of DISTINCT candidates counted so far is known
  // exactly: as soon as verifying them would cost more than the scan, the lookup switches to the scan (the
  // postings read are wasted, but they cost less than the scan by the first rule, so a lookup costs at most
  // about twice the cheaper plan). Estimating candidates from the list sizes instead overcounts a segment
  // once per bigram it shares, which sent near-duplicate queries to the scan needlessly.
  size_t scan_begin = 0, scan_end = 0, scan_threads = 1;
  double scan_cost = 0;
  const bool may_switch = array && !scan_all && query.plan == FuzzyPlan::kAuto;
  if (array && !scan_all) {
    std::tie(scan_begin, scan_end) = array->LengthRange(filter.min_length(), filter.max_length());
    const double window = static_cast<double>(scan_end - scan_begin);
    const double share = array->size() == 0 ? 0 : window / static_cast<double>(array->size());
    double admitting_postings = 0;
    for (size_t j = g - lists.size(); const PostingList& list : lists) {
      if (static_cast<int>(g - j) >= filter.min_need()) admitting_postings += static_cast<double>(list.size) * share;
      ++j;
    }
    scan_threads = ScanThreads(scan_end - scan_begin);
    scan_cost = window * kScanNs / static_cast<double>(scan_threads);
    const double index_cost = admitting_postings * kPostingNs;
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
  auto switch_to_scan = [&]() -> Result<std::vector<FuzzyCandidate>> {
    if (query.stats) query.stats->plan = FuzzyStats::Plan::kSwitchedToScan;
    return ScanArray(*array, scan_begin, scan_end, Verifier(q_ids, min_score, true), tags, scan_threads,
                     query.cancelled);
  };

  // 1. Candidates, and for each how many of the query's distinct bigrams it shares (read off the
  // postings into a per-thread counter array: one increment per posting, no per-candidate sets).
  thread_local std::vector<uint16_t> shared;  // Indexed by segment number; zero between calls.
  std::vector<Counted> counted;               // The segments with a non-zero counter (and so to reset).
  struct ResetShared {
    std::vector<Counted>& touched;
    ~ResetShared() {
      for (const Counted& c : touched) shared[c.number] = 0;
    }
  } reset{counted};
  // Size the counters once for every segment number in use, so counting needs no bounds check.
  Result<std::optional<std::string_view>> next_number = txn.Get(dbs.meta, kNextSegmentKey);
  if (!next_number.ok()) return next_number.status();
  const size_t limit = next_number->has_value() ? DecodeU32(**next_number) : 1;
  if (shared.size() < limit) shared.resize(limit, 0);
  size_t unread = 0;  // Query bigrams whose postings were not read (their count is taken as shared).
  if (!use_counts) {
    // Every segment (brute force), or every segment in the length window when the count filter cannot
    // exclude anything.
    Result<LmdbCursor> scan = LmdbCursor::Open(txn, scan_all ? dbs.src_tokens : dbs.src_lengths);
    if (!scan.ok()) return scan.status();
    const std::string from = EncodeU32(static_cast<uint32_t>(filter.min_length()));
    std::string_view k = from, v;
    for (Result<bool> more = scan->Seek(scan_all ? MDB_FIRST : MDB_SET_RANGE, &k, &v);; more = scan->Seek(MDB_NEXT, &k, &v)) {
      if (!more.ok()) return more.status();
      if (!*more) break;
      const uint32_t n = DecodeU32(scan_all ? k : k.substr(4, 4));
      if (!scan_all && DecodeU32(k.substr(0, 4)) > filter.max_length()) break;
      if (n < limit && shared[n]++ == 0) counted.push_back(Counted{n, 0});  // n < limit: against a corrupt record.
    }
  } else {
    // The lists shortest first. A segment first met in list j (0-based) is absent from the j before it and
    // so shares at most g − j bigrams: it is counted only if that reaches Need(its length). From list
    // g − min_need + 1 on nobody new can qualify and the lists only add to the counts of segments already
    // counted; before each of those lists the segments that cannot reach their bound even with all the
    // unread lists are dropped, and the list is read only if it is short for the candidates left
    // (postings_per_candidate). The bigrams of the lists left unread count as shared by every candidate.
    const size_t postings_per_candidate = array ? kArrayPostingsPerCandidate : kPostingsPerCandidate;
    unread = lists.size();
    size_t read = 0, listed = 0;  // Postings read, and the sizes of the lists they were read from.
    // The lengths to read: the window, and once nobody new can be counted, the candidates' lengths.
    size_t from_length = filter.min_length(), to_length = filter.max_length();
    for (size_t j = g - lists.size(); const PostingList& list : lists) {  // The absent lists come first, empty.
      if (cancelled()) return CancelledStatus();
      const int reachable = static_cast<int>(g - j);  // Bigrams a segment first met in this list can share.
      const bool admitting = reachable >= filter.min_need();
      if (!admitting) {
        // Drop the segments that cannot reach their bound; zeroing their counters is safe because nobody
        // new is counted from here on.
        from_length = SIZE_MAX;
        to_length = 0;
        std::erase_if(counted, [&](const Counted& s) {
          if (shared[s.number] + reachable >= filter.Need(s.length)) {
            from_length = std::min<size_t>(from_length, s.length);
            to_length = std::max<size_t>(to_length, s.length);
            return false;
          }
          shared[s.number] = 0;
          return true;
        });
        // The postings of this list inside the window, estimated from the share of the lists read so far.
        const size_t estimate = listed == 0 ? list.size : list.size * read / listed;
        if (estimate > counted.size() * postings_per_candidate) break;
      }
      // Only the part of the list with the lengths to read: from the first posting of length from_length
      // (GET_MULTIPLE then gives its whole page, whose shorter postings count for nobody: no candidate has
      // their length) to the first page that starts beyond to_length.
      const std::string key = GramKey(list.gram), window_start = SourcePosting(EncodeU32(0), from_length);
      std::string_view k = key, v = window_start;
      // With a single posting under the key LMDB's GET_MULTIPLE leaves v as GET_BOTH_RANGE set it: that one.
      Result<bool> more = c->Seek(MDB_GET_BOTH_RANGE, &k, &v);
      for (more = more.ok() && *more ? c->Seek(MDB_GET_MULTIPLE, &k, &v) : more; more.ok() && *more;
           more = c->Seek(MDB_NEXT_MULTIPLE, &k, &v)) {
        const PostingPage page(v);
        if (page.size() == 0 || page.length(0) > to_length) break;
        read += page.size();
        if (admitting) {
          AddAndAdmit(page, shared.data(), limit, filter, reachable, &counted);
        } else {
          AddToCounted(page, shared.data(), limit);
        }
      }
      if (!more.ok()) return more.status();
      // Every candidate is counted by now only once per segment: switch when verifying them all would cost
      // more than the scan's whole CPU time. Most of them never reach verification (the lists still to read
      // drop them: on the 1M near-duplicate corpus at min_score 70 about 1 in 20), so comparing with the
      // scan's time on all cores instead would switch where the postings still cost half as much.
      if (admitting && may_switch &&
          static_cast<double>(counted.size()) * kVerifyNs > scan_cost * static_cast<double>(scan_threads)) {
        if (query.stats) query.stats->counted = counted.size();
        return switch_to_scan();  // `reset` zeroes the counters of everyone counted.
      }
      if (query.stats) {
        query.stats->postings_read = read;
        query.stats->counted = std::max(query.stats->counted, counted.size());
      }
      listed += list.size;
      --unread;
      ++j;
    }
  }

  // 2. Verify: collection, length window, count filter with the candidate's own length, then the
  // bit-parallel edit distance; the candidate's tokens from the array when there is one, else from LMDB.
  std::vector<FuzzyCandidate> found;
  std::vector<uint32_t> s_ids;
  const Verifier verifier(q_ids, min_score, array != nullptr && !scan_all);
  size_t verified = 0;
  for (const Counted& counted_segment : counted) {
    if (verified++ % 256 == 0 && cancelled()) return CancelledStatus();
    const uint32_t n = counted_segment.number;
    const int sharing = shared[n] + static_cast<int>(unread);
    // The count filter with the length from the postings, before reading anything of the segment.
    if (use_counts && sharing < filter.Need(counted_segment.length)) continue;
    std::span<const uint32_t> tokens;
    uint32_t tag = 0;
    TokenSet signature;
    if (array) {
      const uint32_t e = array->EntryOf(n);
      if (e == SourceArray::kAbsent) continue;
      tokens = array->tokens(e);
      tag = array->tag(e);
      signature = array->signature(e);
    } else {
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.src_tokens, EncodeU32(n));
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      DecodeTokens(**bytes, &tag, &s_ids);
      tokens = s_ids;
    }
    if (!tags.empty() && !tags.count(tag)) continue;
    const size_t lt = tokens.size();
    if (!scan_all && (use_counts ? sharing : static_cast<int>(g)) < filter.Need(lt)) continue;
    if (query.stats) ++query.stats->verified;
    const int d = verifier.Score(tokens, signature);
    if (d < 0) continue;
    found.push_back(FuzzyCandidate{n, d, FuzzyScore(d, ls, lt)});
  }
  // In segment-number order, as the brute-force scan finds them, so ties in the ranking (equal score,
  // placeability and position) come out the same way.
  std::sort(found.begin(), found.end(),
            [](const FuzzyCandidate& a, const FuzzyCandidate& b) { return a.number < b.number; });
  return found;
}

}  // namespace heluo
