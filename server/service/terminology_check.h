// The service side of the terminology check (Glossary.CheckTerminology, CheckTerminologyStream,
// AuditTranslations; the methods are in terminology_check.cc): one request's answer from the one checker,
// and the stream's pipeline (ordered_stream.h) for tests and benchmarks to drive without a server.
#ifndef HELUO_SERVER_SERVICE_TERMINOLOGY_CHECK_H_
#define HELUO_SERVER_SERVICE_TERMINOLOGY_CHECK_H_

#include "heluo/v1/terminology_check.pb.h"
#include "server/core/qa/terminology_checker.h"
#include "server/service/ordered_stream.h"

namespace heluo {

Result<v1::CheckTerminologyResponse> CheckPair(const TerminologyChecker& checker,
                                               const v1::CheckTerminologyRequest& request);

using CheckStreamIo = OrderedStreamIo<v1::CheckTerminologyRequest, v1::CheckTerminologyResponse>;
OrderedStreamOutcome RunCheckStream(const TerminologyChecker& checker, CheckStreamIo& io,
                                    const OrderedStreamLimits& limits);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_TERMINOLOGY_CHECK_H_
