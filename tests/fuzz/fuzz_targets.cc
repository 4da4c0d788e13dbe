// libFuzzer targets (built with clang -fsanitize=fuzzer,address,undefined by tests/fuzz/run_fuzz.sh).
// HELUO_FUZZ_TARGET selects one: 1 TMX reader, 2 TBX reader, 3 TSV/CSV reader, 4 normalization + tokens +
// term recognition + edit distance. Each checks invariants as well as "no crash".
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "server/core/formats/formats.h"
#include "server/core/term_recognizer.h"
#include "server/core/text/normalizer.h"
#include "server/core/text/tokenizer.h"
#include "server/core/tm/edit_distance.h"

namespace {

heluo::ChunkSource Chunks(const uint8_t* data, size_t size) {
  // Uneven chunks, so element and UTF-8 boundaries fall inside chunks.
  auto pos = std::make_shared<size_t>(0);
  return [=](std::string* chunk) {
    if (*pos >= size) return false;
    const size_t n = std::min<size_t>(size - *pos, 1 + (*pos * 7919) % 61);
    chunk->assign(reinterpret_cast<const char*>(data) + *pos, n);
    *pos += n;
    return true;
  };
}

void Check(bool ok) {
  if (!ok) std::abort();
}

heluo::TermRecognizer* Recognizer() {
  static heluo::TermRecognizer* recognizer = [] {
    static std::string dir = "/tmp/heluo-fuzz-glossary-" + std::to_string(getpid());
    static auto store = std::move(*heluo::Store::Open(dir));
    heluo::Glossary glossary(store.get());
    (void)store->Write([&](heluo::LmdbTxn& txn) -> heluo::Status {
      for (auto [id, zh, en] : {std::tuple{"a", "六稳", "six"}, {"b", "“9+2”工作布局", "9+2"}, {"c", "高质量发展", "hq"},
                                {"d", "发展", "development"}, {"e", "1+X", "one plus x"}}) {
        heluo::TermEntry e;
        e.id = id;
        e.collection = "f";
        e.zh = zh;
        e.en = en;
        HELUO_RETURN_IF_ERROR(glossary.Put(txn, e));
      }
      return heluo::Status::Ok();
    });
    auto* r = new heluo::TermRecognizer(store.get());
    (void)r->Rebuild();
    return r;
  }();
  return recognizer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  switch (HELUO_FUZZ_TARGET) {
    case 1:
      (void)heluo::ReadTmx(Chunks(data, size), [](const heluo::TmxUnit& u) {
        Check(u.line >= 1);
        return heluo::Status::Ok();
      });
      break;
    case 2: {
      heluo::TbxDialect dialect;
      (void)heluo::ReadTbx(Chunks(data, size), &dialect, [](const heluo::TbxEntry& e) {
        Check(e.line >= 1);
        return heluo::Status::Ok();
      });
      break;
    }
    case 3:
      for (char sep : {'\t', ','}) {
        (void)heluo::ReadDelimited(Chunks(data, size), sep, [](const std::vector<std::string>& row, long line) {
          Check(!row.empty() && line >= 1);
          return heluo::Status::Ok();
        });
      }
      break;
    case 4: {
      const std::string text(reinterpret_cast<const char*>(data), size);
      heluo::NormalizedText n;
      if (!heluo::Normalizer::Get().Normalize(text, &n).ok()) break;
      // The offset map is monotone and inside the original.
      for (size_t k = 0; k < n.key.size(); ++k) {
        Check(n.origin_begin[k] < n.origin_end[k] && n.origin_end[k] <= n.original.size());
        if (k > 0) Check(n.origin_begin[k] >= n.origin_begin[k - 1]);
      }
      Check(n.utf16_offset.size() == n.original.size() + 1);
      // Folding is idempotent.
      heluo::NormalizedText again;
      Check(heluo::Normalizer::Get().Normalize(n.KeyUtf8(), &again).ok() && again.key == n.key);
      const std::vector<heluo::Token> tokens = heluo::Tokenize(n);
      for (const heluo::Token& t : tokens) Check(t.key_begin < t.key_end && t.key_end <= n.key.size());
      for (const heluo::TermHit& h : Recognizer()->Recognize(n, heluo::Language::kAny, true)) {
        Check(h.span.cp_begin < h.span.cp_end && h.span.cp_end <= n.original.size());
        Check(h.span.utf16_end == n.utf16_offset[h.span.cp_end]);
      }
      // Edit distance: symmetric, zero on itself, bounded by the longer length.
      const std::vector<uint32_t> a = heluo::TokenIds(tokens);
      const std::vector<uint32_t> b(a.rbegin(), a.rend());
      const int d1 = heluo::EditDistance(a, b, 1 << 20), d2 = heluo::EditDistance(b, a, 1 << 20);
      Check(d1 == d2 && d1 <= static_cast<int>(a.size()) && heluo::EditDistance(a, a, 0) == 0);
      break;
    }
  }
  return 0;
}
