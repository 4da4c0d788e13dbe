// The bundled content of data/, compiled into the binary with the assembler's .incbin so that
// heluo-server needs no files at run time. CMakeLists.txt passes the file paths and makes this file depend
// on them, so editing data/ rebuilds it.
#include "server/core/bundle.h"
#include "server/core/incbin.h"

HELUO_INCBIN(heluo_bundled_glossary, HELUO_BUNDLED_GLOSSARY_PATH)
HELUO_INCBIN(heluo_bundled_tm, HELUO_BUNDLED_TM_PATH)

namespace heluo {

Bundle EmbeddedBundle() {
  return Bundle{HELUO_BUNDLED_COLLECTION,
                std::string(heluo_bundled_glossary_begin, heluo_bundled_glossary_end),
                std::string(heluo_bundled_tm_begin, heluo_bundled_tm_end)};
}

}  // namespace heluo
