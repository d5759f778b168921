#include "io/people_import.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace tandem::io {
namespace {

using nlohmann::json;

// At most this many errors are spelled out in the Status of a failed import.
constexpr int kMaxListedErrors = 50;
// Values quoted in messages are cut to this many bytes.
constexpr size_t kMaxQuotedValue = 60;
// Skills held without a level get this proficiency.
constexpr int kDefaultProficiency = 3;
constexpr int kMinSeniority = 1;
constexpr int kMaxSeniority = 10;

// The instant at which a time zone's UTC offset is taken (documented in docs/import-format.md):
// one fixed offset per person keeps the weekly availability a plain 168-bit set.
const date::sys_seconds kOffsetReferenceInstant =
    date::sys_days{date::year{2026} / date::January / 15} + std::chrono::hours{12};

// ---------------------------------------------------------------------------------------------
// Text helpers

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Trims and turns every run of white space (including newlines) into one space.
std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char c : Trim(s)) {
    if (IsSpace(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// Lower-cases ASCII letters and the upper-case letters of Latin-1 Supplement (U+00C0..U+00DE
// but U+00D7), which covers most Western European names of languages, skills and places.
std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = AsciiLower(out[i]);
    const auto lead = static_cast<unsigned char>(out[i]);
    if (lead == 0xC3 && i + 1 < out.size()) {
      const auto trail = static_cast<unsigned char>(out[i + 1]);
      if (trail >= 0x80 && trail <= 0x9E && trail != 0x97) {
        out[i + 1] = static_cast<char>(trail + 0x20);
      }
      ++i;
    }
  }
  return out;
}

// Tags, skills and languages: trimmed, inner white space collapsed, lower case.
std::string NormaliseTag(std::string_view s) { return LowerCase(CollapseSpaces(s)); }

// "'value'", cut to a readable length on a UTF-8 character boundary.
std::string Quote(std::string_view value) {
  std::string out = "'";
  if (value.size() <= kMaxQuotedValue) {
    out += value;
  } else {
    size_t cut = kMaxQuotedValue;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    out += value.substr(0, cut);
    out += "...";
  }
  out += "'";
  return out;
}

// The whole (trimmed) text must be an integer.
std::optional<long long> ParseInteger(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  long long value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseNumber(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// List cells: items separated by ';', ',' or line breaks; items trimmed, empty ones dropped.
std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> items;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ';' || s[i] == ',' || s[i] == '\n' || s[i] == '\r') {
      std::string_view item = Trim(s.substr(start, i - start));
      if (!item.empty()) items.emplace_back(item);
      start = i + 1;
    }
  }
  return items;
}

std::vector<std::string> SplitWhitespace(std::string_view s) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : s) {
    if (IsSpace(c)) {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

// Keeps only ASCII letters and digits, lower-cased: "In-Person" -> "inperson".
std::string Squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    c = AsciiLower(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

int LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

// ---------------------------------------------------------------------------------------------
// Encoding

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Strips a UTF-8 byte order mark; rejects UTF-16/32 and invalid UTF-8, naming the line.
Status CheckEncoding(std::string_view& text, std::string_view source) {
  if (text.substr(0, 3) == kUtf8Bom) text.remove_prefix(3);
  if (text.size() >= 2) {
    const auto b0 = static_cast<unsigned char>(text[0]);
    const auto b1 = static_cast<unsigned char>(text[1]);
    if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF)) {
      return Status::Invalid(std::string(source) +
                             ": the file is UTF-16 encoded; save it as UTF-8 (\"CSV UTF-8\")");
    }
  }
  int line = 1;
  size_t line_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      ++i;
      continue;
    }
    if (c < 0x80) {
      if (c == 0) {
        return Status::Invalid(std::string(source) + ":" + std::to_string(line) +
                               ": the file contains a NUL byte; is it UTF-16 or binary? Save it "
                               "as UTF-8");
      }
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code_point = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code_point = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code_point = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code_point = c & 0x07;
    }
    bool valid = length != 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      const auto trail = static_cast<unsigned char>(text[i + k]);
      if ((trail & 0xC0) != 0x80) valid = false;
      code_point = (code_point << 6) | (trail & 0x3F);
    }
    if (valid) {
      const bool overlong =
          (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
      const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
      valid = !overlong && !surrogate && code_point <= 0x10FFFF;
    }
    if (!valid) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return Status::Invalid(std::string(source) + ":" + std::to_string(line) +
                             ": not valid UTF-8 (byte " + hex + " at byte " +
                             std::to_string(i - line_start + 1) +
                             " of the line); save the file as UTF-8");
    }
    i += length;
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Fields and their column names

enum class Field {
  kId,
  kName,
  kFirstName,
  kLastName,
  kEmail,
  kTitle,
  kDepartment,
  kSite,
  kTimeZone,
  kSeniority,
  kManagerId,
  kLanguages,
  kSkillsHeld,
  kSkillsWanted,
  kCareerGoals,
  kInterests,
  kLearningPreferences,
  kOpenness,
  kConscientiousness,
  kExtraversion,
  kAgreeableness,
  kNeuroticism,
  kCommunicationStyle,
  kMeetingPreference,
  kAvailability,
  kRole,
  kMentorCapacity,
  kPreferredMentors,
  kGender,
  kEthnicity,
  kEmployeeGroups,
  kPreferSharedBackground,
  kCount,
};
constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);
constexpr std::array<Field, 5> kPersonalityFields = {Field::kOpenness, Field::kConscientiousness,
                                                     Field::kExtraversion, Field::kAgreeableness,
                                                     Field::kNeuroticism};

struct FieldSpec {
  Field field;
  std::string_view name;  // canonical snake_case name (the JSON key)
  bool is_list;
  std::vector<std::string_view> aliases;  // other accepted headers, matched normalised
};

