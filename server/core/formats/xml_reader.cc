#include "server/core/formats/xml_reader.h"

namespace heluo {

// No forced encoding: Expat then follows the byte order mark or the XML declaration, so UTF-16LE/BE files
// (what Trados and memoQ write by default) are read as well as UTF-8; handlers always receive UTF-8.
XmlReader::XmlReader(Handlers handlers) : parser_(XML_ParserCreate(nullptr)), handlers_(std::move(handlers)) {
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &XmlReader::OnStart, &XmlReader::OnEnd);
  XML_SetCharacterDataHandler(parser_, &XmlReader::OnText);
  XML_SetEntityDeclHandler(parser_, &XmlReader::OnEntityDecl);
  XML_SetSkippedEntityHandler(parser_, &XmlReader::OnSkippedEntity);
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
  XML_SetExternalEntityRefHandler(parser_, [](XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*,
                                              const XML_Char*) -> int { return XML_STATUS_ERROR; });
}

XmlReader::~XmlReader() { XML_ParserFree(parser_); }

std::string XmlReader::Where() const {
  return "line " + std::to_string(line()) + ", column " + std::to_string(column());
}

void XmlReader::Stop(Status st) {
  if (error_.ok()) error_ = std::move(st);
  XML_StopParser(parser_, XML_FALSE);
}

Status XmlReader::ReadAll(const std::function<bool(std::string* chunk)>& next) {
  std::string chunk;
  while (next(&chunk)) HELUO_RETURN_IF_ERROR(Feed(chunk, false));
  HELUO_RETURN_IF_ERROR(Feed("", true));
  if (!saw_element_) return Status::InvalidArgument("the file is empty");
  return Status::Ok();
}

void XmlReader::OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
  auto* r = static_cast<XmlReader*>(self);
  r->saw_element_ = true;
  if (!r->handlers_.start) return;
  Attributes a;
  for (int i = 0; attrs[i] != nullptr; i += 2) a.emplace(attrs[i], attrs[i + 1]);
  Status st = r->handlers_.start(name, a);
  if (!st.ok()) r->Stop(std::move(st));
}

void XmlReader::OnEnd(void* self, const XML_Char* name) {
  auto* r = static_cast<XmlReader*>(self);
  if (!r->handlers_.end) return;
  Status st = r->handlers_.end(name);
  if (!st.ok()) r->Stop(std::move(st));
}

void XmlReader::OnText(void* self, const XML_Char* s, int len) {
  auto* r = static_cast<XmlReader*>(self);
  if (r->handlers_.text) r->handlers_.text(std::string_view(s, static_cast<size_t>(len)));
}

void XmlReader::OnEntityDecl(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
                             const XML_Char*, const XML_Char*) {
  auto* r = static_cast<XmlReader*>(self);
  r->Stop(Status::InvalidArgument("entity declarations are not accepted (" + r->Where() +
                                  "); remove the DOCTYPE internal subset"));
}

void XmlReader::OnSkippedEntity(void* self, const XML_Char* name, int is_parameter_entity) {
  auto* r = static_cast<XmlReader*>(self);
  if (is_parameter_entity) return;  // Parameter entities only matter inside a DTD, which is never read.
  const std::string n = name;
  r->Stop(Status::InvalidArgument("undefined entity &" + n + "; at " + r->Where() +
                                  " (its DTD is not read, so its text would be lost); write the character itself "
                                  "or a character reference such as &#160; instead"));
}

Status XmlReader::Feed(std::string_view chunk, bool last) {
  if (!error_.ok()) return error_;
  const XML_Status rc = XML_Parse(parser_, chunk.data(), static_cast<int>(chunk.size()), last ? XML_TRUE : XML_FALSE);
  if (!error_.ok()) return error_;
  if (rc != XML_STATUS_OK) {
    error_ = Status::InvalidArgument(std::string("malformed XML at ") + Where() + ": " +
                                     XML_ErrorString(XML_GetErrorCode(parser_)));
  }
  return error_;
}

}  // namespace heluo
