#include "matching/scoring.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

namespace tandem::matching {

namespace {

// Skills: a mentor should be kSkillLead levels above the mentee's own level in a wanted skill and
// at least at kSkillTarget, capped at kMaxProficiency.
constexpr int kSkillLead = 2;
constexpr int kSkillTarget = 4;
// Reverse and skill-based models: the mentor must hold a wanted skill at least at this level.
constexpr int kDirectionLevel = 3;
constexpr double kNeutral = 0.5;  // factor when the data needed is missing on either side
constexpr int kMinutesPerDay = 24 * 60;

// Tag categories kept as sets of interned ids.
enum TagCategory { kLanguages = 0, kGoals = 1, kInterests = 2, kLearning = 3, kTagCategories = 4 };

struct Span {
  std::uint32_t begin = 0;
  std::uint32_t size = 0;
};

struct HeldSkill {
  std::int32_t skill = 0;
  std::int32_t level = 0;
};

struct WantedSkill {
  std::int32_t skill = 0;
  std::int32_t priority = 1;
  std::int32_t own_level = 0;  // the mentee's own proficiency, 0 when not held
  float weight = 1;            // 1 / priority
  float inv_range = 0;         // 1 / (target - own_level), 0 when nobody can be ahead
};

struct Choice {
  std::int32_t mentor_person = 0;
  std::int32_t rank = 1;  // 1-based position in preferred_mentors
};

class Dict {
 public:
  std::int32_t Intern(const std::string& name) {
    auto [it, inserted] = index_.try_emplace(name, static_cast<std::int32_t>(names_.size()));
    if (inserted) names_.push_back(name);
    return it->second;
  }
  const std::string& Name(std::int32_t id) const { return names_[static_cast<size_t>(id)]; }
  std::int32_t size() const { return static_cast<std::int32_t>(names_.size()); }

