#include "server/service/lookup_stream.h"

#include "server/service/convert.h"

namespace heluo {

Status LookUpInto(const TranslationMemory& tm, const v1::LookupRequest& request,
                  const std::function<bool()>& cancelled, v1::LookupResponse* response) {
  TmQuery query = FromProto(request);
  query.cancelled = cancelled;
  Result<std::vector<TmMatch>> matches = tm.Lookup(query);
  if (!matches.ok()) return matches.status();
  for (const TmMatch& m : *matches) ToProto(m, response->add_matches());
  return Status::Ok();
}

Result<v1::LookupResponse> LookUp(const TranslationMemory& tm, const v1::LookupRequest& request,
                                  const std::function<bool()>& cancelled) {
  v1::LookupResponse response;
  HELUO_RETURN_IF_ERROR(LookUpInto(tm, request, cancelled, &response));
  return response;
}

// A text of more bytes than this (~330 Chinese characters) has hundreds of posting lists to count.
constexpr size_t kLongLookupTextBytes = 1000;

bool LookupMayRunLong(const v1::LookupRequest& request) {
  const int min_score = request.has_min_score() ? request.min_score() : kDefaultMinScore;
  return min_score < kDefaultMinScore || request.text().size() > kLongLookupTextBytes;
}

LookupStreamOutcome RunLookupStream(const TranslationMemory& tm, LookupStreamIo& io, const LookupStreamLimits& limits) {
  const OrderedAnswer<v1::LookupRequest, v1::LookupResponse> answer =
      [&tm](const v1::LookupRequest& request, const std::function<bool()>& cancelled) {
        return LookUp(tm, request, cancelled);
      };
  return RunOrderedStream(io, limits, answer);
}

}  // namespace heluo
