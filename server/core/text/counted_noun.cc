#include "server/core/text/counted_noun.h"

#include <algorithm>
#include <array>
#include <vector>

namespace heluo {
namespace {

// Words that end the counted noun phrase: what follows them does not agree with the noun's number.
constexpr std::array<std::u32string_view, 30> kPhraseEnds = {
    U"of",     U"in",   U"for",  U"and",    U"or",      U"with",   U"to",      U"on",      U"at",     U"from",
    U"by",     U"along", U"under", U"that", U"which",  U"across", U"into",    U"within",  U"between", U"among",
    U"through", U"during", U"covering", U"per", U"over", U"near",  U"around",  U"than",    U"as",     U"after"};

// Singular verb forms and auxiliaries: inside the phrase they mean it was not a noun phrase; after it, in
// the same clause, they would disagree with a plural subject.
constexpr std::array<std::u32string_view, 22> kVerbs = {
    U"is",    U"was",  U"has",  U"does",  U"are",  U"were",  U"have",  U"had",   U"will",  U"would", U"can",
    U"could", U"be",   U"been", U"shall", U"should", U"may", U"might", U"must",  U"did",   U"do",    U"being"};

// Nouns whose plural is not the regular one, or that have none ("staff", "equipment").
constexpr std::array<std::u32string_view, 30> kIrregular = {
    U"child",    U"person",    U"foot",       U"tooth",    U"mouse",   U"goose",     U"ox",       U"sheep",
    U"deer",     U"fish",      U"series",     U"species",  U"people",  U"staff",     U"equipment", U"information",
    U"data",     U"news",      U"aircraft",   U"police",   U"personnel", U"software", U"means",   U"criterion",
    U"phenomenon", U"medium",  U"curriculum", U"datum",    U"index",   U"headquarters"};

// Modifiers in -ing that stand before a noun in compounds ("city reading room", "working day"); any other
// -ing word may be a verb ("one factory producing steel") and ends the attempt.
constexpr std::array<std::u32string_view, 14> kIngModifiers = {
    U"reading",  U"working", U"training", U"parking", U"shopping", U"teaching", U"waiting",
    U"processing", U"housing", U"dining", U"meeting", U"recycling", U"testing", U"charging"};

// Past forms and other words that show the phrase is a clause, not a noun phrase ("one factory made
// steel"), and determiners that start a second phrase.
constexpr std::array<std::u32string_view, 40> kNotInPhrase = {
    U"made",  U"built", U"won",   U"became", U"grew",  U"took",  U"gave",   U"got",   U"saw",   U"rose",
    U"fell",  U"led",   U"began", U"went",   U"came",  U"held",  U"kept",   U"left",  U"met",   U"paid",
    U"put",   U"ran",   U"sent",  U"set",    U"spent", U"stood", U"told",   U"brought", U"bought", U"found",
    U"sold",  U"the",   U"a",     U"an",     U"its",   U"their", U"this",   U"these", U"our",   U"it"};

bool IsLowerAscii(char32_t c) { return c >= U'a' && c <= U'z'; }

bool EndsWith(std::u32string_view w, std::u32string_view suffix) {
  return w.size() >= suffix.size() && w.substr(w.size() - suffix.size()) == suffix;
}

template <size_t N>
bool In(const std::array<std::u32string_view, N>& list, std::u32string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

bool IsVowel(char32_t c) { return c == U'a' || c == U'e' || c == U'i' || c == U'o' || c == U'u'; }

// The regular plural, or nothing when the word's plural is not certain by rule: -f/-fe (leaf, life), -o
// (photos, heroes), -man (chairmen but humans), -s/-x/-z words (bus, campus, index), -is/-us Latin words.
std::optional<std::u32string> RegularPlural(std::u32string_view w) {
  if (w.size() < 2 || In(kIrregular, w)) return std::nullopt;
  if (EndsWith(w, U"f") || EndsWith(w, U"fe") || EndsWith(w, U"o") || EndsWith(w, U"man") ||
      EndsWith(w, U"s") || EndsWith(w, U"x") || EndsWith(w, U"z")) {
    return std::nullopt;
  }
  std::u32string p(w);
  if (EndsWith(w, U"ch") || EndsWith(w, U"sh")) return p + U"es";
  if (w.back() == U'y' && !IsVowel(w[w.size() - 2])) return p.substr(0, p.size() - 1) + U"ies";
  return p + U"s";
}

}  // namespace

std::optional<NounEdit> PluralOfCountedNoun(std::u32string_view text, uint32_t after) {
  struct Word {
    uint32_t begin, end;
  };
  std::vector<Word> phrase;
  size_t i = after;
  bool ended = false;
  while (!ended) {
    if (i >= text.size() || text[i] != U' ') break;  // "one" + punctuation or a line end: no noun.
    const size_t b = ++i;
    while (i < text.size() && (IsLowerAscii(text[i]) || (text[i] == U'-' && i > b))) ++i;
    const std::u32string_view w = text.substr(b, i - b);
    if (w.empty() || (i < text.size() && (text[i] == U'\'' || text[i] == U'"' || (text[i] >= U'A' && text[i] <= U'Z') ||
                                          (text[i] >= U'0' && text[i] <= U'9')))) {
      return std::nullopt;  // A name, a quotation, a possessive, digits: not a plain noun phrase.
    }
    if (In(kPhraseEnds, w)) {
      ended = true;
      break;
    }
    if (In(kVerbs, w) || In(kNotInPhrase, w) || EndsWith(w, U"ed") || EndsWith(w, U"ly") || w.back() == U'-' ||
        EndsWith(w, U"s") ||  // A verb ("one firm ranks first") or a plural: not "one" + a noun phrase.
        (EndsWith(w, U"ing") && !In(kIngModifiers, w))) {
      return std::nullopt;
    }
    phrase.push_back(Word{static_cast<uint32_t>(b), static_cast<uint32_t>(i)});
    if (phrase.size() > 4) return std::nullopt;
    if (i >= text.size()) return std::nullopt;  // A phrase cut off by the end of the text: not certain.
    if (text[i] == U',' || text[i] == U';' || text[i] == U'.' || text[i] == U':' ||
        text[i] == U')') {
      ended = true;
    } else if (text[i] != U' ') {
      return std::nullopt;
    }
  }
  if (!ended || phrase.empty()) return std::nullopt;
  // The phrase was the subject if a singular verb follows in the same clause ("one enterprise in the
  // district was listed"): it would then disagree.
  for (size_t j = phrase.back().end; j < text.size() && text[j] != U',' && text[j] != U';' && text[j] != U'.';) {
    if (!IsLowerAscii(text[j])) {
      ++j;
      continue;
    }
    const size_t b = j;
    while (j < text.size() && IsLowerAscii(text[j])) ++j;
    const std::u32string_view w = text.substr(b, j - b);
    if (w == U"is" || w == U"was" || w == U"has" || w == U"does" || w == U"itself" || w == U"its") {
      return std::nullopt;
    }
  }
  const Word head = phrase.back();
  const std::u32string_view head_word = text.substr(head.begin, head.end - head.begin);
  if (EndsWith(head_word, U"ing")) return std::nullopt;  // "training", "housing": no plural.
  std::optional<std::u32string> plural = RegularPlural(head_word);
  if (!plural) return std::nullopt;
  return NounEdit{head.begin, head.end, std::move(*plural)};
}

}  // namespace heluo
