#include "client/suggest_command.h"

#include <algorithm>
#include <vector>

namespace heluo::cli {
namespace {

// Levenshtein distance over bytes: command names are ASCII.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> UnknownCommand(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") return std::nullopt;
    if (word.size() > 1 && word[0] == '-') {
      const std::string name = word.substr(0, word.find('='));
      const CLI::Option* opt = app.get_option_no_throw(name);
      if (opt != nullptr && opt->get_items_expected_min() > 0 && name == word) ++i;  // Skip its value.
      continue;
    }
    for (const CLI::App* sub : app.get_subcommands({})) {
      if (sub->check_name(word)) return std::nullopt;
    }
    return word;
  }
  return std::nullopt;
}

std::string UnknownCommandMessage(CLI::App& app, const std::string& word) {
  std::string nearest, all;
  size_t best = std::string::npos;
  for (const CLI::App* sub : app.get_subcommands({})) {
    const std::string& name = sub->get_name();
    all += (all.empty() ? "" : ", ") + name;
    const size_t d = EditDistance(word, name);
    if (d < best) {
      best = d;
      nearest = name;
    }
  }
  // Close enough to be a typo: at most a third of the word wrong (and at least one edit allowed).
  if (best <= std::max<size_t>(1, word.size() / 3 + 1)) {
    return "unknown command '" + word + "'; did you mean '" + nearest + "'?";
  }
  return "unknown command '" + word + "'; the commands are " + all + " (heluo --help)";
}

}  // namespace heluo::cli
