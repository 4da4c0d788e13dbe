// The body of TranslationMemory.LookupStream (pre-translating a document): the ordered-stream pipeline
// (ordered_stream.h) with TranslationMemory::Lookup as the answer — lookups on several worker threads,
// answers in request order, at most `window` requests read ahead.
#ifndef HELUO_SERVER_SERVICE_LOOKUP_STREAM_H_
#define HELUO_SERVER_SERVICE_LOOKUP_STREAM_H_

#include "heluo/v1/translation_memory.pb.h"
#include "server/core/translation_memory.h"
#include "server/service/ordered_stream.h"

namespace heluo {

using LookupStreamLimits = OrderedStreamLimits;
using LookupStreamIo = OrderedStreamIo<v1::LookupRequest, v1::LookupResponse>;
using LookupStreamOutcome = OrderedStreamOutcome;

// One LookupRequest's answer, as Lookup gives it: into `response` (Lookup's, on the callback call's arena;
// untouched on failure), or as a new message.
Status LookUpInto(const TranslationMemory& tm, const v1::LookupRequest& request,
                  const std::function<bool()>& cancelled, v1::LookupResponse* response);
Result<v1::LookupResponse> LookUp(const TranslationMemory& tm, const v1::LookupRequest& request,
                                  const std::function<bool()>& cancelled);

// Whether a lookup may take long enough to hold one of gRPC's shared callback threads (Lookup then runs it
// on a worker pool): below the default min_score (70) the count filter prunes less and a lookup may turn
// into a scan of the store; a long text has hundreds of posting lists to count.
bool LookupMayRunLong(const v1::LookupRequest& request);

LookupStreamOutcome RunLookupStream(const TranslationMemory& tm, LookupStreamIo& io, const LookupStreamLimits& limits);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_LOOKUP_STREAM_H_
