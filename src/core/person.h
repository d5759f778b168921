#pragma once
// A person's profile as Tandem matches on it. Plain data: no I/O, no validation here
// (importers validate and report bad rows; the engine assumes a validated profile).

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

enum class MeetingPreference { kEither, kInPerson, kVirtual };
enum class ProgramRole { kMentee, kMentor, kEither };

inline constexpr int kMinProficiency = 1;  // skills held: 1 = aware ... 5 = expert
inline constexpr int kMaxProficiency = 5;
inline constexpr int kHoursPerWeek = 7 * 24;

struct SkillHeld {
  std::string skill;  // normalised: lower case, trimmed
  int proficiency = kMinProficiency;
};

struct SkillWanted {
  std::string skill;  // normalised: lower case, trimmed
  int priority = 1;   // 1 = most wanted
};

// Big Five personality scores, each in [0, 1].
struct BigFive {
  double openness = 0.5;
  double conscientiousness = 0.5;
  double extraversion = 0.5;
  double agreeableness = 0.5;
  double neuroticism = 0.5;
};

// Hours of the week the person can meet. Bit h is hour h of the week in UTC, Monday 00:00 = 0.
// Importers convert the person's local availability to UTC with their time zone.
using WeeklyAvailability = std::bitset<kHoursPerWeek>;

struct Person {
  std::string id;  // employee id, unique within an organization
  std::string name;
  std::string email;
  std::string title;
  std::string department;
  std::string site;
  std::string time_zone;        // IANA name, e.g. "Europe/Berlin"
  int utc_offset_minutes = 0;   // resolved from time_zone by the importer
  int seniority = 1;            // career level, 1 = entry ... 10 = executive
  std::string manager_id;       // empty for the top of the organization
  std::vector<std::string> languages;          // normalised lower case, e.g. "english"
  std::vector<SkillHeld> skills_held;
  std::vector<SkillWanted> skills_wanted;
  std::vector<std::string> career_goals;       // normalised tags, e.g. "people management"
  std::vector<std::string> interests;
  std::vector<std::string> learning_preferences;  // e.g. "hands-on", "discussion", "reading"
  std::optional<BigFive> personality;
  std::string communication_style;  // e.g. "direct", "reflective", "expressive", "analytical"
  MeetingPreference meeting_preference = MeetingPreference::kEither;
  WeeklyAvailability availability;
  ProgramRole role = ProgramRole::kMentee;
  int mentor_capacity = 0;  // mentees this person can take as a mentor
  std::vector<std::string> preferred_mentors;  // a mentee's own ranked choices (person ids)

  // Self-described attributes (e.g. {"gender", "woman"}, {"employee_groups", "pride; veterans"}).
  // Kept for the fairness audit; never scored unless prefer_shared_background is set.
  std::vector<std::pair<std::string, std::string>> self_described;
  bool prefer_shared_background = false;
};

}  // namespace tandem
