// UpdateMask: which fields of a stored glossary entry or TM segment an update changes (AIP-134), so that an
// edit never wipes a field its author did not mean to touch.
//
// Three kinds, chosen by the caller (the service converts google.protobuf.FieldMask into this):
//  - kPopulated (no mask given): every field the update carries a value for (non-empty text or list, a set
//    status or source, a non-zero position) replaces the stored one; every other field keeps its value.
//  - kFields: exactly the named fields are copied from the update, even when empty (that is how a field is
//    cleared); every other field keeps its value.
//  - kReplace ("*"): the update replaces the stored record whole.
// The key (id) and the output-only audit fields cannot be named. A record that does not exist yet is made
// from the masked fields of the update, as if the stored record were empty.
//
// Thread-safety: plain functions on values.
#ifndef HELUO_SERVER_CORE_UPDATE_MASK_H_
#define HELUO_SERVER_CORE_UPDATE_MASK_H_

#include <set>
#include <string>

#include "server/core/glossary.h"
#include "server/core/status.h"
#include "server/core/translation_memory.h"

namespace heluo {

struct UpdateMask {
  enum class Kind { kPopulated, kFields, kReplace };
  Kind kind = Kind::kPopulated;
  std::set<std::string> fields;  // kFields only: field names as in the proto (snake_case).
};

// Copies the fields `mask` selects from `update` into *stored (an empty record when creating). Keeps
// stored->id and the audit fields. INVALID_ARGUMENT naming the field for a name that is not an updatable
// field of the record.
Status ApplyUpdate(const TermEntry& update, const UpdateMask& mask, TermEntry* stored);
Status ApplyUpdate(const Segment& update, const UpdateMask& mask, Segment* stored);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_UPDATE_MASK_H_