// Keep in step with the tables in docs/import-format.md.
const std::vector<FieldSpec>& FieldSpecs() {
  static const std::vector<FieldSpec> specs = {
      {Field::kId,
       "id",
       false,
       {"employee id", "employeeid", "emp id", "empid", "worker id", "person id", "staff id",
        "employee number", "employee no", "emp no", "associate id"}},
      {Field::kName,
       "name",
       false,
       {"full name", "fullname", "display name", "employee name", "worker name", "person name",
        "preferred full name"}},
      {Field::kFirstName,
       "first_name",
       false,
       {"firstname", "given name", "preferred first name", "forename"}},
      {Field::kLastName, "last_name", false, {"lastname", "surname", "family name"}},
      {Field::kEmail,
       "email",
       false,
       {"e mail", "work email", "email address", "e mail address", "work email address",
        "business email"}},
      {Field::kTitle, "title", false, {"job title", "position", "position title", "job name"}},
      {Field::kDepartment,
       "department",
       false,
       {"dept", "department name", "org unit", "organization unit", "organisation unit",
        "organizational unit", "division"}},
      {Field::kSite,
       "site",
       false,
       {"location", "office", "work location", "office location", "work site", "campus"}},
      {Field::kTimeZone,
       "time_zone",
       false,
       {"timezone", "tz", "time zone name", "iana time zone", "tz database name"}},
      {Field::kSeniority,
       "seniority",
       false,
       {"level", "grade", "job level", "career level", "job grade", "seniority level", "band"}},
      {Field::kManagerId,
       "manager_id",
       false,
       {"manager employee id", "supervisor id", "reports to", "reports to id", "line manager id",
        "manager emp id", "manager worker id"}},
      {Field::kLanguages, "languages", true, {"language", "spoken languages", "languages spoken"}},
      {Field::kSkillsHeld,
       "skills_held",
       true,
       {"skills", "skills offered", "expertise", "can teach", "strengths"}},
      {Field::kSkillsWanted,
       "skills_wanted",
       true,
       {"wants to learn", "skills to learn", "learning goals", "development areas",
        "skills to develop", "growth areas"}},
      {Field::kCareerGoals,
       "career_goals",
       true,
       {"goals", "career aspirations", "aspirations", "career interests"}},
      {Field::kInterests, "interests", true, {"hobbies", "personal interests"}},
      {Field::kLearningPreferences,
       "learning_preferences",
       true,
       {"learning preference", "learning style", "learning styles"}},
      {Field::kOpenness, "openness", false, {"big five openness", "personality openness"}},
      {Field::kConscientiousness,
       "conscientiousness",
       false,
       {"big five conscientiousness", "personality conscientiousness"}},
      {Field::kExtraversion,
       "extraversion",
       false,
       {"extroversion", "big five extraversion", "personality extraversion"}},
      {Field::kAgreeableness,
       "agreeableness",
       false,
       {"big five agreeableness", "personality agreeableness"}},
      {Field::kNeuroticism,
       "neuroticism",
       false,
       {"big five neuroticism", "personality neuroticism"}},
      {Field::kCommunicationStyle,
       "communication_style",
       false,
       {"communication", "comm style", "communication preference"}},
      {Field::kMeetingPreference,
       "meeting_preference",
       false,
       {"meeting mode", "meeting format", "meeting type", "preferred meeting format"}},
      {Field::kAvailability,
       "availability",
       true,
       {"available hours", "hours available", "weekly availability", "availability local"}},
      {Field::kRole,
       "role",
       false,
       {"program role", "mentoring role", "participant role", "participation"}},
      {Field::kMentorCapacity,
       "mentor_capacity",
       false,
       {"capacity", "max mentees", "maximum mentees", "mentee capacity"}},
      {Field::kPreferredMentors,
       "preferred_mentors",
       true,
       {"preferred mentor", "preferred mentor ids", "mentor preferences"}},
      {Field::kGender, "gender", false, {"gender identity"}},
      {Field::kEthnicity, "ethnicity", false, {"race ethnicity", "race", "ethnic group"}},
      {Field::kEmployeeGroups,
       "employee_groups",
       true,
       {"employee resource groups", "ergs", "erg", "affinity groups", "employee networks"}},
      {Field::kPreferSharedBackground,
       "prefer_shared_background",
       false,
       {"prefers shared background", "shared background preference",
        "prefer shared background mentor"}},
  };
  return specs;
}

const FieldSpec& Spec(Field field) { return FieldSpecs()[static_cast<size_t>(field)]; }

