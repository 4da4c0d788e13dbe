#include "client/commands/lookup_request.h"

namespace heluo::cli {

heluo::v1::LookupRequest MakeLookup(const std::string& text, const TmOptions& t) {
  heluo::v1::LookupRequest request;
  request.set_text(text);
  request.set_max_results(t.max_results);
  request.set_min_score(t.min_score);
  if (t.has_previous) request.set_previous_text(t.previous);
  if (t.has_next) request.set_next_text(t.next);
  return request;
}

}  // namespace heluo::cli
