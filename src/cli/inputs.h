#pragma once
// Loading what the people-based subcommands share: the people file and a configuration.

#include <string>
#include <vector>

#include "core/person.h"
#include "core/status.h"
#include "matching/config.h"

namespace tandem::cli {

// Reads people (CSV or JSON); skipped rows are reported on stderr.
Result<std::vector<Person>> LoadPeopleFile(const std::string& path, bool skip_bad_rows);

// The configuration file if given, else the model's defaults (traditional if no model), with
// the objective overridden when given. Validated.
Result<matching::MatchConfig> LoadMatchConfig(const std::string& config_path,
                                              const std::string& model,
                                              const std::string& objective);

}  // namespace tandem::cli
