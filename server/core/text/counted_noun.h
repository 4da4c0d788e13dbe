// The noun a spelled-out "one" counts in English ("one new city service station"), made plural when a
// substitution turns one into more than one ("two new city service stations"). Only where the plural is
// certain: a short run of lower-case words ending at punctuation or a preposition/conjunction, a head noun
// with a regular plural, and no singular verb that would then disagree. Anything else is left alone, and
// the figure is reported as not carried over rather than written with a noun of the wrong number.
#ifndef HELUO_SERVER_CORE_TEXT_COUNTED_NOUN_H_
#define HELUO_SERVER_CORE_TEXT_COUNTED_NOUN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace heluo {

struct NounEdit {
  uint32_t begin = 0, end = 0;  // Code points of `text`: the head noun as written.
  std::u32string plural;        // What replaces it.
};

// The head noun of the phrase that starts after `after` (the end of "one") in `text`, with its plural;
// nothing when the phrase or the plural is not certain.
std::optional<NounEdit> PluralOfCountedNoun(std::u32string_view text, uint32_t after);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TEXT_COUNTED_NOUN_H_
