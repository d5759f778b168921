#include "store/person_columns.h"

namespace tandem::store {

const char* MeetingPreferenceName(MeetingPreference preference) {
  switch (preference) {
    case MeetingPreference::kEither:
      return "either";
    case MeetingPreference::kInPerson:
      return "in_person";
    case MeetingPreference::kVirtual:
      return "virtual";
  }
  return "either";
}

std::optional<MeetingPreference> ParseMeetingPreference(const std::string& name) {
  if (name == "either") return MeetingPreference::kEither;
  if (name == "in_person") return MeetingPreference::kInPerson;
  if (name == "virtual") return MeetingPreference::kVirtual;
  return std::nullopt;
}

const char* PersonRoleName(ProgramRole role) {
  switch (role) {
    case ProgramRole::kMentee:
      return "mentee";
    case ProgramRole::kMentor:
      return "mentor";
    case ProgramRole::kEither:
      return "either";
  }
  return "mentee";
}

std::optional<ProgramRole> ParsePersonRole(const std::string& name) {
  if (name == "mentee") return ProgramRole::kMentee;
  if (name == "mentor") return ProgramRole::kMentor;
  if (name == "either") return ProgramRole::kEither;
  return std::nullopt;
}

std::string EncodeAvailability(const WeeklyAvailability& availability) {
  std::string s(kHoursPerWeek, '0');
  for (int h = 0; h < kHoursPerWeek; ++h) {
    if (availability.test(static_cast<size_t>(h))) s[static_cast<size_t>(h)] = '1';
  }
  return s;
}

WeeklyAvailability DecodeAvailability(const std::string& text) {
  WeeklyAvailability a;
  for (size_t h = 0; h < text.size() && h < a.size(); ++h) a.set(h, text[h] == '1');
  return a;
}

}  // namespace tandem::store
