// XmlReader: a streaming, safe XML reader on Expat for the interchange formats (TMX, TBX).
//
// Bytes are fed in chunks (Feed), so a file of any size is read with bounded memory. DTDs are never loaded:
// parameter entities are off, external entities are refused, and a document that declares any entity is
// rejected ("entity declarations are not accepted"), which also rules out entity-expansion bombs. A
// reference to an entity the document does not define (e.g. &nbsp; in a file naming an external DTD, which
// Expat would otherwise skip silently) is refused, so no text is ever dropped. The encoding comes from the
// byte order mark or the XML declaration (UTF-8, UTF-16LE/BE, ISO-8859-1, US-ASCII). Errors carry the line
// and column Expat reports.
//
// Thread-safety: one reader per thread.
#ifndef HELUO_SERVER_CORE_FORMATS_XML_READER_H_
#define HELUO_SERVER_CORE_FORMATS_XML_READER_H_

#include <expat.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "server/core/status.h"

namespace heluo {

class XmlReader {
 public:
  using Attributes = std::map<std::string, std::string>;
  struct Handlers {
    std::function<Status(const std::string& name, const Attributes& attrs)> start;
    std::function<Status(const std::string& name)> end;
    std::function<void(std::string_view text)> text;
  };

  explicit XmlReader(Handlers handlers);
  ~XmlReader();
  XmlReader(const XmlReader&) = delete;
  XmlReader& operator=(const XmlReader&) = delete;

  // Parses the next chunk; `last` marks the end of the document. INVALID_ARGUMENT with line and column
  // for malformed XML, or the first error a handler returned.
  Status Feed(std::string_view chunk, bool last);
  // Feeds every chunk `next` gives (it returns false at the end), then ends the document. INVALID_ARGUMENT
  // "the file is empty" when no element was seen.
  Status ReadAll(const std::function<bool(std::string* chunk)>& next);
  // Where the parser is (1-based line, 1-based column).
  long line() const { return static_cast<long>(XML_GetCurrentLineNumber(parser_)); }
  long column() const { return static_cast<long>(XML_GetCurrentColumnNumber(parser_)) + 1; }
  // "line 12, column 5".
  std::string Where() const;

 private:
  static void OnStart(void* self, const XML_Char* name, const XML_Char** attrs);
  static void OnEnd(void* self, const XML_Char* name);
  static void OnText(void* self, const XML_Char* s, int len);
  static void OnEntityDecl(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
                           const XML_Char*, const XML_Char*);
  static void OnSkippedEntity(void* self, const XML_Char* name, int is_parameter_entity);
  void Stop(Status st);

  XML_Parser parser_;
  Handlers handlers_;
  Status error_;
  bool saw_element_ = false;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_FORMATS_XML_READER_H_
