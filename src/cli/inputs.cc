#include "cli/inputs.h"

#include <cstdio>

#include "io/config_json.h"
#include "io/people_import.h"

namespace tandem::cli {

Result<std::vector<Person>> LoadPeopleFile(const std::string& path, bool skip_bad_rows) {
  io::ImportOptions options;
  options.skip_bad_rows = skip_bad_rows;
  auto people = io::LoadPeople(path, options);
  if (!people.ok()) return people.status();
  for (const io::RowError& e : people->errors) {
    std::fprintf(stderr, "skipped: %s\n", e.ToString().c_str());
  }
  return std::move(people->people);
}

Result<matching::MatchConfig> LoadMatchConfig(const std::string& config_path,
                                              const std::string& model,
                                              const std::string& objective) {
  matching::MatchConfig config = matching::DefaultConfig(matching::Model::kTraditional);
  if (!config_path.empty()) {
    auto loaded = io::LoadConfig(config_path);
    if (!loaded.ok()) return loaded.status();
    config = *loaded;
  } else if (!model.empty()) {
    auto parsed = matching::ParseModel(model);
    if (!parsed) return Status::Invalid("--model: unknown model '" + model + "'");
    config = matching::DefaultConfig(*parsed);
  }
  if (!objective.empty()) {
    auto parsed = matching::ParseObjective(objective);
    if (!parsed) return Status::Invalid("--objective: must be welfare, stable or fair");
    config.objective = *parsed;
  }
  if (Status s = matching::Validate(config); !s.ok()) return s;
  return config;
}

}  // namespace tandem::cli
