#include "server/service/lookup_stream.h"

#include "server/service/convert.h"

namespace heluo {

Result<v1::LookupResponse> LookUp(const TranslationMemory& tm, const v1::LookupRequest& request,
                                  const std::function<bool()>& cancelled) {
  TmQuery query = FromProto(request);
  query.cancelled = cancelled;
  Result<std::vector<TmMatch>> matches = tm.Lookup(query);
  if (!matches.ok()) return matches.status();
  v1::LookupResponse response;
  for (const TmMatch& m : *matches) ToProto(m, response.add_matches());
  return response;
}

LookupStreamOutcome RunLookupStream(const TranslationMemory& tm, LookupStreamIo& io, const LookupStreamLimits& limits) {
  const OrderedAnswer<v1::LookupRequest, v1::LookupResponse> answer =
      [&tm](const v1::LookupRequest& request, const std::function<bool()>& cancelled) {
        return LookUp(tm, request, cancelled);
      };
  return RunOrderedStream(io, limits, answer);
}

}  // namespace heluo
