#pragma once
// How a Person's fields are written in the store's columns, shared by every backend (and by the
// API's JSON): the names of the enums, the 168-character availability text, and the list fields
// kept in person_values. One definition, so the backends cannot drift apart.

#include <optional>
#include <string>
#include <vector>

#include "core/person.h"

namespace tandem::store {

const char* MeetingPreferenceName(MeetingPreference preference);  // "either", "in_person", ...
std::optional<MeetingPreference> ParseMeetingPreference(const std::string& name);
const char* PersonRoleName(ProgramRole role);  // "mentee", "mentor", "either"
std::optional<ProgramRole> ParsePersonRole(const std::string& name);

// Character h is '1' when hour h of the week (UTC, Monday 00:00 = 0) is available.
std::string EncodeAvailability(const WeeklyAvailability& availability);
WeeklyAvailability DecodeAvailability(const std::string& text);

// The five list fields stored in person_values, by their `field` name.
struct ValueList {
  const char* field;
  std::vector<std::string> Person::*member;
};
inline constexpr ValueList kValueLists[] = {
    {"languages", &Person::languages},
    {"career_goals", &Person::career_goals},
    {"interests", &Person::interests},
    {"learning_preferences", &Person::learning_preferences},
    {"preferred_mentors", &Person::preferred_mentors},
};

}  // namespace tandem::store