 private:
  std::unordered_map<std::string, std::int32_t> index_;
  std::vector<std::string> names_;
};

// One person's interned, compact profile. Every list is a sorted span in a shared pool.
struct Profile {
  std::array<std::uint64_t, 3> availability{};  // 168 bits
  std::int32_t availability_hours = 0;
  std::int32_t seniority = 1;
  std::int32_t site = -1;
  std::int32_t department = -1;
  std::int32_t style = -1;
  std::int32_t offset_minutes = 0;
  std::int32_t capacity = 0;
  std::uint32_t tin = 0;   // preorder number in the reporting forest
  std::uint32_t tout = 0;  // last preorder number in the subtree
  bool has_time_zone = false;
  bool has_personality = false;
  bool opted_in = false;
  MeetingPreference meeting = MeetingPreference::kEither;
  std::array<float, 5> big5{};
  std::uint64_t wanted_signature = 0;  // bit (skill & 63) for quick rejection
  std::uint64_t held_signature = 0;
  std::array<std::uint64_t, kTagCategories> tag_mask{};  // when the category has <= 64 names
  std::array<Span, kTagCategories> tags{};
  Span held, wanted, background, choices, blocked;
  float wanted_total = 0;  // sum of wanted weights
  double inv_wanted_total = 0;
};

// Portable inline popcount: std::popcount compiles to a library call unless the build targets a
// CPU with POPCNT, and this sits in the pair loop.
inline int PopCount(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

int CountCommon(const std::int32_t* a, std::uint32_t na, const std::int32_t* b, std::uint32_t nb) {
  int common = 0;
  std::uint32_t i = 0;
  std::uint32_t j = 0;
  while (i < na && j < nb) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return common;
}

double SeniorityFactor(int gap) {
  if (gap >= 2 && gap <= 3) return 1.0;
  if (gap < 2) return std::max(0.0, 1.0 - 0.3 * (2 - gap));
  return std::max(0.2, 1.0 - 0.2 * (gap - 3));
}

double ChoiceFactor(int rank) { return std::max(0.2, 1.2 - 0.2 * rank); }

int CircularMinutes(int a, int b) {
  int d = std::abs(a - b) % kMinutesPerDay;
  return std::min(d, kMinutesPerDay - d);
}

std::string Plural(long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string FormatHours(double hours) {
  char buffer[32];
  if (std::abs(hours - std::round(hours)) < 1e-9) {
    std::snprintf(buffer, sizeof buffer, "%.0f h", hours);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f h", hours);
  }
  return buffer;
}

std::string Capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

const char* RankWord(int priority) {
  switch (priority) {
    case 1:
      return "which you rank first";
    case 2:
      return "which you rank second";
    case 3:
      return "which you rank third";
    default:
      return "which you want to learn";
  }
}

std::string JoinNames(const std::vector<std::string>& names, size_t limit) {
  std::string out;
  const size_t n = std::min(names.size(), limit);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += (i + 1 == n) ? " and " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

const char* ExclusionReason(Exclusion exclusion) {
  switch (exclusion) {
    case Exclusion::kNone:
      return "eligible";
    case Exclusion::kSamePerson:
      return "mentor and mentee are the same person";
    case Exclusion::kReportingLine:
      return "mentor and mentee are in one reporting line";
    case Exclusion::kBlocked:
      return "the pair is blocked by the program";
    case Exclusion::kNoSharedLanguage:
      return "mentor and mentee share no language";
    case Exclusion::kDifferentSite:
      return "in-person mentoring needs the same site";
    case Exclusion::kDepartmentRule:
      return "the department rule excludes the pair";
    case Exclusion::kSeniorityRule:
      return "the mentor is not far enough ahead in seniority for this model";
    case Exclusion::kSkillDirection:
      return "the mentor holds none of the mentee's wanted skills at level 3 or above";
    case Exclusion::kTimeZone:
      return "their time zones are too far apart";
    case Exclusion::kNoOverlap:
      return "their weekly availability does not overlap enough";
    case Exclusion::kNoCapacity:
      return "the mentor has no capacity";
  }
  return "unknown";
}

struct Scorer::Features {
  std::vector<Profile> profiles;  // one per person
  std::vector<std::int32_t> ids;  // pool: tags, background tokens, blocked mentors
  std::vector<HeldSkill> held;
  std::vector<WantedSkill> wanted;
  std::vector<Choice> choices;
  Dict skills, sites, departments, styles, background;
  std::array<Dict, kTagCategories> tags;
  std::array<bool, kTagCategories> small{};  // category fits a 64-bit mask
  std::vector<std::int32_t> opposite_style;  // complementary partner style, or -1
  std::vector<std::int32_t> language_speakers;
  double base_weight = 0;  // sum of weights except shared background
  double inv_base_weight = 0;
  double inv_weight_with_background = 0;
  double inv_full_overlap = 0;
  std::vector<double> reciprocal;  // 1 / n for n < 256 (entry 0 unused)

  const std::int32_t* Ids(Span s) const { return ids.data() + s.begin; }

  int Common(int category, const Profile& a, const Profile& b) const {
    if (small[static_cast<size_t>(category)]) {
      return PopCount(a.tag_mask[static_cast<size_t>(category)] &
                      b.tag_mask[static_cast<size_t>(category)]);
    }
    const Span sa = a.tags[static_cast<size_t>(category)];
    const Span sb = b.tags[static_cast<size_t>(category)];
    return CountCommon(Ids(sa), sa.size, Ids(sb), sb.size);
  }

  static int Overlap(const Profile& a, const Profile& b) {
    return PopCount(a.availability[0] & b.availability[0]) +
           PopCount(a.availability[1] & b.availability[1]) +
           PopCount(a.availability[2] & b.availability[2]);
  }

  static bool InReportingLine(const Profile& a, const Profile& b) {
    return (a.tin <= b.tin && b.tin <= a.tout) || (b.tin <= a.tin && a.tin <= b.tout);
  }

  // 1 / n for small n without a division in the pair loop.
  double Reciprocal(std::uint32_t n) const {
    return n < reciprocal.size() ? reciprocal[n] : 1.0 / static_cast<double>(n);
  }

  enum class Mode {
    kCheck,  // hard rules only
    kScore,  // factors and score only (no rule applied)
    kBoth,   // hard rules, then factors and score when eligible
  };

  // The pair people[mentee] <- people[mentor]. Shares the work the rules and the factors have in
  // common (language overlap, availability overlap, gap, skill merge). No allocation.
  template <Mode kMode>
  Exclusion Evaluate(const MatchConfig& config, std::int32_t mentee, std::int32_t mentor,
                     std::array<double, kCriterionCount>& factor, bool& background_scored,
                     double& score) const {
    return Evaluate<kMode>(config, mentee, profiles[static_cast<size_t>(mentee)], mentor,
                           profiles[static_cast<size_t>(mentor)], factor, background_scored, score);
  }

  // The same with the profiles given (a == profiles[mentee], b == profiles[mentor] or a copy), so
  // the pair loop can read mentor profiles from a contiguous array.
  template <Mode kMode>
  Exclusion Evaluate(const MatchConfig& config, std::int32_t mentee, const Profile& a,
                     std::int32_t mentor, const Profile& b,
                     std::array<double, kCriterionCount>& factor, bool& background_scored,
                     double& score) const {
    constexpr bool kCheck = kMode != Mode::kScore;
    constexpr bool kScore = kMode != Mode::kCheck;
    if (kCheck && mentee == mentor) return Exclusion::kSamePerson;
    if constexpr (kCheck) {
      if (config.exclude_reporting_line && InReportingLine(a, b)) {
        return Exclusion::kReportingLine;
      }
      if (a.blocked.size > 0) {
        const std::int32_t* first = Ids(a.blocked);
        if (std::binary_search(first, first + a.blocked.size, mentor)) return Exclusion::kBlocked;
      }
    }
    const bool both_languages = a.tags[kLanguages].size > 0 && b.tags[kLanguages].size > 0;
    const int languages_shared = both_languages ? Common(kLanguages, a, b) : 0;
    const bool same_department = a.department == b.department;
    const bool both_departments = a.department >= 0 && b.department >= 0;
    if constexpr (kCheck) {
      if (config.require_shared_language && both_languages && languages_shared == 0) {
        return Exclusion::kNoSharedLanguage;
      }
      if (config.format == Format::kInPerson && a.site >= 0 && b.site >= 0 && a.site != b.site) {
        return Exclusion::kDifferentSite;
      }
      if (both_departments &&
          ((config.department_rule == DepartmentRule::kRequireCross && same_department) ||
           (config.department_rule == DepartmentRule::kRequireSame && !same_department))) {
        return Exclusion::kDepartmentRule;
      }
    }
    const int gap =
        config.model == Model::kReverse ? a.seniority - b.seniority : b.seniority - a.seniority;
    if (kCheck && gap < config.min_seniority_gap) return Exclusion::kSeniorityRule;

    // One merge of wanted and held skills: priority-weighted coverage, and whether any wanted
    // skill is held at kDirectionLevel or more.
    const bool direction_rule =
        config.model == Model::kReverse || config.model == Model::kSkillBased;
    double coverage = 0;
    bool direction = false;
    if ((kScore || direction_rule) && (a.wanted_signature & b.held_signature) != 0) {
      const WantedSkill* w = wanted.data() + a.wanted.begin;
      const HeldSkill* h = held.data() + b.held.begin;
      std::uint32_t i = 0;
      std::uint32_t j = 0;
      while (i < a.wanted.size && j < b.held.size) {
        if (w[i].skill < h[j].skill) {
          ++i;
        } else if (h[j].skill < w[i].skill) {
          ++j;
        } else {
          direction |= h[j].level >= kDirectionLevel;
          const int ahead = h[j].level - w[i].own_level;
          if (ahead > 0) coverage += w[i].weight * std::min(1.0, ahead * double{w[i].inv_range});
          ++i;
          ++j;
        }
      }
    }
    if (kCheck && direction_rule && !direction) return Exclusion::kSkillDirection;

    const bool both_time_zones = a.has_time_zone && b.has_time_zone;
    const int zone_minutes =
        both_time_zones ? CircularMinutes(a.offset_minutes, b.offset_minutes) : 0;
    const bool both_available = a.availability_hours > 0 && b.availability_hours > 0;
    const int overlap = both_available ? Overlap(a, b) : 0;
    if constexpr (kCheck) {
      if (config.max_time_zone_difference_hours && both_time_zones &&
          zone_minutes > *config.max_time_zone_difference_hours * 60) {
        return Exclusion::kTimeZone;
      }
      if (config.min_overlap_hours > 0 && both_available && overlap < config.min_overlap_hours) {
        return Exclusion::kNoOverlap;
      }
      if (b.capacity <= 0) return Exclusion::kNoCapacity;
    }
    if constexpr (!kScore) {
      return Exclusion::kNone;
    } else {
      auto set = [&factor](Criterion c, double v) { factor[static_cast<size_t>(c)] = v; };
      set(Criterion::kSkills, a.wanted.size == 0 ? kNeutral : coverage * a.inv_wanted_total);

      // Goals: share of the mentee's goals the mentor shares.
      {
        const std::uint32_t na = a.tags[kGoals].size;
        const std::uint32_t nb = b.tags[kGoals].size;
        set(Criterion::kGoals,
            na == 0 || nb == 0 ? kNeutral : Common(kGoals, a, b) * Reciprocal(na));
      }
      // Interests and learning preferences: Jaccard similarity.
      {
        const std::uint32_t na = a.tags[kInterests].size;
        const std::uint32_t nb = b.tags[kInterests].size;
        if (na == 0 || nb == 0) {
          set(Criterion::kInterests, kNeutral);
        } else {
          const int common = Common(kInterests, a, b);
          set(Criterion::kInterests,
              common * Reciprocal(na + nb - static_cast<std::uint32_t>(common)));
        }
      }
      {
        const std::uint32_t na = a.tags[kLearning].size;
        const std::uint32_t nb = b.tags[kLearning].size;
        if (na == 0 || nb == 0) {
          set(Criterion::kLearning, kNeutral);
        } else {
          const int common = Common(kLearning, a, b);
          set(Criterion::kLearning,
              common * Reciprocal(na + nb - static_cast<std::uint32_t>(common)));
        }
      }

      // Personality (Big Five).
      if (!a.has_personality || !b.has_personality) {
        set(Criterion::kPersonality, kNeutral);
      } else if (config.personality_mode == StyleMode::kSimilar) {
        double sq = 0;
        for (size_t t = 0; t < 5; ++t) {
          const double d = double{a.big5[t]} - double{b.big5[t]};
          sq += d * d;
        }
        set(Criterion::kPersonality, 1.0 - std::sqrt(sq * 0.2));
      } else {
        // Complementary: differ in openness and extraversion, share conscientiousness and
        // agreeableness, and a steady (low-neuroticism) mentor.
        auto diff = [&](size_t t) { return std::abs(double{a.big5[t]} - double{b.big5[t]}); };
        const double v =
            diff(0) + (1.0 - diff(1)) + diff(2) + (1.0 - diff(3)) + (1.0 - double{b.big5[4]});
        set(Criterion::kPersonality, v * 0.2);
      }

      // Communication style.
      if (a.style < 0 || b.style < 0) {
        set(Criterion::kCommunication, kNeutral);
      } else if (config.communication_mode == StyleMode::kSimilar) {
        set(Criterion::kCommunication, a.style == b.style ? 1.0 : 0.0);
      } else if (a.style == b.style) {
        set(Criterion::kCommunication, 0.0);
      } else {
        set(Criterion::kCommunication,
            opposite_style[static_cast<size_t>(a.style)] == b.style ? 1.0 : 0.5);
      }

      set(Criterion::kSeniority, SeniorityFactor(gap));
      set(Criterion::kTimeZone, both_time_zones ? 1.0 - zone_minutes * (1.0 / 720.0) : kNeutral);
      set(Criterion::kAvailability,
          both_available ? std::min(1.0, overlap * inv_full_overlap) : kNeutral);

      // Location.
      if (a.site < 0 || b.site < 0) {
        set(Criterion::kLocation, kNeutral);
      } else if (a.site == b.site) {
        set(Criterion::kLocation, 1.0);
      } else if (config.format == Format::kVirtual ||
                 (config.format == Format::kHybrid && a.meeting != MeetingPreference::kInPerson &&
                  b.meeting != MeetingPreference::kInPerson)) {
        set(Criterion::kLocation, 0.5);
      } else {
        set(Criterion::kLocation, 0.0);
      }

      set(Criterion::kLanguage, !both_languages ? kNeutral : (languages_shared > 0 ? 1.0 : 0.0));

      // Department.
      if (!both_departments || config.department_rule == DepartmentRule::kAny) {
        set(Criterion::kDepartment, kNeutral);
      } else {
        const bool want_same = config.department_rule == DepartmentRule::kPreferSame ||
                               config.department_rule == DepartmentRule::kRequireSame;
        set(Criterion::kDepartment, same_department == want_same ? 1.0 : 0.0);
      }

      // The mentee's own ranked choices: a bonus, 0 for every mentor not on the list.
      {
        double v = 0;
        const Choice* c = choices.data() + a.choices.begin;
        for (std::uint32_t k = 0; k < a.choices.size; ++k) {
          if (c[k].mentor_person == mentor) {
            v = ChoiceFactor(c[k].rank);
            break;
          }
        }
        set(Criterion::kMenteeChoice, v);
      }

      // Shared background: only when the mentee opted in and both described themselves.
      background_scored = a.opted_in && a.background.size > 0 && b.background.size > 0;
      set(Criterion::kSharedBackground, background_scored
                                            ? CountCommon(Ids(a.background), a.background.size,
                                                          Ids(b.background), b.background.size) *
                                                  Reciprocal(a.background.size)
                                            : 0.0);

      double sum = 0;
      for (size_t c = 0; c < static_cast<size_t>(kCriterionCount); ++c) {
        sum += config.weights[c] * factor[c];
      }
      // The background factor is 0 when it does not apply, so only the divisor differs.
      score = std::clamp(sum * (background_scored ? inv_weight_with_background : inv_base_weight),
                         0.0, 1.0);
      return Exclusion::kNone;
    }
  }

  Exclusion Check(const MatchConfig& config, std::int32_t mentee, std::int32_t mentor) const {
    std::array<double, kCriterionCount> factor;
    bool scored = false;
    double score = 0;
    return Evaluate<Mode::kCheck>(config, mentee, mentor, factor, scored, score);
  }
};

namespace {

// Splits "pride; veterans" into trimmed, lower-case tokens.
template <typename Fn>
void ForEachToken(const std::string& value, Fn fn) {
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find_first_of(";,", start);
    if (end == std::string::npos) end = value.size();
    size_t b = start;
    size_t e = end;
    while (b < e && std::isspace(static_cast<unsigned char>(value[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(value[e - 1]))) --e;
    if (e > b) {
      std::string token = value.substr(b, e - b);
      for (char& ch : token) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      fn(token);
    }
    start = end + 1;
  }
}

Span PushSorted(std::vector<std::int32_t>& pool, std::vector<std::int32_t> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  Span span{static_cast<std::uint32_t>(pool.size()), static_cast<std::uint32_t>(values.size())};
  pool.insert(pool.end(), values.begin(), values.end());
  return span;
}

}  // namespace

Scorer::Scorer(const std::vector<Person>& people, MatchConfig config)
    : people_(&people), config_(std::move(config)), features_(std::make_unique<Features>()) {
  Features& f = *features_;
  const auto n = static_cast<std::int32_t>(people.size());
  f.profiles.resize(people.size());

  std::unordered_map<std::string, std::int32_t> by_id;
  by_id.reserve(people.size());
  for (std::int32_t p = 0; p < n; ++p) by_id.emplace(people[static_cast<size_t>(p)].id, p);

  // Sides.
  for (std::int32_t p = 0; p < n; ++p) {
    const Person& person = people[static_cast<size_t>(p)];
    const bool can_mentor = person.mentor_capacity > 0;
    switch (person.role) {
      case ProgramRole::kMentee:
        mentees_.push_back(p);
        break;
      case ProgramRole::kMentor:
        mentors_.push_back(p);
        break;
      case ProgramRole::kEither:
        if (config_.either_role == EitherRole::kBothSides) {
          mentees_.push_back(p);
          if (can_mentor) mentors_.push_back(p);
        } else if (can_mentor) {
          mentors_.push_back(p);
        } else {
          mentees_.push_back(p);
        }
        break;
    }
  }

  // Profiles.
  std::vector<std::int32_t> scratch;
  for (std::int32_t p = 0; p < n; ++p) {
    const Person& person = people[static_cast<size_t>(p)];
    Profile& pr = f.profiles[static_cast<size_t>(p)];
    pr.seniority = person.seniority;
    pr.site = person.site.empty() ? -1 : f.sites.Intern(person.site);
    pr.department = person.department.empty() ? -1 : f.departments.Intern(person.department);
    pr.style =
        person.communication_style.empty() ? -1 : f.styles.Intern(person.communication_style);
    pr.has_time_zone = !person.time_zone.empty();
    pr.offset_minutes = person.utc_offset_minutes;
    pr.capacity = std::max(0, person.mentor_capacity);
    pr.meeting = person.meeting_preference;
    if (person.personality) {
      pr.has_personality = true;
      const BigFive& b5 = *person.personality;
      pr.big5 = {static_cast<float>(b5.openness), static_cast<float>(b5.conscientiousness),
                 static_cast<float>(b5.extraversion), static_cast<float>(b5.agreeableness),
                 static_cast<float>(b5.neuroticism)};
    }
    for (int h = 0; h < kHoursPerWeek; ++h) {
      if (person.availability.test(static_cast<size_t>(h))) {
        pr.availability[static_cast<size_t>(h / 64)] |= std::uint64_t{1} << (h % 64);
        ++pr.availability_hours;
      }
    }
    const std::vector<std::string>* lists[kTagCategories] = {
        &person.languages, &person.career_goals, &person.interests, &person.learning_preferences};
    for (int c = 0; c < kTagCategories; ++c) {
      scratch.clear();
      for (const std::string& tag : *lists[c]) {
        if (!tag.empty()) scratch.push_back(f.tags[static_cast<size_t>(c)].Intern(tag));
      }
      pr.tags[static_cast<size_t>(c)] = PushSorted(f.ids, scratch);
    }

    // Skills held: the highest level per skill, sorted by skill id.
    std::vector<HeldSkill> held;
    for (const SkillHeld& s : person.skills_held) {
      if (s.skill.empty()) continue;
      held.push_back(
          {f.skills.Intern(s.skill), std::clamp(s.proficiency, kMinProficiency, kMaxProficiency)});
    }
    std::sort(held.begin(), held.end(), [](const HeldSkill& x, const HeldSkill& y) {
      return x.skill != y.skill ? x.skill < y.skill : x.level > y.level;
    });
    held.erase(
        std::unique(held.begin(), held.end(),
                    [](const HeldSkill& x, const HeldSkill& y) { return x.skill == y.skill; }),
        held.end());
    pr.held = {static_cast<std::uint32_t>(f.held.size()), static_cast<std::uint32_t>(held.size())};
    for (const HeldSkill& h : held) pr.held_signature |= std::uint64_t{1} << (h.skill & 63);
    f.held.insert(f.held.end(), held.begin(), held.end());

    // Skills wanted: the best (lowest) priority per skill, with the mentee's own level.
    std::vector<WantedSkill> wanted;
    for (const SkillWanted& s : person.skills_wanted) {
      if (s.skill.empty()) continue;
      WantedSkill w;
      w.skill = f.skills.Intern(s.skill);
      w.priority = std::max(1, s.priority);
      wanted.push_back(w);
    }
    std::sort(wanted.begin(), wanted.end(), [](const WantedSkill& x, const WantedSkill& y) {
      return x.skill != y.skill ? x.skill < y.skill : x.priority < y.priority;
    });
    wanted.erase(
        std::unique(wanted.begin(), wanted.end(),
                    [](const WantedSkill& x, const WantedSkill& y) { return x.skill == y.skill; }),
        wanted.end());
    for (WantedSkill& w : wanted) {
      auto it = std::lower_bound(held.begin(), held.end(), w.skill,
                                 [](const HeldSkill& h, std::int32_t s) { return h.skill < s; });
      w.own_level = (it != held.end() && it->skill == w.skill) ? it->level : 0;
      w.weight = 1.0f / static_cast<float>(w.priority);
      const int target =
          std::min(kMaxProficiency, std::max(w.own_level + kSkillLead, kSkillTarget));
      w.inv_range = target > w.own_level ? 1.0f / static_cast<float>(target - w.own_level) : 0.0f;
      pr.wanted_total += w.weight;
      pr.wanted_signature |= std::uint64_t{1} << (w.skill & 63);
    }
    pr.inv_wanted_total = pr.wanted_total > 0 ? 1.0 / double{pr.wanted_total} : 0.0;
    pr.wanted = {static_cast<std::uint32_t>(f.wanted.size()),
                 static_cast<std::uint32_t>(wanted.size())};
    f.wanted.insert(f.wanted.end(), wanted.begin(), wanted.end());

    // Self-described attributes as "key=value" tokens.
    scratch.clear();
    for (const auto& [key, value] : person.self_described) {
      ForEachToken(value, [&](const std::string& token) {
        scratch.push_back(f.background.Intern(key + "=" + token));
      });
    }
    pr.background = PushSorted(f.ids, scratch);
    pr.opted_in = person.prefer_shared_background;

    // Ranked choices.
    pr.choices.begin = static_cast<std::uint32_t>(f.choices.size());
    for (size_t r = 0; r < person.preferred_mentors.size(); ++r) {
      auto it = by_id.find(person.preferred_mentors[r]);
      if (it == by_id.end()) continue;
      const bool seen = std::any_of(f.choices.begin() + pr.choices.begin, f.choices.end(),
                                    [&](const Choice& c) { return c.mentor_person == it->second; });
      if (!seen) f.choices.push_back({it->second, static_cast<std::int32_t>(r + 1)});
    }
    pr.choices.size = static_cast<std::uint32_t>(f.choices.size()) - pr.choices.begin;
  }

  for (int c = 0; c < kTagCategories; ++c) {
    f.small[static_cast<size_t>(c)] = f.tags[static_cast<size_t>(c)].size() <= 64;
  }
  f.language_speakers.assign(static_cast<size_t>(f.tags[kLanguages].size()), 0);
  for (Profile& pr : f.profiles) {
    for (int c = 0; c < kTagCategories; ++c) {
      const Span s = pr.tags[static_cast<size_t>(c)];
      for (std::uint32_t k = 0; k < s.size; ++k) {
        const std::int32_t id = f.ids[s.begin + k];
        if (f.small[static_cast<size_t>(c)]) {
          pr.tag_mask[static_cast<size_t>(c)] |= std::uint64_t{1} << id;
        }
        if (c == kLanguages) ++f.language_speakers[static_cast<size_t>(id)];
      }
    }
  }

  // Complementary communication styles.
  f.opposite_style.assign(static_cast<size_t>(f.styles.size()), -1);
  const std::pair<const char*, const char*> opposites[] = {{"direct", "reflective"},
                                                           {"expressive", "analytical"}};
  for (std::int32_t s = 0; s < f.styles.size(); ++s) {
    for (const auto& [x, y] : opposites) {
      const std::string& name = f.styles.Name(s);
      const char* other = name == x ? y : (name == y ? x : nullptr);
      if (other == nullptr) continue;
      for (std::int32_t t = 0; t < f.styles.size(); ++t) {
        if (f.styles.Name(t) == other) f.opposite_style[static_cast<size_t>(s)] = t;
      }
    }
  }

  // Blocked pairs, per mentee person: sorted mentor persons. Unknown ids are ignored.
  {
    std::vector<std::pair<std::int32_t, std::int32_t>> blocked;
    for (const auto& [mentee_id, mentor_id] : config_.blocked_pairs) {
      auto a = by_id.find(mentee_id);
      auto b = by_id.find(mentor_id);
      if (a != by_id.end() && b != by_id.end()) blocked.emplace_back(a->second, b->second);
    }
    std::sort(blocked.begin(), blocked.end());
    blocked.erase(std::unique(blocked.begin(), blocked.end()), blocked.end());
    for (size_t k = 0; k < blocked.size();) {
      const std::int32_t mentee = blocked[k].first;
      Profile& pr = f.profiles[static_cast<size_t>(mentee)];
      pr.blocked.begin = static_cast<std::uint32_t>(f.ids.size());
      for (; k < blocked.size() && blocked[k].first == mentee; ++k) {
        f.ids.push_back(blocked[k].second);
      }
      pr.blocked.size = static_cast<std::uint32_t>(f.ids.size()) - pr.blocked.begin;
    }
  }

  // Reporting forest: preorder intervals, so "a is above b" is two comparisons. A manager cycle
  // (bad data) is cut at the person where the walk first meets it.
  {
    std::vector<std::int32_t> parent(people.size(), -1);
    for (std::int32_t p = 0; p < n; ++p) {
      const std::string& manager = people[static_cast<size_t>(p)].manager_id;
      if (manager.empty()) continue;
      auto it = by_id.find(manager);
      if (it != by_id.end() && it->second != p) parent[static_cast<size_t>(p)] = it->second;
    }
    std::vector<std::uint8_t> state(people.size(), 0);  // 0 new, 1 on the current walk, 2 done
    std::vector<std::int32_t> walk;
    for (std::int32_t p = 0; p < n; ++p) {
      walk.clear();
      std::int32_t v = p;
      while (v >= 0 && state[static_cast<size_t>(v)] == 0) {
        state[static_cast<size_t>(v)] = 1;
        walk.push_back(v);
        v = parent[static_cast<size_t>(v)];
      }
      if (v >= 0 && state[static_cast<size_t>(v)] == 1) parent[static_cast<size_t>(v)] = -1;
      for (std::int32_t w : walk) state[static_cast<size_t>(w)] = 2;
    }
    std::vector<std::int32_t> child_begin(people.size() + 1, 0);
    for (std::int32_t p = 0; p < n; ++p) {
      if (parent[static_cast<size_t>(p)] >= 0) ++child_begin[static_cast<size_t>(parent[p]) + 1];
    }
    for (size_t k = 1; k < child_begin.size(); ++k) child_begin[k] += child_begin[k - 1];
    std::vector<std::int32_t> children(static_cast<size_t>(child_begin.back()));
    {
      std::vector<std::int32_t> fill(child_begin.begin(), child_begin.end() - 1);
      for (std::int32_t p = 0; p < n; ++p) {
        const std::int32_t q = parent[static_cast<size_t>(p)];
        if (q >= 0) children[static_cast<size_t>(fill[static_cast<size_t>(q)]++)] = p;
      }
    }
    std::vector<std::int32_t> order;  // preorder
    order.reserve(people.size());
    std::vector<std::int32_t> stack;
    for (std::int32_t root = 0; root < n; ++root) {
      if (parent[static_cast<size_t>(root)] >= 0) continue;
      stack.push_back(root);
      while (!stack.empty()) {
        const std::int32_t v = stack.back();
        stack.pop_back();
        f.profiles[static_cast<size_t>(v)].tin = static_cast<std::uint32_t>(order.size());
        order.push_back(v);
        for (std::int32_t k = child_begin[static_cast<size_t>(v) + 1] - 1;
             k >= child_begin[static_cast<size_t>(v)]; --k) {
          stack.push_back(children[static_cast<size_t>(k)]);
        }
      }
    }
    std::vector<std::uint32_t> subtree(people.size(), 1);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const std::int32_t q = parent[static_cast<size_t>(*it)];
      if (q >= 0) subtree[static_cast<size_t>(q)] += subtree[static_cast<size_t>(*it)];
    }
    for (std::int32_t p = 0; p < n; ++p) {
      Profile& pr = f.profiles[static_cast<size_t>(p)];
      pr.tout = pr.tin + subtree[static_cast<size_t>(p)] - 1;
    }
  }

  for (int c = 0; c < kCriterionCount; ++c) {
    if (c != static_cast<int>(Criterion::kSharedBackground)) {
      f.base_weight += config_.weights[static_cast<size_t>(c)];
    }
  }
  const double with_background = f.base_weight + config_.weight(Criterion::kSharedBackground);
  f.inv_base_weight = f.base_weight > 0 ? 1.0 / f.base_weight : 0.0;
  f.inv_weight_with_background = with_background > 0 ? 1.0 / with_background : 0.0;
  f.inv_full_overlap = 1.0 / std::max(1, config_.full_overlap_hours);
  f.reciprocal.assign(256, 0.0);
  for (size_t k = 1; k < f.reciprocal.size(); ++k) f.reciprocal[k] = 1.0 / static_cast<double>(k);
}

Scorer::~Scorer() = default;

Exclusion Scorer::Check(std::int32_t mentee_person, std::int32_t mentor_person) const {
  return features_->Check(config_, mentee_person, mentor_person);
}

PairScore Scorer::Score(std::int32_t mentee_person, std::int32_t mentor_person) const {
  const Features& f = *features_;
  PairScore out;
  f.Evaluate<Features::Mode::kScore>(config_, mentee_person, mentor_person, out.factor,
                                     out.background_scored, out.score);
  // Skills the pair is for: covered wanted skills, largest contribution first.
  const Profile& a = f.profiles[static_cast<size_t>(mentee_person)];
  const Profile& b = f.profiles[static_cast<size_t>(mentor_person)];
  // ((-contribution, priority), skill)
  std::vector<std::pair<std::pair<double, std::int32_t>, std::int32_t>> ranked;
  for (std::uint32_t i = 0; i < a.wanted.size; ++i) {
    const WantedSkill& w = f.wanted[a.wanted.begin + i];
    for (std::uint32_t j = 0; j < b.held.size; ++j) {
      const HeldSkill& h = f.held[b.held.begin + j];
      if (h.skill != w.skill) continue;
      const int ahead = h.level - w.own_level;
      if (ahead > 0) {
        const double c = w.weight * std::min(1.0, ahead * double{w.inv_range});
        ranked.push_back({{-c, w.priority}, w.skill});
      }
    }
  }
  std::sort(ranked.begin(), ranked.end());
  for (const auto& r : ranked) out.skills_for.push_back(f.skills.Name(r.second));
  return out;
}

std::string Scorer::Explain(std::int32_t mentee_person, std::int32_t mentor_person) const {
  const Exclusion ex = Check(mentee_person, mentor_person);
  if (ex != Exclusion::kNone) return std::string("not eligible: ") + ExclusionReason(ex);
  const Features& f = *features_;
  const Person& mentee = (*people_)[static_cast<size_t>(mentee_person)];
  const Person& mentor = (*people_)[static_cast<size_t>(mentor_person)];
  const Profile& a = f.profiles[static_cast<size_t>(mentee_person)];
  const Profile& b = f.profiles[static_cast<size_t>(mentor_person)];
  const PairScore ps = Score(mentee_person, mentor_person);

  auto shared_tags = [](const std::vector<std::string>& mine,
                        const std::vector<std::string>& theirs) {
    std::vector<std::string> out;
    for (const std::string& t : mine) {
      if (std::find(theirs.begin(), theirs.end(), t) != theirs.end() &&
          std::find(out.begin(), out.end(), t) == out.end()) {
        out.push_back(t);
      }
    }
    return out;
  };

  // Phrase for a criterion, or "" when it has nothing concrete to say.
  auto phrase = [&](Criterion c) -> std::string {
    const double v = ps.factor[static_cast<size_t>(c)];
    switch (c) {
      case Criterion::kSkills: {
        if (ps.skills_for.empty()) return "";
        const std::string& skill = ps.skills_for.front();
        int level = 0;
        int own = 0;
        int priority = 0;
        for (std::uint32_t j = 0; j < b.held.size; ++j) {
          const HeldSkill& h = f.held[b.held.begin + j];
          if (f.skills.Name(h.skill) == skill) level = h.level;
        }
        for (std::uint32_t i = 0; i < a.wanted.size; ++i) {
          const WantedSkill& w = f.wanted[a.wanted.begin + i];
          if (f.skills.Name(w.skill) == skill) {
            own = w.own_level;
            priority = w.priority;
          }
        }
        std::string s =
            own > 0 ? "mentor is " + Plural(level - own, "level", "levels") + " ahead in " + skill
                    : "mentor has " + skill + " at level " + std::to_string(level);
        s += std::string(", ") + RankWord(priority);
        if (ps.skills_for.size() > 1) {
          s += " (and " +
               Plural(static_cast<long>(ps.skills_for.size() - 1), "more wanted skill",
                      "more wanted skills") +
               ")";
        }
        return s;
      }
      case Criterion::kGoals: {
        auto shared = shared_tags(mentee.career_goals, mentor.career_goals);
        return shared.empty() ? "" : "both aim at " + JoinNames(shared, 2);
      }
      case Criterion::kInterests: {
        auto shared = shared_tags(mentee.interests, mentor.interests);
        return shared.empty() ? "" : "both enjoy " + JoinNames(shared, 2);
      }
      case Criterion::kLearning: {
        auto shared = shared_tags(mentee.learning_preferences, mentor.learning_preferences);
        return shared.empty() ? "" : "both prefer " + JoinNames(shared, 2) + " learning";
      }
      case Criterion::kPersonality:
        if (!a.has_personality || !b.has_personality || v < 0.7) return "";
        return config_.personality_mode == StyleMode::kSimilar ? "similar personalities"
                                                               : "complementary personalities";
      case Criterion::kCommunication:
        if (a.style < 0 || b.style < 0 || v < 1.0) return "";
        if (a.style == b.style) {
          return "same communication style (" + mentee.communication_style + ")";
        }
        return "complementary communication styles (" + mentee.communication_style + " and " +
               mentor.communication_style + ")";
      case Criterion::kSeniority: {
        if (v < 0.6) return "";
        const int gap = b.seniority - a.seniority;
        if (gap == 0) return "same seniority level";
        return "mentor is " + Plural(std::abs(gap), "level", "levels") +
               (gap > 0 ? " more senior" : " more junior");
      }
      case Criterion::kTimeZone: {
        if (!a.has_time_zone || !b.has_time_zone) return "";
        const int d = CircularMinutes(a.offset_minutes, b.offset_minutes);
        if (d == 0) return "same time zone";
        if (d > 3 * 60) return "";
        return "time zones " + FormatHours(d / 60.0) + " apart";
      }
      case Criterion::kAvailability: {
        if (a.availability_hours == 0 || b.availability_hours == 0 || v < 0.5) return "";
        const int overlap = Features::Overlap(a, b);
        if (overlap == 0) return "";
        return std::to_string(overlap) + " h/week overlap";
      }
      case Criterion::kLocation:
        if (a.site < 0 || a.site != b.site) return "";
        return "both at " + mentee.site;
      case Criterion::kLanguage: {
        std::int32_t best = -1;
        const Span sa = a.tags[kLanguages];
        const Span sb = b.tags[kLanguages];
        for (std::uint32_t i = 0; i < sa.size; ++i) {
          const std::int32_t id = f.ids[sa.begin + i];
          const std::int32_t* first = f.Ids(sb);
          if (!std::binary_search(first, first + sb.size, id)) continue;
          if (best < 0 || f.language_speakers[static_cast<size_t>(id)] <
                              f.language_speakers[static_cast<size_t>(best)]) {
            best = id;
          }
        }
        if (best < 0) return "";
        return "both speak " + Capitalized(f.tags[kLanguages].Name(best));
      }
      case Criterion::kDepartment:
        if (v < 1.0) return "";
        if (a.department == b.department) return "both in " + mentee.department;
        return "cross-department (" + mentee.department + " and " + mentor.department + ")";
      case Criterion::kMenteeChoice:
        for (std::uint32_t k = 0; k < a.choices.size; ++k) {
          const Choice& ch = f.choices[a.choices.begin + k];
          if (ch.mentor_person == mentor_person) {
            return "you ranked this mentor #" + std::to_string(ch.rank);
          }
        }
        return "";
      case Criterion::kSharedBackground:
        if (!ps.background_scored || v <= 0) return "";
        return "shares the background you asked to be matched on";
    }
    return "";
  };

  std::array<int, kCriterionCount> order{};
  for (int c = 0; c < kCriterionCount; ++c) order[static_cast<size_t>(c)] = c;
  auto contribution = [&](int c) {
    return config_.weights[static_cast<size_t>(c)] * ps.factor[static_cast<size_t>(c)];
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return contribution(x) > contribution(y); });
  std::string out;
  int reasons = 0;
  for (int c : order) {
    if (reasons >= config_.explanation_reasons) break;
    // Each phrase decides itself whether its criterion is a reason worth naming.
    if (config_.weights[static_cast<size_t>(c)] <= 0) continue;
    std::string p = phrase(static_cast<Criterion>(c));
    if (p.empty()) continue;
    if (!out.empty()) out += "; ";
    out += p;
    ++reasons;
  }
  if (out.empty()) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "no single strong reason (score %.2f)", ps.score);
    out = buffer;
  }
  return out;
}

std::optional<Instance> Scorer::BuildInstance(const ProgressFn& progress,
                                              const std::atomic<bool>* cancel) const {
  const Features& f = *features_;
  const auto num_mentees = static_cast<std::int32_t>(mentees_.size());
  const auto num_mentors = static_cast<std::int32_t>(mentors_.size());
  Instance instance;
  instance.num_mentees = num_mentees;
  instance.capacity.resize(mentors_.size());
  instance.mentee_labels.reserve(mentees_.size());
  instance.mentor_labels.reserve(mentors_.size());
  for (std::int32_t p : mentees_)
    instance.mentee_labels.push_back((*people_)[static_cast<size_t>(p)].id);
  std::vector<std::int32_t> active;      // mentors with capacity
  std::vector<Profile> active_profiles;  // their profiles, contiguous for the pair loop
  for (std::int32_t j = 0; j < num_mentors; ++j) {
    const std::int32_t p = mentors_[static_cast<size_t>(j)];
    instance.mentor_labels.push_back((*people_)[static_cast<size_t>(p)].id);
    instance.capacity[static_cast<size_t>(j)] = f.profiles[static_cast<size_t>(p)].capacity;
    if (instance.capacity[static_cast<size_t>(j)] > 0) {
      active.push_back(j);
      active_profiles.push_back(f.profiles[static_cast<size_t>(p)]);
    }
  }

  constexpr std::int32_t kChunk = 64;   // mentees per work item
  constexpr std::int32_t kBlock = 512;  // mentors per tile (their profiles stay in cache)
  const std::int32_t num_chunks = (num_mentees + kChunk - 1) / kChunk;
  std::vector<std::vector<Edge>> chunk_edges(static_cast<size_t>(num_chunks));
  std::atomic<std::int32_t> next{0};
  std::atomic<std::int32_t> done{0};
  std::atomic<bool> stopped{false};
  const auto num_active = static_cast<std::int32_t>(active.size());

  auto work = [&](bool reporter) {
    std::array<std::vector<Edge>, kChunk> local;
    std::array<double, kCriterionCount> factor{};
    bool background = false;
    while (!stopped.load(std::memory_order_relaxed)) {
      const std::int32_t c = next.fetch_add(1);
      if (c >= num_chunks) break;
      const std::int32_t lo = c * kChunk;
      const std::int32_t hi = std::min(num_mentees, lo + kChunk);
      for (auto& v : local) v.clear();
      for (std::int32_t jb = 0; jb < num_active; jb += kBlock) {
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
          stopped.store(true);
          return;
        }
        const std::int32_t je = std::min(num_active, jb + kBlock);
        for (std::int32_t i = lo; i < hi; ++i) {
          const std::int32_t mentee = mentees_[static_cast<size_t>(i)];
          const Profile& a = f.profiles[static_cast<size_t>(mentee)];
          auto& out = local[static_cast<size_t>(i - lo)];
          for (std::int32_t k = jb; k < je; ++k) {
            const std::int32_t j = active[static_cast<size_t>(k)];
            const std::int32_t mentor = mentors_[static_cast<size_t>(j)];
            double s = 0;
            if (f.Evaluate<Features::Mode::kBoth>(config_, mentee, a, mentor,
                                                  active_profiles[static_cast<size_t>(k)], factor,
                                                  background, s) == Exclusion::kNone) {
              out.push_back({i, j, ScoreToWeight(s)});
            }
          }
        }
      }
      size_t total = 0;
      for (std::int32_t i = lo; i < hi; ++i) total += local[static_cast<size_t>(i - lo)].size();
      auto& dest = chunk_edges[static_cast<size_t>(c)];
      dest.reserve(total);
      for (std::int32_t i = lo; i < hi; ++i) {
        const auto& v = local[static_cast<size_t>(i - lo)];
        dest.insert(dest.end(), v.begin(), v.end());
      }
      const std::int32_t finished = done.fetch_add(1) + 1;
      if (reporter && progress) {
        progress("scoring", static_cast<double>(finished) / static_cast<double>(num_chunks));
      }
    }
  };

