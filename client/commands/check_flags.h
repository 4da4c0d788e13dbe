// The flags `heluo check` and `heluo audit` share: which glossary collections count and which checks run.
#ifndef HELUO_CLIENT_COMMANDS_CHECK_FLAGS_H_
#define HELUO_CLIENT_COMMANDS_CHECK_FLAGS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "heluo/v1/terminology_check.pb.h"

namespace heluo::cli {

struct TermCheckFlags {
  std::vector<std::string> glossaries;
  bool skip_counts = false, skip_figures = false, skip_untranslated = false;

  void AddTo(CLI::App* app) {
    app->add_option("--glossary", glossaries, "glossary collections whose terms count (default: all)");
    app->add_flag("--skip-counts", skip_counts, "no COUNT_MISMATCH");
    app->add_flag("--skip-figures", skip_figures, "no FIGURE_MISMATCH");
    app->add_flag("--skip-untranslated", skip_untranslated, "no UNTRANSLATED");
  }
  void SetOptions(heluo::v1::TermCheckOptions* o) const {
    o->set_skip_counts(skip_counts);
    o->set_skip_figures(skip_figures);
    o->set_skip_untranslated(skip_untranslated);
  }
};

}  // namespace heluo::cli

#endif  // HELUO_CLIENT_COMMANDS_CHECK_FLAGS_H_