// Header matching: parenthesised parts dropped ("Time zone (IANA)"), ASCII lower case, every run
// of other characters (space, '_', '-', '.', '/', ...) one space, trimmed.
std::string NormaliseHeader(std::string_view header) {
  std::string out;
  int paren_depth = 0;
  bool pending_space = false;
  for (char c : header) {
    if (c == '(') {
      ++paren_depth;
      pending_space = true;
      continue;
    }
    if (c == ')') {
      if (paren_depth > 0) --paren_depth;
      pending_space = true;
      continue;
    }
    if (paren_depth > 0) continue;
    c = AsciiLower(c);
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (static_cast<unsigned char>(c) >= 0x80);
    if (!keep) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

const std::unordered_map<std::string, Field>& HeaderIndex() {
  static const std::unordered_map<std::string, Field> index = [] {
    std::unordered_map<std::string, Field> map;
    for (const FieldSpec& spec : FieldSpecs()) {
      map.emplace(NormaliseHeader(spec.name), spec.field);
      for (std::string_view alias : spec.aliases) map.emplace(NormaliseHeader(alias), spec.field);
    }
    return map;
  }();
  return index;
}

constexpr std::string_view kSelfDescribedPrefix = "self described ";

// What a header (CSV) or key (JSON) means.
struct Column {
  enum class Kind { kIgnored, kField, kSelfDescribed };
  Kind kind = Kind::kIgnored;
  Field field = Field::kCount;
  std::string self_described_key;  // for kSelfDescribed, e.g. "age_band"
};

Column ResolveColumn(std::string_view header) {
  const std::string key = NormaliseHeader(header);
  Column column;
  if (const auto it = HeaderIndex().find(key); it != HeaderIndex().end()) {
    column.kind = Column::Kind::kField;
    column.field = it->second;
  } else if (key.size() > kSelfDescribedPrefix.size() && key.starts_with(kSelfDescribedPrefix)) {
    column.kind = Column::Kind::kSelfDescribed;
    column.self_described_key = key.substr(kSelfDescribedPrefix.size());
    std::replace(column.self_described_key.begin(), column.self_described_key.end(), ' ', '_');
  }
  return column;
}

// ---------------------------------------------------------------------------------------------
// Records as read, before validation (shared by CSV and JSON)

struct RawField {
  bool present = false;  // the column exists (CSV) or the key is given (JSON)
  std::string label;     // header or key as written, for messages
  std::string text;      // the cell
  bool has_items = false;
  std::vector<std::string> items;  // JSON arrays: the list, already split
};

struct SelfDescribedCell {
  std::string key;
  RawField value;
};

struct RawRecord {
  int line = 0;
  int element = -1;
  std::array<RawField, kFieldCount> fields;
  std::vector<SelfDescribedCell> self_described;
  std::vector<RowError> errors;
  // Fields whose value could not be read at all (already reported; not checked again).
  std::bitset<kFieldCount> unreadable;
  // The record is not a person at all (already reported; not validated).
  bool not_a_record = false;
};

// ---------------------------------------------------------------------------------------------
// Time zones

struct ResolvedZone {
  std::string name;  // as the time zone database spells it
  int utc_offset_minutes = 0;
};

class ZoneCache {
 public:
  // Returns the zone or sets `error` to a reason.
  std::optional<ResolvedZone> Find(const std::string& name, std::string* error) {
    if (const auto it = cache_.find(name); it != cache_.end()) {
      if (!it->second.has_value()) *error = errors_[name];
      return it->second;
    }
    std::optional<ResolvedZone> zone = Lookup(name, error);
    cache_[name] = zone;
    if (!zone.has_value()) errors_[name] = *error;
    return zone;
  }

 private:
  static std::optional<ResolvedZone> Lookup(const std::string& name, std::string* error) {
    // date/tz reports unknown zones and a missing database by throwing; keep that here.
    try {
      const date::time_zone* zone = nullptr;
      try {
        zone = date::locate_zone(name);
      } catch (const std::runtime_error&) {
        zone = nullptr;
      }
      if (zone == nullptr) {
        // Forgive case and spaces: "america/los angeles" -> "America/Los_Angeles".
        std::string wanted = AsciiLower(name);
        std::replace(wanted.begin(), wanted.end(), ' ', '_');
        for (const date::time_zone& candidate : date::get_tzdb().zones) {
          if (AsciiLower(candidate.name()) == wanted) {
            zone = &candidate;
            break;
          }
        }
      }
      if (zone == nullptr) {
        *error = "unknown time zone " + Quote(name) +
                 "; use an IANA name such as 'Europe/Berlin' or 'America/New_York'";
        return std::nullopt;
      }
      const date::sys_info info = zone->get_info(kOffsetReferenceInstant);
      return ResolvedZone{
          std::string(zone->name()),
          static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count())};
    } catch (const std::exception& e) {
      *error = "cannot resolve time zone " + Quote(name) + ": " + e.what();
      return std::nullopt;
    }
  }

  std::map<std::string, std::optional<ResolvedZone>> cache_;
  std::map<std::string, std::string> errors_;
};

// ---------------------------------------------------------------------------------------------
// Availability: "Mon 09-12; Wed 14-17; Mon-Fri 20-22; weekdays 08-09; Sat 22-02"

constexpr std::array<std::string_view, 7> kDayNames = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// "mon", "Tue.", "thurs", "Sunday:" -> 0..6.
std::optional<int> ParseDay(std::string_view token) {
  std::string t = AsciiLower(token);
  while (!t.empty() && (t.back() == '.' || t.back() == ':')) t.pop_back();
  if (t.size() < 2) return std::nullopt;
  for (size_t d = 0; d < kDayNames.size(); ++d) {
    if (kDayNames[d].starts_with(t)) return static_cast<int>(d);
  }
  return std::nullopt;
}

std::optional<std::vector<int>> ParseDays(std::string_view token) {
  std::string t = AsciiLower(token);
  while (!t.empty() && t.back() == ':') t.pop_back();
  if (t == "weekdays" || t == "weekday") return std::vector<int>{0, 1, 2, 3, 4};
  if (t == "weekends" || t == "weekend") return std::vector<int>{5, 6};
  if (t == "daily" || t == "everyday") return std::vector<int>{0, 1, 2, 3, 4, 5, 6};
  if (const size_t dash = t.find('-'); dash != std::string::npos) {
    const auto first = ParseDay(std::string_view(t).substr(0, dash));
    const auto last = ParseDay(std::string_view(t).substr(dash + 1));
    if (!first || !last) return std::nullopt;
    std::vector<int> days;
    for (int d = *first;; d = (d + 1) % 7) {  // wraps: "Fri-Mon"
      days.push_back(d);
      if (d == *last) break;
    }
    return days;
  }
  if (const auto day = ParseDay(t)) return std::vector<int>{*day};
  return std::nullopt;
}

// "9", "09", "09:00" -> 9. Minutes other than 00 are an error (whole hours only).
std::optional<int> ParseHour(std::string_view s, bool* has_minutes) {
  std::string_view hours = s;
  if (const size_t colon = s.find(':'); colon != std::string_view::npos) {
    const std::string_view minutes = s.substr(colon + 1);
    hours = s.substr(0, colon);
    if (minutes.size() != 2 ||
        !std::all_of(minutes.begin(), minutes.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    if (minutes != "00") *has_minutes = true;
  }
  if (hours.empty() || hours.size() > 2 ||
      !std::all_of(hours.begin(), hours.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(std::string(hours));
}

// Adds one item ("Mon-Fri 09-12 14-17") to `local` (hour of the week in local time). Returns an
// error reason, or nothing.
std::optional<std::string> ParseAvailabilityItem(std::string_view item,
                                                 std::bitset<kHoursPerWeek>* local) {
  // En and em dashes to '-', and no spaces around dashes: "Mon 09:00 – 12:00" -> "Mon 09:00-12:00".
  std::string text;
  for (size_t i = 0; i < item.size(); ++i) {
    if (item.substr(i, 3) == "\xE2\x80\x93" || item.substr(i, 3) == "\xE2\x80\x94") {
      text += '-';
      i += 2;
    } else {
      text += item[i];
    }
  }
  std::string compact;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsSpace(text[i])) {
      size_t j = i;
      while (j < text.size() && IsSpace(text[j])) ++j;
      const bool next_to_dash =
          (j < text.size() && text[j] == '-') || (!compact.empty() && compact.back() == '-');
      if (!next_to_dash && !compact.empty() && j < text.size()) compact += ' ';
      i = j - 1;
    } else {
      compact += text[i];
    }
  }
  const std::string example = "; write e.g. 'Mon 09-12; Wed 14-17' (local time, whole hours)";
  const std::vector<std::string> tokens = SplitWhitespace(compact);
  if (tokens.empty()) return std::nullopt;
  const auto days = ParseDays(tokens[0]);
  if (!days) return "cannot read the day in " + Quote(item) + example;
  if (tokens.size() < 2) return "no hours after the day in " + Quote(item) + example;
  for (size_t t = 1; t < tokens.size(); ++t) {
    const std::string& range = tokens[t];
    const size_t dash = range.find('-');
    bool has_minutes = false;
    std::optional<int> start;
    std::optional<int> end;
    if (dash != std::string::npos) {
      start = ParseHour(std::string_view(range).substr(0, dash), &has_minutes);
      end = ParseHour(std::string_view(range).substr(dash + 1), &has_minutes);
    }
    if (!start || !end)
      return "cannot read the hours " + Quote(range) + " in " + Quote(item) + example;
    if (has_minutes) return "hours must be whole hours in " + Quote(item) + example;
    if (*start > 23 || *end > 24) {
      return "hours run from 00 to 24 in " + Quote(item) + example;
    }
    if (*start == *end) return "empty hour range " + Quote(range) + " in " + Quote(item);
    // An end at or before the start runs past midnight into the next day: "22-02".
    const int length = *end > *start ? *end - *start : *end + 24 - *start;
    for (int day : *days) {
      for (int h = 0; h < length; ++h)
        local->set(static_cast<size_t>((day * 24 + *start + h) % kHoursPerWeek));
    }
  }
  return std::nullopt;
}

// Each local hour goes to the UTC hour in which it starts (so UTC+05:30 09:00 -> 03 UTC).
WeeklyAvailability LocalToUtc(const std::bitset<kHoursPerWeek>& local, int utc_offset_minutes) {
  WeeklyAvailability utc;
  constexpr int kMinutesPerWeek = kHoursPerWeek * 60;
  for (int h = 0; h < kHoursPerWeek; ++h) {
    if (!local.test(static_cast<size_t>(h))) continue;
    int minutes = (h * 60 - utc_offset_minutes) % kMinutesPerWeek;
    if (minutes < 0) minutes += kMinutesPerWeek;
    utc.set(static_cast<size_t>(minutes / 60));
  }
  return utc;
}

// ---------------------------------------------------------------------------------------------
// Validation: RawRecord -> Person

bool IsEmailShaped(std::string_view email) {
  if (email.size() > 254) return false;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (local.empty() || local.size() > 64 || domain.size() < 3) return false;
  for (char c : email) {
    if (IsSpace(c) || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' ||
        c == '"' || c == '[' || c == ']' || c == '\\') {
      return false;
    }
  }
  const size_t dot = domain.find('.');
  if (dot == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos || local.front() == '.' || local.back() == '.') {
    return false;
  }
  return true;
}

class Validator {
 public:
  Validator(std::string_view source, ZoneCache* zones) : source_(source), zones_(zones) {}

  Person Convert(RawRecord& record) {
    Person person;
    record_ = &record;

    person.id = std::string(Trim(Text(Field::kId)));
    if (person.id.empty()) Error(Field::kId, "the id is empty; every person needs one");

    person.name = CollapseSpaces(Text(Field::kName));
    if (person.name.empty()) {
      person.name =
          CollapseSpaces(Text(Field::kFirstName) + " " + std::string(Text(Field::kLastName)));
    }
    if (person.name.empty()) {
      const Field name_field =
          (!Has(Field::kName) && Has(Field::kFirstName)) ? Field::kFirstName : Field::kName;
      Error(name_field, "the name is empty; every person needs one");
    }

    person.email = std::string(Trim(Text(Field::kEmail)));
    if (!person.email.empty() && !IsEmailShaped(person.email)) {
      Error(Field::kEmail, "not an email address: " + Quote(person.email));
    }
    person.title = CollapseSpaces(Text(Field::kTitle));
    person.department = CollapseSpaces(Text(Field::kDepartment));
    person.site = CollapseSpaces(Text(Field::kSite));
    person.manager_id = std::string(Trim(Text(Field::kManagerId)));
    person.communication_style = NormaliseTag(Text(Field::kCommunicationStyle));

    ReadSeniority(person);
    person.languages = Tags(Field::kLanguages);
    person.career_goals = Tags(Field::kCareerGoals);
    person.interests = Tags(Field::kInterests);
    person.learning_preferences = Tags(Field::kLearningPreferences);
    ReadSkillsHeld(person);
    ReadSkillsWanted(person);
    ReadPersonality(person);
    ReadMeetingPreference(person);
    ReadTimeZoneAndAvailability(person);
    ReadRoleAndCapacity(person);
    ReadPreferredMentors(person);
    ReadSelfDescribed(person);

    record_ = nullptr;
    return person;
  }

 private:
  const RawField& F(Field field) const { return record_->fields[static_cast<size_t>(field)]; }
  bool Has(Field field) const { return F(field).present; }
  const std::string& Text(Field field) const { return F(field).text; }
  std::vector<std::string> Items(Field field) const {
    const RawField& f = F(field);
    return f.has_items ? f.items : SplitList(f.text);
  }

  std::string Label(Field field) const {
    const RawField& f = F(field);
    return f.label.empty() ? std::string(Spec(field).name) : f.label;
  }

  void Error(Field field, std::string reason) {
    if (record_->unreadable.test(static_cast<size_t>(field))) return;
    ErrorAt(Label(field), std::move(reason));
  }
  void ErrorAt(std::string column, std::string reason) {
    record_->errors.push_back(
        RowError{source_, record_->line, std::move(column), std::move(reason), record_->element});
  }

  std::vector<std::string> Tags(Field field) const {
    std::vector<std::string> tags;
    for (const std::string& item : Items(field)) {
      std::string tag = NormaliseTag(item);
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
    }
    return tags;
  }

  void ReadSeniority(Person& person) {
    std::string_view text = Trim(Text(Field::kSeniority));
    if (text.empty()) return;  // default 1
    // HR grades such as "L5" or "Level 5".
    std::string_view number = text;
    const std::string lower = AsciiLower(text);
    if (lower.starts_with("level")) {
      number = text.substr(5);
    } else if (lower.starts_with("l")) {
      number = text.substr(1);
    }
    const auto value = ParseInteger(number);
    if (!value || *value < kMinSeniority || *value > kMaxSeniority) {
      Error(Field::kSeniority, "seniority must be a whole number from 1 to 10, got " + Quote(text));
      return;
    }
    person.seniority = static_cast<int>(*value);
  }

  // "python:3" -> {"python", "3"}; "python" -> {"python", ""}.
  static std::pair<std::string, std::string> SplitLevel(std::string_view item) {
    const size_t colon = item.rfind(':');
    if (colon == std::string_view::npos) return {NormaliseTag(item), ""};
    return {NormaliseTag(item.substr(0, colon)), std::string(Trim(item.substr(colon + 1)))};
  }

  void ReadSkillsHeld(Person& person) {
    for (const std::string& item : Items(Field::kSkillsHeld)) {
      auto parts = SplitLevel(item);
      std::string skill = std::move(parts.first);
      const std::string level = std::move(parts.second);
      if (skill.empty()) {
        Error(Field::kSkillsHeld, "a skill has no name: " + Quote(item));
        continue;
      }
      int proficiency = kDefaultProficiency;
      if (!level.empty()) {
        const auto value = ParseInteger(level);
        if (!value || *value < kMinProficiency || *value > kMaxProficiency) {
          Error(Field::kSkillsHeld,
                "proficiency must be a whole number from 1 to 5, got " + Quote(item));
          continue;
        }
        proficiency = static_cast<int>(*value);
      }
      if (std::any_of(person.skills_held.begin(), person.skills_held.end(),
                      [&](const SkillHeld& s) { return s.skill == skill; })) {
        Error(Field::kSkillsHeld, "skill " + Quote(skill) + " is listed twice");
        continue;
      }
      person.skills_held.push_back(SkillHeld{std::move(skill), proficiency});
    }
  }

  void ReadSkillsWanted(Person& person) {
    const std::vector<std::string> items = Items(Field::kSkillsWanted);
    for (size_t i = 0; i < items.size(); ++i) {
      auto parts = SplitLevel(items[i]);
      std::string skill = std::move(parts.first);
      const std::string level = std::move(parts.second);
      if (skill.empty()) {
        Error(Field::kSkillsWanted, "a skill has no name: " + Quote(items[i]));
        continue;
      }
      int priority = static_cast<int>(i) + 1;  // without a number, the order gives priority
      if (!level.empty()) {
        const auto value = ParseInteger(level);
        if (!value || *value < 1 || *value > 100) {
          Error(Field::kSkillsWanted,
                "priority must be a whole number from 1 (most wanted) to 100, got " +
                    Quote(items[i]));
          continue;
        }
        priority = static_cast<int>(*value);
      }
      if (std::any_of(person.skills_wanted.begin(), person.skills_wanted.end(),
                      [&](const SkillWanted& s) { return s.skill == skill; })) {
        Error(Field::kSkillsWanted, "skill " + Quote(skill) + " is listed twice");
        continue;
      }
      person.skills_wanted.push_back(SkillWanted{std::move(skill), priority});
    }
    std::stable_sort(
        person.skills_wanted.begin(), person.skills_wanted.end(),
        [](const SkillWanted& a, const SkillWanted& b) { return a.priority < b.priority; });
  }

  void ReadPersonality(Person& person) {
    int filled = 0;
    for (Field f : kPersonalityFields) filled += Trim(Text(f)).empty() ? 0 : 1;
    if (filled == 0) return;
    if (filled < static_cast<int>(kPersonalityFields.size())) {
      for (Field f : kPersonalityFields) {
        if (Trim(Text(f)).empty()) {
          Error(f, "personality needs all five scores or none, and this one is empty");
        }
      }
      return;
    }
    std::array<double, 5> values{};
    bool percent = false;  // a row is on the 0-100 scale if any score is above 1 or has a '%'
    bool ok = true;
    for (size_t i = 0; i < kPersonalityFields.size(); ++i) {
      std::string_view text = Trim(Text(kPersonalityFields[i]));
      if (text.back() == '%') {
        percent = true;
        text.remove_suffix(1);
      }
      const auto value = ParseNumber(text);
      if (!value) {
        Error(kPersonalityFields[i], "not a number: " + Quote(Text(kPersonalityFields[i])));
        ok = false;
        continue;
      }
      values[i] = *value;
      if (*value > 1) percent = true;
    }
    if (!ok) return;
    const double max = percent ? 100.0 : 1.0;
    for (size_t i = 0; i < kPersonalityFields.size(); ++i) {
      if (!(values[i] >= 0 && values[i] <= max)) {  // also rejects NaN
        Error(kPersonalityFields[i],
              "personality scores are from 0 to 1 (or 0 to 100 for the whole row), got " +
                  Quote(Trim(Text(kPersonalityFields[i]))));
        ok = false;
      }
      values[i] /= max;
    }
    if (!ok) return;
    person.personality = BigFive{values[0], values[1], values[2], values[3], values[4]};
  }

  void ReadMeetingPreference(Person& person) {
    const std::string value = Squash(Text(Field::kMeetingPreference));
    static const std::map<std::string, MeetingPreference> kValues = {
        {"", MeetingPreference::kEither},         {"either", MeetingPreference::kEither},
        {"hybrid", MeetingPreference::kEither},   {"any", MeetingPreference::kEither},
        {"both", MeetingPreference::kEither},     {"nopreference", MeetingPreference::kEither},
        {"flexible", MeetingPreference::kEither}, {"inperson", MeetingPreference::kInPerson},
        {"onsite", MeetingPreference::kInPerson}, {"facetoface", MeetingPreference::kInPerson},
        {"f2f", MeetingPreference::kInPerson},    {"virtual", MeetingPreference::kVirtual},
        {"remote", MeetingPreference::kVirtual},  {"online", MeetingPreference::kVirtual},
        {"video", MeetingPreference::kVirtual},
    };
    const auto it = kValues.find(value);
    if (it == kValues.end()) {
      Error(Field::kMeetingPreference,
            "meeting preference must be 'in person', 'virtual' or 'either', got " +
                Quote(Trim(Text(Field::kMeetingPreference))));
      return;
    }
    person.meeting_preference = it->second;
  }

  void ReadTimeZoneAndAvailability(Person& person) {
    const std::string zone_name(Trim(Text(Field::kTimeZone)));
    bool zone_ok = false;
    if (!zone_name.empty()) {
      std::string error;
      if (const auto zone = zones_->Find(zone_name, &error)) {
        person.time_zone = zone->name;
        person.utc_offset_minutes = zone->utc_offset_minutes;
        zone_ok = true;
      } else {
        Error(Field::kTimeZone, error);
      }
    }
    std::bitset<kHoursPerWeek> local;
    bool any_error = false;
    for (const std::string& item : Items(Field::kAvailability)) {
      const std::string lower = AsciiLower(Trim(item));
      if (lower == "none" || lower == "-") continue;
      if (auto error = ParseAvailabilityItem(item, &local)) {
        Error(Field::kAvailability, *error);
        any_error = true;
      }
    }
    if (any_error || local.none()) return;
    if (zone_name.empty()) {
      Error(Field::kAvailability,
            Has(Field::kTimeZone)
                ? "availability is in local time but the time zone (column " +
                      Quote(Label(Field::kTimeZone)) + ") is empty"
                : std::string("availability is in local time but there is no time zone column"));
      return;
    }
    if (zone_ok) person.availability = LocalToUtc(local, person.utc_offset_minutes);
  }

  void ReadRoleAndCapacity(Person& person) {
    const std::string role = Squash(Text(Field::kRole));
    if (role.empty() || role == "mentee") {
      person.role = ProgramRole::kMentee;
    } else if (role == "mentor") {
      person.role = ProgramRole::kMentor;
    } else if (role == "either" || role == "both" || role == "mentorandmentee" ||
               role == "mentormentee" || role == "any") {
      person.role = ProgramRole::kEither;
    } else {
      Error(Field::kRole, "role must be 'mentor', 'mentee' or 'either' (or 'both'), got " +
                              Quote(Trim(Text(Field::kRole))));
    }
    std::string_view capacity = Trim(Text(Field::kMentorCapacity));
    if (capacity.empty()) {
      person.mentor_capacity = person.role == ProgramRole::kMentee ? 0 : 1;
      return;
    }
    const auto value = ParseInteger(capacity);
    if (!value || *value < 0 || *value > 1000) {
      Error(Field::kMentorCapacity,
            "mentor capacity must be a whole number 0 or more, got " + Quote(capacity));
      return;
    }
    person.mentor_capacity = static_cast<int>(*value);
  }

  void ReadPreferredMentors(Person& person) {
    for (const std::string& item : Items(Field::kPreferredMentors)) {
      std::string id(Trim(item));
      if (std::find(person.preferred_mentors.begin(), person.preferred_mentors.end(), id) ==
          person.preferred_mentors.end()) {
        person.preferred_mentors.push_back(std::move(id));
      }
    }
  }

  void ReadSelfDescribed(Person& person) {
    auto add = [&](std::string key, std::string value) {
      if (!value.empty()) person.self_described.emplace_back(std::move(key), std::move(value));
    };
    add("gender", NormaliseTag(Text(Field::kGender)));
    add("ethnicity", NormaliseTag(Text(Field::kEthnicity)));
    std::string groups;
    for (const std::string& group : Tags(Field::kEmployeeGroups)) {
      if (!groups.empty()) groups += "; ";
      groups += group;
    }
    add("employee_groups", std::move(groups));
    for (const SelfDescribedCell& cell : record_->self_described) {
      std::string value;
      if (cell.value.has_items) {
        for (const std::string& item : cell.value.items) {
          if (!value.empty()) value += "; ";
          value += NormaliseTag(item);
        }
      } else {
        value = NormaliseTag(cell.value.text);
      }
      add(cell.key, std::move(value));
    }

    const std::string prefer = Squash(Text(Field::kPreferSharedBackground));
    if (prefer.empty() || prefer == "no" || prefer == "n" || prefer == "false" || prefer == "0") {
      person.prefer_shared_background = false;
    } else if (prefer == "yes" || prefer == "y" || prefer == "true" || prefer == "1" ||
               prefer == "x") {
      person.prefer_shared_background = true;
    } else {
      Error(Field::kPreferSharedBackground,
            "expected yes or no, got " + Quote(Trim(Text(Field::kPreferSharedBackground))));
    }
  }

  std::string source_;
  ZoneCache* zones_;
  RawRecord* record_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Checks across rows, then the all-or-nothing rule

std::string Where(const RawRecord& record) {
  if (record.element < 0) return "line " + std::to_string(record.line);
  std::string where = "element [" + std::to_string(record.element) + "]";
  if (record.line > 0) where += " (line " + std::to_string(record.line) + ")";
  return where;
}

std::string LabelOf(const RawRecord& record, Field field) {
  const RawField& f = record.fields[static_cast<size_t>(field)];
  return f.label.empty() ? std::string(Spec(field).name) : f.label;
}

void AddError(RawRecord& record, std::string_view source, Field field, std::string reason) {
  record.errors.push_back(RowError{std::string(source), record.line, LabelOf(record, field),
                                   std::move(reason), record.element});
}

void CheckAcrossRows(std::vector<RawRecord>& records, const std::vector<Person>& people,
                     std::string_view source) {
  // First record of each id.
  std::unordered_map<std::string, size_t> first;
  for (size_t i = 0; i < people.size(); ++i) {
    if (people[i].id.empty()) continue;
    const auto [it, inserted] = first.emplace(people[i].id, i);
    if (!inserted) {
      AddError(records[i], source, Field::kId,
               "duplicate id " + Quote(people[i].id) + " (first used on " +
                   Where(records[it->second]) + ")");
    }
  }

  // Managers and preferred mentors must name someone in the file.
  std::vector<int> manager(people.size(), -1);
  for (size_t i = 0; i < people.size(); ++i) {
    const Person& p = people[i];
    if (!p.manager_id.empty()) {
      const auto it = first.find(p.manager_id);
      if (p.manager_id == p.id) {
        AddError(records[i], source, Field::kManagerId, "the person is their own manager");
      } else if (it == first.end()) {
        AddError(records[i], source, Field::kManagerId,
                 "manager " + Quote(p.manager_id) + " names nobody in the file");
      } else if (!p.id.empty() && first.at(p.id) == i) {
        manager[i] = static_cast<int>(it->second);
      }
    }
    for (const std::string& mentor : p.preferred_mentors) {
      if (mentor == p.id) {
        AddError(records[i], source, Field::kPreferredMentors,
                 "the person lists themselves as a preferred mentor");
      } else if (first.find(mentor) == first.end()) {
        AddError(records[i], source, Field::kPreferredMentors,
                 "preferred mentor " + Quote(mentor) + " names nobody in the file");
      }
    }
  }

  // Reporting-line cycles: follow manager links; a walk that meets itself is a cycle.
  enum class Mark { kNew, kOnPath, kDone };
  std::vector<Mark> mark(people.size(), Mark::kNew);
  for (size_t start = 0; start < people.size(); ++start) {
    std::vector<size_t> path;
    int node = static_cast<int>(start);
    while (node >= 0 && mark[static_cast<size_t>(node)] == Mark::kNew) {
      mark[static_cast<size_t>(node)] = Mark::kOnPath;
      path.push_back(static_cast<size_t>(node));
      node = manager[static_cast<size_t>(node)];
    }
    if (node >= 0 && mark[static_cast<size_t>(node)] == Mark::kOnPath) {
      const auto cycle_begin = std::find(path.begin(), path.end(), static_cast<size_t>(node));
      const std::vector<size_t> cycle(cycle_begin, path.end());
      for (size_t k = 0; k < cycle.size(); ++k) {
        std::string chain;
        for (size_t j = 0; j <= cycle.size(); ++j) {
          chain += (j == 0 ? "" : " -> ") + people[cycle[(k + j) % cycle.size()]].id;
        }
        AddError(records[cycle[k]], source, Field::kManagerId, "reporting-line cycle: " + chain);
      }
    }
    for (size_t n : path) mark[n] = Mark::kDone;
  }
}

Result<PeopleImport> Finish(std::vector<RawRecord> records, std::string_view source,
                            const ImportOptions& options, bool is_json) {
  ZoneCache zones;
  Validator validator(source, &zones);
  std::vector<Person> people;
  people.reserve(records.size());
  for (RawRecord& record : records) {
    people.push_back(record.not_a_record ? Person{} : validator.Convert(record));
  }
  CheckAcrossRows(records, people, source);

  PeopleImport result;
  result.rows_read = static_cast<int>(records.size());
  std::vector<RowError> errors;
  int bad_rows = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].errors.empty()) {
      result.people.push_back(std::move(people[i]));
      continue;
    }
    ++bad_rows;
    for (RowError& e : records[i].errors) errors.push_back(std::move(e));
  }
  if (bad_rows > 0 && !options.skip_bad_rows) {
    const std::string unit = is_json ? (records.size() == 1 ? "element" : "elements")
                                     : (records.size() == 1 ? "row" : "rows");
    std::string message = std::string(source) + ": " + std::to_string(bad_rows) + " of " +
                          std::to_string(records.size()) + " " + unit +
                          (bad_rows == 1 ? " has" : " have") + " errors; nothing was imported:";
    const int listed = std::min(static_cast<int>(errors.size()), kMaxListedErrors);
    for (int i = 0; i < listed; ++i) message += "\n" + errors[static_cast<size_t>(i)].ToString();
    if (static_cast<int>(errors.size()) > listed) {
      message += "\n... and " + std::to_string(errors.size() - static_cast<size_t>(listed)) +
                 " more errors";
    }
    return Status::Invalid(std::move(message));
  }
  result.errors = std::move(errors);
  result.rows_skipped = bad_rows;
  return result;
}

// ---------------------------------------------------------------------------------------------
// CSV

struct CsvRecord {
  int line = 0;
  std::vector<std::string> cells;
  int bad_quote_cell = -1;  // a cell with text after its closing quote
};

// The delimiter is ',' unless the first non-blank line has none outside quotes; then a tab or
// a ';' if it has those.
char SniffDelimiter(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  int commas = 0;
  int tabs = 0;
  int semicolons = 0;
  bool quoted = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    commas += c == ',';
    tabs += c == '\t';
    semicolons += c == ';';
  }
  if (commas > 0) return ',';
  if (tabs > 0) return '\t';
  if (semicolons > 0) return ';';
  return ',';
}

