#pragma once
// Pairs from earlier programs, for rotation: a CSV with the columns mentee_id,mentor_id (header
// optional; any further columns are ignored).

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace tandem::io {

Result<std::vector<std::pair<std::string, std::string>>> LoadPairHistory(const std::string& path);

}  // namespace tandem::io
