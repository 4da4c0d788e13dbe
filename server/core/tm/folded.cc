#include "server/core/tm/folded.h"

#include "server/core/tm/segment.h"

namespace heluo {

Status Fold(std::string_view s, Folded* out) {
  HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(s, &out->text));
  out->tokens = Tokenize(out->text);
  out->ids = TokenIds(out->tokens);
  return Status::Ok();
}

std::string TokenText(const Folded& f, size_t i) {
  return EncodeUtf8(std::u32string_view(f.text.key).substr(f.tokens[i].key_begin, f.tokens[i].key_end - f.tokens[i].key_begin));
}

Status CheckLength(const NormalizedText& t, std::string_view what) {
  if (t.original.size() > static_cast<size_t>(kMaxSegmentLength)) {
    return Status::InvalidArgument(std::string(what) + " is longer than " + std::to_string(kMaxSegmentLength) +
                                   " characters");
  }
  return Status::Ok();
}

}  // namespace heluo
