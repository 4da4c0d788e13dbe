// Parsing a request without protobuf's UTF-8 check of its string fields, for a method whose own first pass
// over its text validates it anyway.
//
// Protobuf checks every proto3 string field of a message it parses. RecognizeTerms then decodes its text
// (up to 5,000 characters) once more in the normalizer, which checks the same UTF-8 again and names the
// offending byte: the text was validated twice, and the first check was a sixth of the server's CPU for a
// long text. Such a request is parsed as a twin message type derived from its own descriptor at first use
// (the same fields and numbers, strings as bytes, enums as int32: the same wire format), and the values are
// moved into the real message. Its text is then unchecked until the method's normalization checks it, so
// only methods that do so may parse this way (TextCheckedByMethod in request_traits.h says which).
//
// Thread-safety: ParseWithoutUtf8Check may be called from any thread.
#ifndef HELUO_SERVER_SERVICE_UNCHECKED_TEXT_H_
#define HELUO_SERVER_SERVICE_UNCHECKED_TEXT_H_

#include <google/protobuf/message.h>

namespace heluo {

// Parses `size` bytes at `data` into `msg` (cleared first) as ParseFromArray does but without checking the
// UTF-8 of string fields. A message type with message, group or repeated fields is parsed with the check
// (ParseFromArray). False when the bytes are not a valid message.
bool ParseWithoutUtf8Check(const void* data, int size, google::protobuf::Message* msg);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_UNCHECKED_TEXT_H_