// RFC 4180 with leniency: CRLF, LF or CR line ends; white space around a quoted cell is
// ignored; a quote inside an unquoted cell is kept as text.
Result<std::vector<CsvRecord>> ParseCsvRecords(std::string_view text, std::string_view source,
                                               char delimiter) {
  std::vector<CsvRecord> records;
  size_t pos = 0;
  int line = 1;
  const size_t n = text.size();
  auto at_line_end = [&](size_t p) { return p < n && (text[p] == '\n' || text[p] == '\r'); };
  auto is_blank = [&](char c) { return (c == ' ' || c == '\t') && c != delimiter; };
  while (pos < n) {
    CsvRecord record;
    record.line = line;
    while (true) {  // one cell per iteration
      size_t p = pos;
      while (p < n && is_blank(text[p])) ++p;
      std::string cell;
      if (p < n && text[p] == '"') {
        const int quote_line = line;
        ++p;
        while (true) {
          if (p >= n) {
            return Status::Invalid(std::string(source) + ":" + std::to_string(quote_line) +
                                   ": a quoted field opened on this line is never closed");
          }
          const char c = text[p];
          if (c == '"') {
            if (p + 1 < n && text[p + 1] == '"') {
              cell += '"';
              p += 2;
              continue;
            }
            ++p;
            break;
          }
          if (c == '\r' || c == '\n') {
            if (c == '\r' && p + 1 < n && text[p + 1] == '\n') ++p;
            cell += '\n';
            ++line;
            ++p;
            continue;
          }
          cell += c;
          ++p;
        }
        while (p < n && is_blank(text[p])) ++p;
        if (p < n && text[p] != delimiter && !at_line_end(p)) {
          if (record.bad_quote_cell < 0) {
            record.bad_quote_cell = static_cast<int>(record.cells.size());
          }
          while (p < n && text[p] != delimiter && !at_line_end(p)) cell += text[p++];
        }
      } else {
        while (p < n && text[p] != delimiter && !at_line_end(p)) cell += text[p++];
      }
      record.cells.push_back(std::move(cell));
      pos = p;
      if (pos < n && text[pos] == delimiter) {
        ++pos;
        continue;
      }
      if (pos < n) {  // line end
        if (text[pos] == '\r' && pos + 1 < n && text[pos + 1] == '\n') ++pos;
        ++pos;
        ++line;
      }
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

bool IsBlankRecord(const CsvRecord& record) {
  return std::all_of(record.cells.begin(), record.cells.end(),
                     [](const std::string& cell) { return Trim(cell).empty(); });
}

std::string AcceptedNames(Field field) {
  std::string names = "'" + std::string(Spec(field).name) + "'";
  for (std::string_view alias : Spec(field).aliases) names += ", '" + std::string(alias) + "'";
  return names;
}

}  // namespace

std::string RowError::ToString() const {
  std::string out = source;
  if (line > 0) out += ":" + std::to_string(line);
  if (element >= 0) out += ": element [" + std::to_string(element) + "]";
  if (!column.empty()) out += (element >= 0 ? ": field '" : ": column '") + column + "'";
  out += ": " + reason;
  return out;
}

Result<PeopleImport> ImportPeopleCsv(std::string_view text, std::string_view source_name,
                                     const ImportOptions& options) {
  const std::string source(source_name);
  if (Status status = CheckEncoding(text, source); !status.ok()) return status;
  auto parsed = ParseCsvRecords(text, source, SniffDelimiter(text));
  if (!parsed.ok()) return parsed.status();
  std::vector<CsvRecord>& csv = parsed.value();

  auto header_it =
      std::find_if(csv.begin(), csv.end(), [](const CsvRecord& r) { return !IsBlankRecord(r); });
  if (header_it == csv.end()) {
    return Status::Invalid(source + ": no header row (the file is empty)");
  }
  const CsvRecord& header = *header_it;

  // Map header cells to fields.
  std::vector<Column> columns;
  std::vector<std::string> labels;
  std::array<int, kFieldCount> column_of;
  column_of.fill(-1);
  for (size_t c = 0; c < header.cells.size(); ++c) {
    labels.push_back(CollapseSpaces(header.cells[c]));
    columns.push_back(ResolveColumn(labels.back()));
    if (columns.back().kind != Column::Kind::kField) continue;
    const auto f = static_cast<size_t>(columns.back().field);
    if (column_of[f] >= 0) {
      return Status::Invalid(source + ":" + std::to_string(header.line) + ": columns " +
                             Quote(labels[static_cast<size_t>(column_of[f])]) + " and " +
                             Quote(labels.back()) + " both mean '" +
                             std::string(Spec(columns.back().field).name) +
                             "'; remove or rename one");
    }
    column_of[f] = static_cast<int>(c);
  }
  auto has = [&](Field f) { return column_of[static_cast<size_t>(f)] >= 0; };
  std::string found;
  for (const std::string& label : labels) found += (found.empty() ? "" : ", ") + Quote(label);
  if (!has(Field::kId)) {
    return Status::Invalid(source + ":" + std::to_string(header.line) +
                           ": missing required column 'id' (accepted names: " +
                           AcceptedNames(Field::kId) + "); the header has " + found);
  }
  if (!has(Field::kName) && !has(Field::kFirstName)) {
    return Status::Invalid(
        source + ":" + std::to_string(header.line) +
        ": missing required column 'name' (accepted names: " + AcceptedNames(Field::kName) +
        ", or 'first name' with 'last name')" + "; the header has " + found);
  }
  std::string missing_personality;
  int personality_columns = 0;
  for (Field f : kPersonalityFields) {
    if (has(f)) {
      ++personality_columns;
    } else {
      missing_personality +=
          (missing_personality.empty() ? "'" : ", '") + std::string(Spec(f).name) + "'";
    }
  }
  if (personality_columns > 0 && personality_columns < 5) {
    return Status::Invalid(source + ":" + std::to_string(header.line) +
                           ": personality needs all five columns or none; missing " +
                           missing_personality);
  }

  std::vector<RawRecord> records;
  for (auto it = header_it + 1; it != csv.end(); ++it) {
    const CsvRecord& row = *it;
    if (IsBlankRecord(row)) continue;
    RawRecord record;
    record.line = row.line;
    for (size_t c = 0; c < columns.size(); ++c) {
      RawField field;
      field.present = true;
      field.label = labels[c];
      if (c < row.cells.size()) field.text = row.cells[c];
      if (columns[c].kind == Column::Kind::kField) {
        record.fields[static_cast<size_t>(columns[c].field)] = std::move(field);
      } else if (columns[c].kind == Column::Kind::kSelfDescribed) {
        record.self_described.push_back({columns[c].self_described_key, std::move(field)});
      }
    }
    const bool extra_cells_empty = std::all_of(
        row.cells.begin() + static_cast<long>(std::min(row.cells.size(), columns.size())),
        row.cells.end(), [](const std::string& cell) { return Trim(cell).empty(); });
    if (row.cells.size() < columns.size() || !extra_cells_empty) {
      record.errors.push_back(
          RowError{source, row.line, "",
                   "the row has " + std::to_string(row.cells.size()) +
                       " fields but the header has " + std::to_string(columns.size()) +
                       " (is a value with a comma or line break missing its quotes?)",
                   -1});
    }
    if (row.bad_quote_cell >= 0) {
      const auto c = static_cast<size_t>(row.bad_quote_cell);
      record.errors.push_back(RowError{
          source, row.line, c < labels.size() ? labels[c] : "field " + std::to_string(c + 1),
          "text after the closing quote (write a quote inside a quoted field as \"\")", -1});
    }
    records.push_back(std::move(record));
  }
  return Finish(std::move(records), source, options, /*json=*/false);
}

namespace {

// Lines on which the elements of the people array start ({"people": [...]} when `wrapped`).
// REQUIRES: `text` is valid JSON.
std::vector<int> ElementLines(std::string_view text, bool wrapped) {
  std::vector<int> lines;
  int line = 1;
  int depth = 0;
  int target_depth = -1;
  bool in_string = false;
  bool escaped = false;
  bool expect_element = false;
  std::string current_string;
  std::string last_key_string;  // the last string that ended at depth 1
  for (char c : text) {
    if (c == '\n') ++line;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        if (depth == 1) last_key_string = current_string;
      } else {
        current_string += c;
      }
      continue;
    }
    if (IsSpace(c)) continue;
    if (expect_element && c != ']') {
      lines.push_back(line);
      expect_element = false;
    }
    switch (c) {
      case '"':
        in_string = true;
        current_string.clear();
        break;
      case '[':
      case '{':
        ++depth;
        if (c == '[' && target_depth < 0 &&
            ((!wrapped && depth == 1) || (wrapped && depth == 2 && last_key_string == "people"))) {
          target_depth = depth;
          expect_element = true;
        }
        break;
      case ']':
      case '}':
        if (depth == target_depth) return lines;
        --depth;
        break;
      case ',':
        if (depth == target_depth) expect_element = true;
        break;
      default:
        break;
    }
  }
  return lines;
}

std::string JsonTypeName(const json& value) { return value.type_name(); }

// A JSON scalar as cell text; false for arrays and objects.
bool ScalarText(const json& value, std::string* text) {
  switch (value.type()) {
    case json::value_t::null:
      text->clear();
      return true;
    case json::value_t::string:
      *text = value.get<std::string>();
      return true;
    case json::value_t::boolean:
      *text = value.get<bool>() ? "true" : "false";
      return true;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      *text = value.dump();
      return true;
    default:
      return false;
  }
}

// A skill given as {"skill": "python", "proficiency": 3} (or "name", "level", "priority").
bool SkillObjectText(const json& value, std::string* text) {
  std::string name;
  std::string level;
  bool has_name = false;
  for (const auto& [key, item] : value.items()) {
    const std::string k = NormaliseHeader(key);
    if (k == "skill" || k == "name") {
      if (!ScalarText(item, &name)) return false;
      has_name = true;
    } else if (k == "proficiency" || k == "level" || k == "priority") {
      if (!ScalarText(item, &level)) return false;
    } else {
      return false;
    }
  }
  if (!has_name) return false;
  *text = level.empty() ? name : name + ":" + level;
  return true;
}

class JsonRecordReader {
 public:
  JsonRecordReader(std::string source, RawRecord* record)
      : source_(std::move(source)), record_(record) {}

  void Read(const json& object) {
    for (const auto& [key, value] : object.items()) {
      const std::string normalised = NormaliseHeader(key);
      if (normalised == "personality" && value.is_object()) {
        for (const auto& [sub_key, sub_value] : value.items()) {
          const Column column = ResolveColumn(sub_key);
          const bool is_trait = column.kind == Column::Kind::kField &&
                                std::find(kPersonalityFields.begin(), kPersonalityFields.end(),
                                          column.field) != kPersonalityFields.end();
          if (is_trait) SetField(column.field, key + "." + sub_key, sub_value);
        }
        continue;
      }
      if (normalised == "self described" && value.is_object()) {
        for (const auto& [sub_key, sub_value] : value.items()) {
          std::string k = NormaliseHeader(sub_key);
          std::replace(k.begin(), k.end(), ' ', '_');
          RawField field;
          if (ReadValue(key + "." + sub_key, sub_value, /*is_list=*/true, &field)) {
            record_->self_described.push_back({k, std::move(field)});
          }
        }
        continue;
      }
      const Column column = ResolveColumn(key);
      if (column.kind == Column::Kind::kField) {
        SetField(column.field, key, value);
      } else if (column.kind == Column::Kind::kSelfDescribed) {
        RawField field;
        if (ReadValue(key, value, /*is_list=*/true, &field)) {
          record_->self_described.push_back({column.self_described_key, std::move(field)});
        }
      }
    }
  }

 private:
  void Error(const std::string& key, std::string reason) {
    record_->errors.push_back(
        RowError{source_, record_->line, key, std::move(reason), record_->element});
  }

  void SetField(Field f, const std::string& key, const json& value) {
    RawField& field = record_->fields[static_cast<size_t>(f)];
    if (field.present) {
      Error(key, "fields " + Quote(field.label) + " and " + Quote(key) + " both mean '" +
                     std::string(Spec(f).name) + "'");
      return;
    }
    RawField read;
    if (!ReadValue(key, value, Spec(f).is_list, &read)) {
      field.present = true;
      field.label = key;
      record_->unreadable.set(static_cast<size_t>(f));
      return;
    }
    field = std::move(read);
  }

  bool ReadValue(const std::string& key, const json& value, bool is_list, RawField* field) {
    field->present = true;
    field->label = key;
    if (ScalarText(value, &field->text)) return true;
    if (is_list && value.is_array()) {
      field->has_items = true;
      for (const json& item : value) {
        std::string text;
        if (ScalarText(item, &text) || (item.is_object() && SkillObjectText(item, &text))) {
          text = std::string(Trim(text));
          if (!text.empty()) field->items.push_back(std::move(text));
          continue;
        }
        Error(key,
              "list items must be strings (or skill objects such as {\"skill\": "
              "\"python\", \"proficiency\": 3}), got " +
                  JsonTypeName(item) + " " + Quote(item.dump()));
        return false;
      }
      return true;
    }
    if (is_list && value.is_object()) {  // {"python": 3, "sql": 2}
      field->has_items = true;
      for (const auto& [skill, level] : value.items()) {
        std::string level_text;
        if (!ScalarText(level, &level_text)) {
          Error(key,
                "expected " + Quote(skill) + " to map to a number, got " + JsonTypeName(level));
          return false;
        }
        field->items.push_back(level_text.empty() ? skill : skill + ":" + level_text);
      }
      return true;
    }
    Error(key, std::string("expected ") + (is_list ? "a list or a string" : "a string or number") +
                   ", got " + JsonTypeName(value));
    return false;
  }

  std::string source_;
  RawRecord* record_;
};

}  // namespace

