#pragma once
// Matching configurations as JSON files: read (with every error naming the key path and the
// reason) and written (pretty, every field, for `tandem config --model X`). docs/matching.md
// documents the format. Thread-compatible; no exception escapes.

#include <string>
#include <string_view>

#include "core/status.h"
#include "matching/config.h"

namespace tandem::io {

// Parses a configuration object. The "model" key (default "traditional") selects
// DefaultConfig(model); every other key present overrides that default. Unknown keys, wrong types
// and out-of-range values are kInvalidArgument errors naming the source, key path and reason:
// "program.json: weights.skills: must be a number in [0, 10]". Syntax errors give line and
// column. The result passes matching::Validate. `//` and `/* */` comments are allowed.
Result<matching::MatchConfig> ParseConfigJson(std::string_view text, std::string_view source_name);

// Reads and parses the file at `path` (messages name it as given). A missing file is kNotFound,
// an unreadable one kIoError.
Result<matching::MatchConfig> LoadConfig(const std::string& path);

// Every field, model first, indented by two spaces, no trailing newline; ParseConfigJson reads it
// back to an equal configuration.
std::string ConfigToJson(const matching::MatchConfig& config);

}  // namespace tandem::io
