#include "server/service/unary_methods.h"

namespace heluo {

const UnaryMethods::Body* UnaryMethods::Find(const std::string& path) const {
  auto it = methods_.find(path);
  return it == methods_.end() ? nullptr : &it->second;
}

}  // namespace heluo