  int threads =
      config_.threads > 0 ? config_.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, std::max(1, num_chunks));
  if (progress) progress("scoring", 0.0);
  {
    std::vector<std::jthread> pool;
    pool.reserve(static_cast<size_t>(threads - 1));
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, false);
    work(true);
  }
  if (stopped.load() || (cancel != nullptr && cancel->load())) return std::nullopt;

  size_t total = 0;
  for (const auto& v : chunk_edges) total += v.size();
  instance.edges.reserve(total);
  for (auto& v : chunk_edges) {
    instance.edges.insert(instance.edges.end(), v.begin(), v.end());
    std::vector<Edge>().swap(v);
  }
  if (progress) progress("scoring", 1.0);
  return instance;
}

std::vector<std::string> Scorer::UnmatchedReasons(const Instance& instance,
                                                  const Solution& solution,
                                                  std::int32_t shortlist) const {
  const Features& f = *features_;
  const std::int32_t n = instance.num_mentees;
  const std::int32_t m = instance.num_mentors();
  std::vector<std::string> reasons(static_cast<size_t>(n));
  if (static_cast<std::int32_t>(solution.mentor_of.size()) != n) {
    for (auto& r : reasons) r = std::string("not solved: ") + SolveStatusName(solution.status);
    return reasons;
  }

  // Adjacency both ways, and places used per mentor.
  std::vector<std::int32_t> mentee_begin(static_cast<size_t>(n) + 1, 0);
  std::vector<std::int32_t> mentor_begin(static_cast<size_t>(m) + 1, 0);
  for (const Edge& e : instance.edges) {
    ++mentee_begin[static_cast<size_t>(e.mentee) + 1];
    ++mentor_begin[static_cast<size_t>(e.mentor) + 1];
  }
  for (size_t k = 1; k < mentee_begin.size(); ++k) mentee_begin[k] += mentee_begin[k - 1];
  for (size_t k = 1; k < mentor_begin.size(); ++k) mentor_begin[k] += mentor_begin[k - 1];
  std::vector<std::int32_t> mentee_adj(instance.edges.size());
  std::vector<std::int32_t> mentor_adj(instance.edges.size());
  {
    std::vector<std::int32_t> fa(mentee_begin.begin(), mentee_begin.end() - 1);
    std::vector<std::int32_t> fb(mentor_begin.begin(), mentor_begin.end() - 1);
    for (const Edge& e : instance.edges) {
      mentee_adj[static_cast<size_t>(fa[static_cast<size_t>(e.mentee)]++)] = e.mentor;
      mentor_adj[static_cast<size_t>(fb[static_cast<size_t>(e.mentor)]++)] = e.mentee;
    }
  }
  std::vector<std::int32_t> used(static_cast<size_t>(m), 0);
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t j = solution.mentor_of[static_cast<size_t>(i)];
    if (j >= 0 && j < m) ++used[static_cast<size_t>(j)];
  }
  std::vector<std::int32_t> stamp(static_cast<size_t>(n), -1);

  for (std::int32_t i = 0; i < n; ++i) {
    if (solution.mentor_of[static_cast<size_t>(i)] >= 0) continue;
    const std::int32_t mentee_person = mentees_[static_cast<size_t>(i)];
    const Person& mentee = (*people_)[static_cast<size_t>(mentee_person)];
    const Profile& a = f.profiles[static_cast<size_t>(mentee_person)];
    const std::int32_t eb = mentee_begin[static_cast<size_t>(i)];
    const std::int32_t ee = mentee_begin[static_cast<size_t>(i) + 1];
    std::string& reason = reasons[static_cast<size_t>(i)];

    if (eb == ee) {
      if (m == 0) {
        reason = "no eligible mentor: the program has no mentors";
        continue;
      }
      std::array<std::int32_t, kExclusionCount> count{};
      for (std::int32_t j = 0; j < m; ++j) {
        ++count[static_cast<size_t>(
            f.Check(config_, mentee_person, mentors_[static_cast<size_t>(j)]))];
      }
      int best = 1;
      for (int x = 1; x < kExclusionCount; ++x) {
        if (count[static_cast<size_t>(x)] > count[static_cast<size_t>(best)]) best = x;
      }
      const auto ex = static_cast<Exclusion>(best);
      const std::int32_t k = count[static_cast<size_t>(best)];
      std::string detail;
      const bool reverse = config_.model == Model::kReverse;
      switch (ex) {
        case Exclusion::kNone:
        case Exclusion::kSamePerson:
          detail = k == 1 && m == 1 ? "the only mentor is the mentee themself"
                                    : "mentors are the mentee themself";
          break;
        case Exclusion::kReportingLine:
          detail = "mentors are in the mentee's reporting line";
          break;
        case Exclusion::kBlocked:
          detail = "pairs are blocked by the program";
          break;
        case Exclusion::kNoSharedLanguage: {
          std::vector<std::string> langs = mentee.languages;
          detail = "mentors share no language with the mentee (" + JoinNames(langs, 4) + ")";
          break;
        }
        case Exclusion::kDifferentSite:
          detail = "mentors work at another site than the mentee (" + mentee.site +
                   "), and mentoring is in person";
          break;
        case Exclusion::kDepartmentRule:
          detail = config_.department_rule == DepartmentRule::kRequireCross
                       ? "mentors are in the mentee's own department (" + mentee.department +
                             "), and the rule requires another"
                       : "mentors are outside the mentee's department (" + mentee.department +
                             "), and the rule requires the same";
          break;
        case Exclusion::kSeniorityRule: {
          const int g = config_.min_seniority_gap;
          const char* dir = reverse ? "below" : "above";
          if (g > 0) {
            detail = "mentors are not at least " + Plural(g, "level", "levels") + " " + dir +
                     " the mentee (level " + std::to_string(a.seniority) + ")";
          } else {
            detail = "mentors are more than " + Plural(-g, "level", "levels") + " " +
                     (reverse ? "above" : "below") + " the mentee (level " +
                     std::to_string(a.seniority) + ")";
          }
          break;
        }
        case Exclusion::kSkillDirection:
          if (a.wanted.size == 0) {
            detail = std::string(
                         "mentors cannot be matched on skills: the mentee lists no "
                         "wanted skills, which the ") +
                     ModelName(config_.model) + " model needs";
          } else {
            std::vector<std::string> names;
            for (const SkillWanted& s : mentee.skills_wanted) names.push_back(s.skill);
            detail = "mentors hold none of the mentee's wanted skills (" + JoinNames(names, 3) +
                     ") at level 3 or above";
          }
          break;
        case Exclusion::kTimeZone:
          detail = "mentors are more than " +
                   FormatHours(config_.max_time_zone_difference_hours.value_or(0)) +
                   " from the mentee's time zone (" + mentee.time_zone + ")";
          break;
        case Exclusion::kNoOverlap:
          detail = "mentors share less than " + std::to_string(config_.min_overlap_hours) +
                   " h/week of availability with the mentee";
          break;
        case Exclusion::kNoCapacity:
          detail = "mentors have no capacity";
          break;
      }
      reason = "no eligible mentor: " + std::to_string(k) + " of " +
               Plural(m, "mentor", "mentors") + " excluded because " + detail;
      continue;
    }

    // Eligible mentors exist: count places and the mentees competing for them.
    std::int64_t places = 0;
    std::int32_t free_mentors = 0;
    std::int32_t competitors = 0;
    std::int32_t department = -2;  // -2 unset, -1 mixed
    // Counting the distinct competitors visits every eligible mentee of every eligible mentor;
    // past a budget (large organizations) the count is given as a lower bound instead: the
    // most sought-after of these mentors alone has that many candidates.
    std::int64_t visits = 0;
    for (std::int32_t e = eb; e < ee; ++e) {
      const std::int32_t j = mentee_adj[static_cast<size_t>(e)];
      visits += mentor_begin[static_cast<size_t>(j) + 1] - mentor_begin[static_cast<size_t>(j)];
    }
    constexpr std::int64_t kCompetitorVisits = 200'000;
    const bool exact = visits <= kCompetitorVisits;
    for (std::int32_t e = eb; e < ee; ++e) {
      const std::int32_t j = mentee_adj[static_cast<size_t>(e)];
      places += instance.capacity[static_cast<size_t>(j)];
      if (used[static_cast<size_t>(j)] < instance.capacity[static_cast<size_t>(j)]) ++free_mentors;
      const std::int32_t d =
          f.profiles[static_cast<size_t>(mentors_[static_cast<size_t>(j)])].department;
      department = department == -2 ? d : (department == d ? d : -1);
      const std::int32_t qb = mentor_begin[static_cast<size_t>(j)];
      const std::int32_t qe = mentor_begin[static_cast<size_t>(j) + 1];
      if (!exact) {
        competitors = std::max(competitors, qe - qb);
        continue;
      }
      for (std::int32_t q = qb; q < qe; ++q) {
        const std::int32_t other = mentor_adj[static_cast<size_t>(q)];
        if (stamp[static_cast<size_t>(other)] != i) {
          stamp[static_cast<size_t>(other)] = i;
          ++competitors;
        }
      }
    }
    const std::int32_t eligible = ee - eb;
    if (free_mentors > 0) {
      reason = "not matched although " +
               Plural(free_mentors, "eligible mentor", "eligible mentors") + " had free places (" +
               ObjectiveName(solution.objective) + " objective)";
      continue;
    }
    // On a candidate graph the other mentees' lists are cut too: a lower bound either way.
    const bool cut = shortlist > 0 && eligible >= shortlist;
    reason = "capacity exhausted: " + std::string(exact && shortlist == 0 ? "" : "at least ") +
             std::to_string(competitors) + " mentees compete for " +
             Plural(static_cast<long>(places), "place", "places") +
             (cut ? " among the " + Plural(eligible, "mentor", "mentors") + " on their shortlist"
              : eligible == 1 ? std::string(" among their only eligible mentor")
                              : " among their " + std::to_string(eligible) + " eligible mentors");
    if (department >= 0) reason += " in " + f.departments.Name(department);
  }
  return reasons;
}

}  // namespace tandem::matching
