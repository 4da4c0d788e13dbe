#include "server/core/text/segmenter.h"

#include "server/core/text/normalizer.h"

namespace heluo {
namespace {

bool EndsSentence(char32_t c) { return c == U'。' || c == U'！' || c == U'？' || c == U'!' || c == U'?'; }
bool Closes(char32_t c) { return c == U'”' || c == U'’' || c == U'」' || c == U'』' || c == U'）'; }
bool Blank(std::u32string_view s) {
  for (char32_t c : s) {
    if (c != U' ' && c != U'\t' && c != U'\r' && c != U'\u3000') return false;
  }
  return true;
}

}  // namespace

Result<std::vector<std::string>> SplitSentences(std::string_view text) {
  std::u32string cps;
  HELUO_RETURN_IF_ERROR(DecodeUtf8(text, &cps));
  std::vector<std::string> out;
  size_t start = 0;
  auto emit = [&](size_t end) {
    std::u32string_view piece = std::u32string_view(cps).substr(start, end - start);
    if (!Blank(piece)) out.push_back(EncodeUtf8(piece));
    start = end;
  };
  for (size_t i = 0; i < cps.size(); ++i) {
    if (cps[i] == U'\n') {
      emit(i);
      start = i + 1;
    } else if (EndsSentence(cps[i])) {
      size_t end = i + 1;
      while (end < cps.size() && Closes(cps[end])) ++end;
      emit(end);
      i = end - 1;
    }
  }
  emit(cps.size());
  return out;
}

}  // namespace heluo
