#include "server/core/bundle.h"

#include <fstream>

#include "server/core/interchange.h"
#include <sstream>

namespace heluo {
namespace {

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  *ok = static_cast<bool>(in);
  return buf.str();
}

}  // namespace

Result<BundleImport> ImportBundleOnce(Store& store, const Bundle& bundle) {
  Result<std::vector<TermEntry>> terms = ParseGlossaryJsonl(bundle.glossary_jsonl, bundle.collection);
  if (!terms.ok()) return terms.status();
  Result<std::vector<Segment>> segments = ParseTmJsonl(bundle.tm_jsonl, bundle.collection);
  if (!segments.ok()) return segments.status();
  const std::string marker = "bundle:" + bundle.collection;
  Glossary glossary(&store);
  TranslationMemory tm(&store);
  BundleImport result;
  HELUO_RETURN_IF_ERROR(store.Write([&](LmdbTxn& txn) -> Status {
    result = BundleImport{};
    Result<std::optional<std::string_view>> seen = txn.Get(store.dbs().meta, marker);
    if (!seen.ok()) return seen.status();
    if (seen->has_value()) return Status::Ok();
    const std::string now = NowIso8601();
    for (TermEntry e : *terms) {
      e.created_by = e.changed_by = "heluo-bundle";
      e.created_at = e.changed_at = now;
      HELUO_RETURN_IF_ERROR(glossary.Put(txn, e));
    }
    for (Segment s : *segments) {
      s.created_by = s.changed_by = "heluo-bundle";
      s.created_at = s.changed_at = now;
      HELUO_RETURN_IF_ERROR(tm.Put(txn, s));
    }
    HELUO_RETURN_IF_ERROR(txn.Put(store.dbs().meta, marker, "1"));
    result = BundleImport{true, static_cast<int>(terms->size()), static_cast<int>(segments->size())};
    return Status::Ok();
  }));
  return result;
}

Result<Bundle> ReadBundleDirectory(const std::string& dir, const std::string& collection) {
  Bundle b;
  b.collection = collection;
  bool ok = false;
  const std::string glossary_path = dir + "/glossary/" + collection + ".jsonl";
  b.glossary_jsonl = ReadFile(glossary_path, &ok);
  if (!ok) return Status::FailedPrecondition("cannot read " + glossary_path);
  const std::string tm_path = dir + "/tm/" + collection + ".jsonl";
  b.tm_jsonl = ReadFile(tm_path, &ok);
  if (!ok) return Status::FailedPrecondition("cannot read " + tm_path);
  return b;
}

}  // namespace heluo