Result<PeopleImport> ImportPeopleJson(std::string_view text, std::string_view source_name,
                                      const ImportOptions& options) {
  const std::string source(source_name);
  if (Status status = CheckEncoding(text, source); !status.ok()) return status;
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    // The library's message already says "parse error at line L, column C: ...".
    std::string what = e.what();
    if (const size_t bracket = what.find("] "); bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    return Status::Invalid(source + ":" +
                           std::to_string(LineOfOffset(text, e.byte > 0 ? e.byte - 1 : 0)) +
                           ": malformed JSON: " + what);
  } catch (const std::exception& e) {
    return Status::Invalid(source + ": malformed JSON: " + e.what());
  }
  const json* people = nullptr;
  bool wrapped = false;
  if (document.is_array()) {
    people = &document;
  } else if (document.is_object() && document.contains("people") && document["people"].is_array()) {
    people = &document["people"];
    wrapped = true;
  }
  if (people == nullptr) {
    return Status::Invalid(source +
                           ": expected a JSON array of people or an object with a \"people\" "
                           "array, got " +
                           JsonTypeName(document));
  }
  std::vector<int> lines = ElementLines(text, wrapped);
  if (lines.size() != people->size()) lines.assign(people->size(), 0);

  std::vector<RawRecord> records;
  records.reserve(people->size());
  for (size_t i = 0; i < people->size(); ++i) {
    RawRecord record;
    record.line = lines[i];
    record.element = static_cast<int>(i);
    const json& element = (*people)[i];
    if (!element.is_object()) {
      record.errors.push_back(RowError{source, record.line, "",
                                       "expected a person object, got " + JsonTypeName(element),
                                       record.element});
      record.not_a_record = true;
    } else {
      JsonRecordReader(source, &record).Read(element);
    }
    records.push_back(std::move(record));
  }
  return Finish(std::move(records), source, options, /*json=*/true);
}

Result<PeopleImport> LoadPeople(const std::string& path, const ImportOptions& options) {
  std::error_code ec;
  const std::filesystem::path file(path);
  if (!std::filesystem::exists(file, ec)) {
    return Status::NotFound("cannot read " + Quote(path) + ": no such file");
  }
  if (std::filesystem::is_directory(file, ec)) {
    return Status::Io("cannot read " + Quote(path) + ": it is a directory");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::Io("cannot open " + Quote(path) + " for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::Io("error while reading " + Quote(path));
  const std::string text = buffer.str();

  const std::string extension = AsciiLower(file.extension().string());
  bool is_json = false;
  if (extension == ".json") {
    is_json = true;
  } else if (extension == ".csv" || extension == ".tsv") {
    is_json = false;
  } else {
    std::string_view rest = text;
    if (rest.substr(0, 3) == kUtf8Bom) rest.remove_prefix(3);
    rest = Trim(rest);
    is_json = !rest.empty() && (rest.front() == '[' || rest.front() == '{');
  }
  return is_json ? ImportPeopleJson(text, path, options) : ImportPeopleCsv(text, path, options);
}

}  // namespace tandem::io
