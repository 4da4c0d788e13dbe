// How the CLI shows what the server answered: JSON for scripts, readable names and text slices for people.
#ifndef HELUO_CLIENT_OUTPUT_H_
#define HELUO_CLIENT_OUTPUT_H_

#include <google/protobuf/message.h>

#include <string>

#include "heluo/v1/glossary.pb.h"
#include "heluo/v1/translation_memory.pb.h"

namespace heluo::cli {

// One line of JSON with the proto field names (snake_case), as the API reference spells them.
void PrintJson(const google::protobuf::Message& m);

const char* StatusName(heluo::v1::RenderingStatus s);
// A match kind for people ("in-context") and as the key of JSON output ("context"; "none" for no match).
const char* KindName(heluo::v1::MatchKind k);
const char* KindKey(heluo::v1::MatchKind k);
// The entry's English renderings by status (admitted, deprecated, forbidden) and its flags, one per line
// after `indent`; nothing for what is empty.
void PrintTermStatus(const heluo::v1::TermEntry& e, const std::string& indent);
// "figures not carried over: 178 → 180, 35 → 36" when the match differs only in figures and some could not
// be put into its target (then the stored target is shown, never a partly substituted one); else "".
std::string NotCarriedOver(const heluo::v1::Match& m);

// The code points [begin, end) of a UTF-8 string: the server reports spans in code points.
std::string Slice(const std::string& s, int begin, int end);

}  // namespace heluo::cli

#endif  // HELUO_CLIENT_OUTPUT_H_
