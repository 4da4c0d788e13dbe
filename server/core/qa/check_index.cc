#include "server/core/qa/check_index.h"

namespace heluo {

std::shared_ptr<const TermCheckIndex> TermCheckIndex::Build(const std::vector<TermEntry>& entries) {
  auto index = std::make_shared<TermCheckIndex>();
  for (const TermEntry& e : entries) {
    CheckEntry c;
    c.id = e.id;
    c.collection = e.collection;
    c.do_not_translate = e.do_not_translate;
    auto add = [&](const std::string& form, bool case_sensitive, std::vector<RenderingPattern>* to) {
      RenderingPattern p;
      if (index->matcher_.Compile(form, case_sensitive, &p)) to->push_back(std::move(p));
    };
    c.expected.push_back(e.en);
    add(e.en, e.case_sensitive, &c.accepted);
    for (const std::string& v : e.en_variants) {
      c.expected.push_back(v);
      add(v, e.case_sensitive, &c.accepted);
    }
    for (const std::string& v : e.en_deprecated) add(v, e.case_sensitive, &c.deprecated);
    for (const std::string& v : e.en_forbidden) add(v, e.case_sensitive, &c.forbidden);
    if (e.do_not_translate) {
      add(e.zh, true, &c.source_forms);
      for (const std::string& v : e.zh_variants) add(v, true, &c.source_forms);
    }
    index->collections_.insert(e.collection);
    index->entries_.emplace(e.id, std::move(c));
  }
  return index;
}

const CheckEntry* TermCheckIndex::Find(const std::string& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace heluo
