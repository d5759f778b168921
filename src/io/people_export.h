#pragma once
// People as CSV in the import format (docs/import-format.md), so that a generated organization
// can be saved, edited in a spreadsheet and matched again: ImportPeopleCsv(PeopleToCsv(p)) == p.

#include <string>
#include <vector>

#include "core/person.h"

namespace tandem::io {

// Availability is written in each person's local time, from utc_offset_minutes.
std::string PeopleToCsv(const std::vector<Person>& people);

}  // namespace tandem::io
