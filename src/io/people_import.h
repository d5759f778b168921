#pragma once
// Importing people profiles from the CSV and JSON files HR systems export.
//
// The accepted columns, their aliases, the list, skill and availability syntax, time-zone
// handling and the error rules are documented for users in docs/import-format.md; keep the two
// in step.
//
// Every function here is thread-compatible and returns expected failures as a Status; no
// exception escapes. A file either imports completely or, when a row is bad, not at all (unless
// ImportOptions::skip_bad_rows is set). Problems that make the whole file unreadable (no header,
// a missing required column, invalid UTF-8, an unterminated quote, malformed JSON) are always an
// error Status.

#include <string>
#include <string_view>
#include <vector>

#include "core/person.h"
#include "core/status.h"

namespace tandem::io {

struct ImportOptions {
  // false: any bad row fails the whole import with kInvalidArgument listing the bad rows.
  // true: bad rows are left out and reported in PeopleImport::errors.
  bool skip_bad_rows = false;
};

// One problem with one row (CSV) or array element (JSON). A row can have several.
struct RowError {
  std::string source;  // file name as given to the importer, e.g. "people.csv"
  int line = 0;        // 1-based physical line where the record starts; 0 if unknown
  std::string column;  // the column header (CSV) or field name (JSON) as written; may be empty
  std::string reason;  // what is wrong, quoting the offending value
  int element = -1;    // JSON only: 0-based index in the people array; -1 for CSV

  // CSV:  "people.csv:12: column 'email': not an email address: 'bob@'"
  // JSON: "people.json:14: element [3]: field 'email': not an email address: 'bob@'"
  std::string ToString() const;
};

struct PeopleImport {
  std::vector<Person> people;    // in file order; every Person is validated (see the docs)
  std::vector<RowError> errors;  // only with skip_bad_rows: the problems of the skipped rows
  int rows_read = 0;             // data records seen (blank lines not counted)
  int rows_skipped = 0;          // rows left out because they had errors
};

// Parses CSV text (UTF-8, optional BOM, CRLF or LF, RFC 4180 quoting; the delimiter is a comma,
// or a tab or semicolon when the header line has no comma). `source_name` is used in messages.
Result<PeopleImport> ImportPeopleCsv(std::string_view text, std::string_view source_name,
                                     const ImportOptions& options);

// Parses JSON text: an array of person objects, or an object {"people": [...]}.
Result<PeopleImport> ImportPeopleJson(std::string_view text, std::string_view source_name,
                                      const ImportOptions& options);

// Reads the file at `path` and imports it: ".csv"/".tsv" as CSV, ".json" as JSON (any case),
// otherwise JSON if the first non-blank character is '[' or '{', else CSV. Messages name the
// file by `path` as given. A missing file is kNotFound, an unreadable one kIoError.
Result<PeopleImport> LoadPeople(const std::string& path, const ImportOptions& options);

}  // namespace tandem::io
