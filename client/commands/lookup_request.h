// The LookupRequest that `tm` and `pretranslate` both send, from their flags.
#ifndef HELUO_CLIENT_COMMANDS_LOOKUP_REQUEST_H_
#define HELUO_CLIENT_COMMANDS_LOOKUP_REQUEST_H_

#include <string>

#include "heluo/v1/translation_memory.pb.h"

namespace heluo::cli {

struct TmOptions {
  int max_results = 5;
  int min_score = 70;
  std::string previous, next;
  bool has_previous = false, has_next = false;
};

heluo::v1::LookupRequest MakeLookup(const std::string& text, const TmOptions& t);

}  // namespace heluo::cli

#endif  // HELUO_CLIENT_COMMANDS_LOOKUP_REQUEST_H_
