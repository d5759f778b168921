#include "io/people_export.h"

#include <cstdio>
#include <set>

#include "io/match_output.h"

namespace tandem::io {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += "; ";
    out += s;
  }
  return out;
}

std::string Fixed(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// "Mon 09-12; Wed 14-17" in local time. The importer maps local hour L to UTC hour
// floor(L - offset/60); the smallest L giving UTC hour h is ceil(h + offset/60).
std::string LocalAvailability(const Person& p) {
  static const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::vector<bool> local(kHoursPerWeek, false);
  for (int h = 0; h < kHoursPerWeek; ++h) {
    if (!p.availability.test(static_cast<size_t>(h))) continue;
    const int minutes = h * 60 + p.utc_offset_minutes;
    int l = minutes >= 0 ? (minutes + 59) / 60 : -((-minutes) / 60);
    l = ((l % kHoursPerWeek) + kHoursPerWeek) % kHoursPerWeek;
    local[static_cast<size_t>(l)] = true;
  }
  std::string out;
  for (int day = 0; day < 7; ++day) {
    int h = 0;
    while (h < 24) {
      if (!local[static_cast<size_t>(day * 24 + h)]) {
        ++h;
        continue;
      }
      int end = h;
      while (end < 24 && local[static_cast<size_t>(day * 24 + end)]) ++end;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s %02d-%02d", kDays[day], h, end % 24);
      if (!out.empty()) out += "; ";
      out += buf;
      h = end;
    }
  }
  return out;
}

const char* Role(ProgramRole role) {
  switch (role) {
    case ProgramRole::kMentor:
      return "mentor";
    case ProgramRole::kEither:
      return "either";
    case ProgramRole::kMentee:
      break;
  }
  return "mentee";
}

const char* Meeting(MeetingPreference m) {
  switch (m) {
    case MeetingPreference::kInPerson:
      return "in person";
    case MeetingPreference::kVirtual:
      return "virtual";
    case MeetingPreference::kEither:
      break;
  }
  return "either";
}

}  // namespace

std::string PeopleToCsv(const std::vector<Person>& people) {
  std::set<std::string> described;
  for (const Person& p : people) {
    for (const auto& [key, value] : p.self_described) described.insert(key);
  }
  std::string out =
      "id,name,email,title,department,site,time_zone,seniority,manager_id,role,mentor_capacity,"
      "languages,skills_held,skills_wanted,career_goals,interests,learning_preferences,"
      "communication_style,meeting_preference,availability,openness,conscientiousness,"
      "extraversion,agreeableness,neuroticism,preferred_mentors,prefer_shared_background";
  for (const std::string& key : described) out += ",self described " + key;
  out += "\r\n";
  for (const Person& p : people) {
    std::string held;
    for (const SkillHeld& s : p.skills_held) {
      held += (held.empty() ? "" : "; ") + s.skill + ":" + std::to_string(s.proficiency);
    }
    std::string wanted;
    for (const SkillWanted& s : p.skills_wanted) {
      wanted += (wanted.empty() ? "" : "; ") + s.skill + ":" + std::to_string(s.priority);
    }
    std::string big5 = ",,,,";
    if (p.personality) {
      const BigFive& b = *p.personality;
      big5 = Fixed(b.openness) + ',' + Fixed(b.conscientiousness) + ',' + Fixed(b.extraversion) +
             ',' + Fixed(b.agreeableness) + ',' + Fixed(b.neuroticism);
    }
    out += CsvField(p.id) + ',' + CsvField(p.name) + ',' + CsvField(p.email) + ',' +
           CsvField(p.title) + ',' + CsvField(p.department) + ',' + CsvField(p.site) + ',' +
           CsvField(p.time_zone) + ',' + std::to_string(p.seniority) + ',' +
           CsvField(p.manager_id) + ',' + Role(p.role) + ',' + std::to_string(p.mentor_capacity) +
           ',' + CsvField(Join(p.languages)) + ',' + CsvField(held) + ',' + CsvField(wanted) + ',' +
           CsvField(Join(p.career_goals)) + ',' + CsvField(Join(p.interests)) + ',' +
           CsvField(Join(p.learning_preferences)) + ',' + CsvField(p.communication_style) + ',' +
           Meeting(p.meeting_preference) + ',' + CsvField(LocalAvailability(p)) + ',' + big5 + ',' +
           CsvField(Join(p.preferred_mentors)) + ',' + (p.prefer_shared_background ? "yes" : "no");
    for (const std::string& key : described) {
      std::string value;
      for (const auto& [k, v] : p.self_described) {
        if (k == key) value = v;
      }
      out += ',' + CsvField(value);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace tandem::io
