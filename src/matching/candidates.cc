#include "matching/candidates.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <thread>
#include <unordered_map>
#include <utility>

#include "matching/parallel.h"

namespace tandem::matching {
namespace {

// The constants of scoring.cc's formula (docs/matching.md); the test checks the weights agree.
constexpr int kSkillLead = 2;
constexpr int kSkillTarget = 4;
constexpr int kDirectionLevel = 3;
constexpr double kNeutral = 0.5;
constexpr int kMinutesPerDay = 24 * 60;

enum Tag { kLanguages = 0, kGoals = 1, kInterests = 2, kLearning = 3, kTags = 4 };

// Added to every score bound: far above the float rounding of the bound (about 1e-6).
constexpr float kBoundMargin = 1e-4f;
constexpr std::int32_t kMentorBlock = 256;  // mentor records per tile (about 40 KB)
constexpr std::int32_t kMenteeChunk = 32;   // mentees per work item
// Skill level tables are used when the skill catalogue has at most this many names.
constexpr std::int32_t kMaxTableSkills = 1024;

struct Span {
  std::uint32_t begin = 0;
  std::uint32_t size = 0;
};

struct Held {
  std::int32_t skill = 0;
  std::int32_t level = 0;
};

struct Wanted {
  std::int32_t skill = 0;
  std::int32_t priority = 1;
  std::int32_t own_level = 0;
  float weight = 1;
  float inv_range = 0;
};

struct Choice {
  std::int32_t mentor_person = 0;
  std::int32_t rank = 1;
};

class Interner {
 public:
  std::int32_t Id(const std::string& name) {
    auto [it, inserted] = ids_.try_emplace(name, static_cast<std::int32_t>(names_.size()));
    if (inserted) names_.push_back(name);
    return it->second;
  }
  std::int32_t size() const { return static_cast<std::int32_t>(names_.size()); }
  const std::string& name(std::int32_t id) const { return names_[static_cast<size_t>(id)]; }

 private:
  std::unordered_map<std::string, std::int32_t> ids_;
  std::vector<std::string> names_;
};

// A person's exact features.
struct Features {
  std::array<std::uint64_t, 3> avail{};
  std::int32_t avail_hours = 0;
  std::int32_t seniority = 1;
  std::int32_t site = -1;
  std::int32_t department = -1;
  std::int32_t style = -1;
  std::int32_t offset = 0;
  std::int32_t capacity = 0;
  std::uint32_t tin = 0;
  std::uint32_t tout = 0;
  bool has_time_zone = false;
  bool has_personality = false;
  bool opted_in = false;
  MeetingPreference meeting = MeetingPreference::kEither;
  std::array<float, 5> big5{};
  std::array<Span, kTags> tags{};
  std::array<std::uint64_t, kTags> mask{};
  std::uint64_t background_mask = 0;
  Span held, wanted, background, choices, blocked;
  float wanted_total = 0;
  double inv_wanted_total = 0;
};

// A mentor's features for the bound, in one contiguous record per mentor.
struct MentorRecord {
  std::array<std::uint64_t, 3> avail{};
  std::array<std::uint64_t, kTags> mask{};
  std::uint64_t background_mask = 0;
  std::array<float, 5> big5{};
  std::uint32_t tin = 0;
  std::uint32_t tout = 0;
  std::int32_t person = 0;
  std::int32_t offset = 0;
  std::int32_t seniority = 0;
  std::int32_t site = -1;
  std::int32_t department = -1;
  std::int32_t style = -1;
  std::array<std::uint16_t, kTags> count{};
  std::uint16_t background_count = 0;
  MeetingPreference meeting = MeetingPreference::kEither;
  bool has_time_zone = false;
  bool has_personality = false;
  bool available = false;
  bool has_capacity = false;
};

// Inline popcount: __builtin_popcountll is a library call unless the build targets POPCNT, and
// this sits in the pair loop.
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
  const int d = std::abs(a - b) % kMinutesPerDay;
  return std::min(d, kMinutesPerDay - d);
}

Span Sorted(std::vector<std::int32_t>& pool, std::vector<std::int32_t> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  const Span span{static_cast<std::uint32_t>(pool.size()),
                  static_cast<std::uint32_t>(values.size())};
  pool.insert(pool.end(), values.begin(), values.end());
  return span;
}

// "pride; veterans" -> trimmed lower-case tokens (the tokenisation of scoring.cc).
template <typename Fn>
void Tokens(const std::string& value, Fn fn) {
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

// The per-mentee half of the bound, computed once per row.
struct RowBound {
  const Features* a = nullptr;
  std::int32_t person = 0;
  std::uint32_t tin = 0;
  std::uint32_t tout = 0;
  std::int32_t seniority = 0;
  bool reverse = false;
  bool check_language = false;
  bool opted_background = false;
  std::array<std::int32_t, 3> skill{};  // up to three wanted skills in the level table
  std::array<std::int32_t, 3> own{};
  std::array<float, 3> skill_weight{};  // weight / wanted_total, scaled by the criterion weight
  std::array<float, 3> inv_range{};
  int table_skills = 0;                    // wanted skills read from the table (0..3)
  float skills_rest = 0;                   // bound of the skills term when not read from the table
  float rest = 0;                          // stage-two criteria at their largest value
  std::array<float, 64> seniority_term{};  // weighted seniority factor by gap + 32
  std::array<std::int32_t, 4> choice_mentor{-1, -1, -1, -1};
  std::array<float, 4> choice_term{};
  float choice_other = 0;  // bound for the choice term of every other mentor
};

}  // namespace

struct CandidateScorer::Data {
  MatchConfig config;
  std::vector<std::int32_t> mentees, mentors, capacity;
  std::vector<std::string> mentee_labels, mentor_labels;
  std::vector<Features> people;  // one per person
  std::vector<std::int32_t> ids;
  std::vector<Held> held;
  std::vector<Wanted> wanted;
  std::vector<Choice> choices;
  std::array<bool, kTags> small{};
  bool background_small = false;
  std::vector<std::int32_t> opposite_style;
  double base_weight = 0;
  double inv_base = 0;
  double inv_background = 0;
  double inv_full_overlap = 0;

  // Bound data.
  std::vector<MentorRecord> records;           // per mentor
  std::int32_t table_skills = 0;               // skills per level row; 0 = no table
  std::vector<std::uint8_t> levels;            // records.size() x table_skills
  std::vector<std::int32_t> mentor_of_person;  // person -> mentor index, or -1
  std::array<float, kCriterionCount> weight_f{};

  const std::int32_t* Ids(Span s) const { return ids.data() + s.begin; }

  void PrepareRow(std::int32_t person, RowBound& row) const;
  float Bound(const RowBound& row, std::int32_t j, float limit) const;

  int Common(int tag, const Features& a, const Features& b) const {
    if (small[static_cast<size_t>(tag)]) {
      return PopCount(a.mask[static_cast<size_t>(tag)] & b.mask[static_cast<size_t>(tag)]);
    }
    const Span sa = a.tags[static_cast<size_t>(tag)];
    const Span sb = b.tags[static_cast<size_t>(tag)];
    return CountCommon(Ids(sa), sa.size, Ids(sb), sb.size);
  }

  // The exact weight of people[pa] mentored by people[pb], or -1 when a hard rule excludes the
  // pair. The same rules and the same double arithmetic, in the same order, as scoring.cc.
  Weight Exact(std::int32_t pa, std::int32_t pb) const {
    if (pa == pb) return -1;
    const Features& a = people[static_cast<size_t>(pa)];
    const Features& b = people[static_cast<size_t>(pb)];
    if (config.exclude_reporting_line &&
        ((a.tin <= b.tin && b.tin <= a.tout) || (b.tin <= a.tin && a.tin <= b.tout))) {
      return -1;
    }
    if (a.blocked.size > 0 &&
        std::binary_search(Ids(a.blocked), Ids(a.blocked) + a.blocked.size, pb)) {
      return -1;
    }
    const bool both_languages = a.tags[kLanguages].size > 0 && b.tags[kLanguages].size > 0;
    const int languages_shared = both_languages ? Common(kLanguages, a, b) : 0;
    if (config.require_shared_language && both_languages && languages_shared == 0) return -1;
    if (config.format == Format::kInPerson && a.site >= 0 && b.site >= 0 && a.site != b.site) {
      return -1;
    }
    const bool same_department = a.department == b.department;
    const bool both_departments = a.department >= 0 && b.department >= 0;
    if (both_departments &&
        ((config.department_rule == DepartmentRule::kRequireCross && same_department) ||
         (config.department_rule == DepartmentRule::kRequireSame && !same_department))) {
      return -1;
    }
    const int gap =
        config.model == Model::kReverse ? a.seniority - b.seniority : b.seniority - a.seniority;
    if (gap < config.min_seniority_gap) return -1;
    double coverage = 0;
    bool direction = false;
    {
      const Wanted* w = wanted.data() + a.wanted.begin;
      const Held* h = held.data() + b.held.begin;
      std::uint32_t x = 0;
      std::uint32_t y = 0;
      while (x < a.wanted.size && y < b.held.size) {
        if (w[x].skill < h[y].skill) {
          ++x;
        } else if (h[y].skill < w[x].skill) {
          ++y;
        } else {
          direction |= h[y].level >= kDirectionLevel;
          const int ahead = h[y].level - w[x].own_level;
          if (ahead > 0) coverage += w[x].weight * std::min(1.0, ahead * double{w[x].inv_range});
          ++x;
          ++y;
        }
      }
    }
    if ((config.model == Model::kReverse || config.model == Model::kSkillBased) && !direction) {
      return -1;
    }
    const bool both_time_zones = a.has_time_zone && b.has_time_zone;
    const int zone = both_time_zones ? CircularMinutes(a.offset, b.offset) : 0;
    const bool both_available = a.avail_hours > 0 && b.avail_hours > 0;
    const int overlap = both_available ? PopCount(a.avail[0] & b.avail[0]) +
                                             PopCount(a.avail[1] & b.avail[1]) +
                                             PopCount(a.avail[2] & b.avail[2])
                                       : 0;
    if (config.max_time_zone_difference_hours && both_time_zones &&
        zone > *config.max_time_zone_difference_hours * 60) {
      return -1;
    }
    if (config.min_overlap_hours > 0 && both_available && overlap < config.min_overlap_hours) {
      return -1;
    }
    if (b.capacity <= 0) return -1;

    std::array<double, kCriterionCount> f{};
    auto set = [&f](Criterion c, double v) { f[static_cast<size_t>(c)] = v; };
    set(Criterion::kSkills, a.wanted.size == 0 ? kNeutral : coverage * a.inv_wanted_total);
    {
      const std::uint32_t na = a.tags[kGoals].size;
      const std::uint32_t nb = b.tags[kGoals].size;
      set(Criterion::kGoals,
          na == 0 || nb == 0 ? kNeutral : Common(kGoals, a, b) * (1.0 / static_cast<double>(na)));
    }
    for (const auto& [tag, criterion] : {std::pair{kInterests, Criterion::kInterests},
                                         std::pair{kLearning, Criterion::kLearning}}) {
      const std::uint32_t na = a.tags[tag].size;
      const std::uint32_t nb = b.tags[tag].size;
      if (na == 0 || nb == 0) {
        set(criterion, kNeutral);
      } else {
        const int common = Common(tag, a, b);
        set(criterion,
            common * (1.0 / static_cast<double>(na + nb - static_cast<std::uint32_t>(common))));
      }
    }
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
      auto diff = [&](size_t t) { return std::abs(double{a.big5[t]} - double{b.big5[t]}); };
      const double v =
          diff(0) + (1.0 - diff(1)) + diff(2) + (1.0 - diff(3)) + (1.0 - double{b.big5[4]});
      set(Criterion::kPersonality, v * 0.2);
    }
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
    set(Criterion::kTimeZone, both_time_zones ? 1.0 - zone * (1.0 / 720.0) : kNeutral);
    set(Criterion::kAvailability,
        both_available ? std::min(1.0, overlap * inv_full_overlap) : kNeutral);
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
    if (!both_departments || config.department_rule == DepartmentRule::kAny) {
      set(Criterion::kDepartment, kNeutral);
    } else {
      const bool want_same = config.department_rule == DepartmentRule::kPreferSame ||
                             config.department_rule == DepartmentRule::kRequireSame;
      set(Criterion::kDepartment, same_department == want_same ? 1.0 : 0.0);
    }
    {
      double v = 0;
      const Choice* c = choices.data() + a.choices.begin;
      for (std::uint32_t k = 0; k < a.choices.size; ++k) {
        if (c[k].mentor_person == pb) {
          v = ChoiceFactor(c[k].rank);
          break;
        }
      }
      set(Criterion::kMenteeChoice, v);
    }
    const bool background = a.opted_in && a.background.size > 0 && b.background.size > 0;
    set(Criterion::kSharedBackground, background
                                          ? CountCommon(Ids(a.background), a.background.size,
                                                        Ids(b.background), b.background.size) *
                                                (1.0 / static_cast<double>(a.background.size))
                                          : 0.0);
    double sum = 0;
    for (size_t c = 0; c < static_cast<size_t>(kCriterionCount); ++c) {
      sum += config.weights[c] * f[c];
    }
    return ScoreToWeight(std::clamp(sum * (background ? inv_background : inv_base), 0.0, 1.0));
  }
};

CandidateScorer::CandidateScorer(const std::vector<Person>& people, const MatchConfig& config)
    : d_(std::make_unique<Data>()) {
  Data& d = *d_;
  d.config = config;
  const auto n = static_cast<std::int32_t>(people.size());
  std::unordered_map<std::string, std::int32_t> by_id;
  by_id.reserve(people.size());
  for (std::int32_t p = 0; p < n; ++p) by_id.emplace(people[static_cast<size_t>(p)].id, p);

  for (std::int32_t p = 0; p < n; ++p) {
    const Person& person = people[static_cast<size_t>(p)];
    const bool can_mentor = person.mentor_capacity > 0;
    if (person.role == ProgramRole::kMentee) {
      d.mentees.push_back(p);
    } else if (person.role == ProgramRole::kMentor) {
      d.mentors.push_back(p);
    } else if (config.either_role == EitherRole::kBothSides) {
      d.mentees.push_back(p);
      if (can_mentor) d.mentors.push_back(p);
    } else if (can_mentor) {
      d.mentors.push_back(p);
    } else {
      d.mentees.push_back(p);
    }
  }

  Interner skills, sites, departments, styles, background;
  std::array<Interner, kTags> tags;
  d.people.resize(people.size());
  std::vector<std::int32_t> scratch;
  for (std::int32_t p = 0; p < n; ++p) {
    const Person& person = people[static_cast<size_t>(p)];
    Features& f = d.people[static_cast<size_t>(p)];
    f.seniority = person.seniority;
    f.site = person.site.empty() ? -1 : sites.Id(person.site);
    f.department = person.department.empty() ? -1 : departments.Id(person.department);
    f.style = person.communication_style.empty() ? -1 : styles.Id(person.communication_style);
    f.has_time_zone = !person.time_zone.empty();
    f.offset = person.utc_offset_minutes;
    f.capacity = std::max(0, person.mentor_capacity);
    f.meeting = person.meeting_preference;
    if (person.personality) {
      f.has_personality = true;
      const BigFive& b = *person.personality;
      f.big5 = {static_cast<float>(b.openness), static_cast<float>(b.conscientiousness),
                static_cast<float>(b.extraversion), static_cast<float>(b.agreeableness),
                static_cast<float>(b.neuroticism)};
    }
    for (int h = 0; h < kHoursPerWeek; ++h) {
      if (person.availability.test(static_cast<size_t>(h))) {
        f.avail[static_cast<size_t>(h / 64)] |= std::uint64_t{1} << (h % 64);
        ++f.avail_hours;
      }
    }
    const std::vector<std::string>* lists[kTags] = {
        &person.languages, &person.career_goals, &person.interests, &person.learning_preferences};
    for (int c = 0; c < kTags; ++c) {
      scratch.clear();
      for (const std::string& t : *lists[c]) {
        if (!t.empty()) scratch.push_back(tags[static_cast<size_t>(c)].Id(t));
      }
      f.tags[static_cast<size_t>(c)] = Sorted(d.ids, scratch);
    }
    // Skills are interned in Scorer's order (held, then wanted, person by person): the skills
    // factor sums its terms in skill id order, and the same order gives the same double.
    std::vector<Held> held;
    for (const SkillHeld& s : person.skills_held) {
      if (s.skill.empty()) continue;
      held.push_back(
          {skills.Id(s.skill), std::clamp(s.proficiency, kMinProficiency, kMaxProficiency)});
    }
    std::sort(held.begin(), held.end(), [](const Held& x, const Held& y) {
      return x.skill != y.skill ? x.skill < y.skill : x.level > y.level;
    });
    held.erase(std::unique(held.begin(), held.end(),
                           [](const Held& x, const Held& y) { return x.skill == y.skill; }),
               held.end());
    f.held = {static_cast<std::uint32_t>(d.held.size()), static_cast<std::uint32_t>(held.size())};
    d.held.insert(d.held.end(), held.begin(), held.end());
    std::vector<Wanted> wanted;
    for (const SkillWanted& s : person.skills_wanted) {
      if (s.skill.empty()) continue;
      Wanted w;
      w.skill = skills.Id(s.skill);
      w.priority = std::max(1, s.priority);
      wanted.push_back(w);
    }
    std::sort(wanted.begin(), wanted.end(), [](const Wanted& x, const Wanted& y) {
      return x.skill != y.skill ? x.skill < y.skill : x.priority < y.priority;
    });
    wanted.erase(std::unique(wanted.begin(), wanted.end(),
                             [](const Wanted& x, const Wanted& y) { return x.skill == y.skill; }),
                 wanted.end());
    for (Wanted& w : wanted) {
      auto it = std::lower_bound(held.begin(), held.end(), w.skill,
                                 [](const Held& h, std::int32_t s) { return h.skill < s; });
      w.own_level = (it != held.end() && it->skill == w.skill) ? it->level : 0;
      w.weight = 1.0f / static_cast<float>(w.priority);
      const int target =
          std::min(kMaxProficiency, std::max(w.own_level + kSkillLead, kSkillTarget));
      w.inv_range = target > w.own_level ? 1.0f / static_cast<float>(target - w.own_level) : 0.0f;
      f.wanted_total += w.weight;
    }
    f.inv_wanted_total = f.wanted_total > 0 ? 1.0 / double{f.wanted_total} : 0.0;
    f.wanted = {static_cast<std::uint32_t>(d.wanted.size()),
                static_cast<std::uint32_t>(wanted.size())};
    d.wanted.insert(d.wanted.end(), wanted.begin(), wanted.end());
    scratch.clear();
    for (const auto& [key, value] : person.self_described) {
      Tokens(value, [&](const std::string& token) {
        scratch.push_back(background.Id(key + "=" + token));
      });
    }
    f.background = Sorted(d.ids, scratch);
    f.opted_in = person.prefer_shared_background;
    f.choices.begin = static_cast<std::uint32_t>(d.choices.size());
    for (size_t r = 0; r < person.preferred_mentors.size(); ++r) {
      auto it = by_id.find(person.preferred_mentors[r]);
      if (it == by_id.end()) continue;
      const bool seen = std::any_of(d.choices.begin() + f.choices.begin, d.choices.end(),
                                    [&](const Choice& c) { return c.mentor_person == it->second; });
      if (!seen) d.choices.push_back({it->second, static_cast<std::int32_t>(r + 1)});
    }
    f.choices.size = static_cast<std::uint32_t>(d.choices.size()) - f.choices.begin;
  }
  for (int c = 0; c < kTags; ++c)
    d.small[static_cast<size_t>(c)] = tags[static_cast<size_t>(c)].size() <= 64;
  d.background_small = background.size() <= 64;
  for (Features& f : d.people) {
    for (int c = 0; c < kTags; ++c) {
      if (!d.small[static_cast<size_t>(c)]) continue;
      const Span s = f.tags[static_cast<size_t>(c)];
      for (std::uint32_t k = 0; k < s.size; ++k) {
        f.mask[static_cast<size_t>(c)] |= std::uint64_t{1} << d.ids[s.begin + k];
      }
    }
    if (d.background_small) {
      for (std::uint32_t k = 0; k < f.background.size; ++k) {
        f.background_mask |= std::uint64_t{1} << d.ids[f.background.begin + k];
      }
    }
  }
  d.opposite_style.assign(static_cast<size_t>(styles.size()), -1);
  const std::pair<const char*, const char*> opposites[] = {{"direct", "reflective"},
                                                           {"expressive", "analytical"}};
  for (std::int32_t s = 0; s < styles.size(); ++s) {
    for (const auto& [x, y] : opposites) {
      const std::string& name = styles.name(s);
      const char* other = name == x ? y : (name == y ? x : nullptr);
      if (other == nullptr) continue;
      for (std::int32_t t = 0; t < styles.size(); ++t) {
        if (styles.name(t) == other) d.opposite_style[static_cast<size_t>(s)] = t;
      }
    }
  }
  {
    std::vector<std::pair<std::int32_t, std::int32_t>> blocked;
    for (const auto& [mentee_id, mentor_id] : config.blocked_pairs) {
      auto a = by_id.find(mentee_id);
      auto b = by_id.find(mentor_id);
      if (a != by_id.end() && b != by_id.end()) blocked.emplace_back(a->second, b->second);
    }
    std::sort(blocked.begin(), blocked.end());
    blocked.erase(std::unique(blocked.begin(), blocked.end()), blocked.end());
    for (size_t k = 0; k < blocked.size();) {
      Features& f = d.people[static_cast<size_t>(blocked[k].first)];
      f.blocked.begin = static_cast<std::uint32_t>(d.ids.size());
      const std::int32_t mentee = blocked[k].first;
      for (; k < blocked.size() && blocked[k].first == mentee; ++k)
        d.ids.push_back(blocked[k].second);
      f.blocked.size = static_cast<std::uint32_t>(d.ids.size()) - f.blocked.begin;
    }
  }
  // Reporting forest as preorder intervals; a manager cycle is cut where the walk meets it.
  {
    std::vector<std::int32_t> parent(people.size(), -1);
    for (std::int32_t p = 0; p < n; ++p) {
      const std::string& manager = people[static_cast<size_t>(p)].manager_id;
      if (manager.empty()) continue;
      auto it = by_id.find(manager);
      if (it != by_id.end() && it->second != p) parent[static_cast<size_t>(p)] = it->second;
    }
    std::vector<std::uint8_t> state(people.size(), 0);
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
    std::vector<std::vector<std::int32_t>> children(people.size());
    for (std::int32_t p = 0; p < n; ++p) {
      if (parent[static_cast<size_t>(p)] >= 0) {
        children[static_cast<size_t>(parent[static_cast<size_t>(p)])].push_back(p);
      }
    }
    // Subtree intervals: only containment matters, so any preorder gives the same answers.
    std::uint32_t clock = 0;
    std::vector<std::pair<std::int32_t, size_t>> stack;
    for (std::int32_t root = 0; root < n; ++root) {
      if (parent[static_cast<size_t>(root)] >= 0) continue;
      d.people[static_cast<size_t>(root)].tin = clock++;
      stack.emplace_back(root, 0);
      while (!stack.empty()) {
        auto& [v, next] = stack.back();
        const auto& kids = children[static_cast<size_t>(v)];
        if (next < kids.size()) {
          const std::int32_t c = kids[next++];
          d.people[static_cast<size_t>(c)].tin = clock++;
          stack.emplace_back(c, 0);
        } else {
          d.people[static_cast<size_t>(v)].tout = clock - 1;
          stack.pop_back();
        }
      }
    }
  }
  for (int c = 0; c < kCriterionCount; ++c) {
    if (c != static_cast<int>(Criterion::kSharedBackground)) {
      d.base_weight += config.weights[static_cast<size_t>(c)];
    }
    d.weight_f[static_cast<size_t>(c)] = static_cast<float>(config.weights[static_cast<size_t>(c)]);
  }
  const double with_background = d.base_weight + config.weight(Criterion::kSharedBackground);
  d.inv_base = d.base_weight > 0 ? 1.0 / d.base_weight : 0.0;
  d.inv_background = with_background > 0 ? 1.0 / with_background : 0.0;
  d.inv_full_overlap = 1.0 / std::max(1, config.full_overlap_hours);

  // Instance view and the mentor records for the bound.
  for (std::int32_t p : d.mentees) d.mentee_labels.push_back(people[static_cast<size_t>(p)].id);
  d.mentor_of_person.assign(people.size(), -1);
  d.table_skills = skills.size() <= kMaxTableSkills ? std::max<std::int32_t>(1, skills.size()) : 0;
  d.levels.assign(d.mentors.size() * static_cast<size_t>(d.table_skills), 0);
  for (size_t j = 0; j < d.mentors.size(); ++j) {
    const std::int32_t p = d.mentors[j];
    const Features& f = d.people[static_cast<size_t>(p)];
    d.mentor_labels.push_back(people[static_cast<size_t>(p)].id);
    d.capacity.push_back(f.capacity);
    d.mentor_of_person[static_cast<size_t>(p)] = static_cast<std::int32_t>(j);
    MentorRecord r;
    r.avail = f.avail;
    r.mask = f.mask;
    r.background_mask = f.background_mask;
    r.big5 = f.big5;
    r.tin = f.tin;
    r.tout = f.tout;
    r.person = p;
    r.offset = f.offset;
    r.seniority = f.seniority;
    r.site = f.site;
    r.department = f.department;
    r.style = f.style;
    for (int c = 0; c < kTags; ++c) {
      r.count[static_cast<size_t>(c)] = static_cast<std::uint16_t>(
          std::min<std::uint32_t>(f.tags[static_cast<size_t>(c)].size, 65535));
    }
    r.background_count =
        static_cast<std::uint16_t>(std::min<std::uint32_t>(f.background.size, 65535));
    r.meeting = f.meeting;
    r.has_time_zone = f.has_time_zone;
    r.has_personality = f.has_personality;
    r.available = f.avail_hours > 0;
    r.has_capacity = f.capacity > 0;
    d.records.push_back(r);
    if (d.table_skills > 0) {
      for (std::uint32_t k = 0; k < f.held.size; ++k) {
        const Held& h = d.held[f.held.begin + k];
        d.levels[j * static_cast<size_t>(d.table_skills) + static_cast<size_t>(h.skill)] =
            static_cast<std::uint8_t>(h.level);
      }
    }
  }
}

CandidateScorer::~CandidateScorer() = default;

std::int32_t CandidateScorer::num_mentees() const {
  return static_cast<std::int32_t>(d_->mentees.size());
}
std::int32_t CandidateScorer::num_mentors() const {
  return static_cast<std::int32_t>(d_->mentors.size());
}
const std::vector<std::int32_t>& CandidateScorer::mentees() const { return d_->mentees; }
const std::vector<std::int32_t>& CandidateScorer::mentors() const { return d_->mentors; }
const std::vector<std::int32_t>& CandidateScorer::capacity() const { return d_->capacity; }
const std::vector<std::string>& CandidateScorer::mentee_labels() const { return d_->mentee_labels; }
const std::vector<std::string>& CandidateScorer::mentor_labels() const { return d_->mentor_labels; }

Weight CandidateScorer::PairWeight(std::int32_t i, std::int32_t j) const {
  return d_->Exact(d_->mentees[static_cast<size_t>(i)], d_->mentors[static_cast<size_t>(j)]);
}

void CandidateScorer::Data::PrepareRow(std::int32_t person, RowBound& row) const {
  const Features& a = people[static_cast<size_t>(person)];
  const auto w = [this](Criterion c) { return weight_f[static_cast<size_t>(c)]; };
  row = RowBound{};
  row.a = &a;
  row.person = person;
  row.tin = a.tin;
  row.tout = a.tout;
  row.seniority = a.seniority;
  row.reverse = config.model == Model::kReverse;
  row.check_language = small[kLanguages];
  row.opted_background = a.opted_in && a.background.size > 0;
  float rest = 0;
  // Skills: up to three wanted skills read from the level table, any others at full coverage.
  if (a.wanted.size == 0) {
    rest += w(Criterion::kSkills) * static_cast<float>(kNeutral);
  } else {
    const auto inv_total = static_cast<float>(a.inv_wanted_total);
    for (std::uint32_t k = 0; k < a.wanted.size; ++k) {
      const Wanted& x = wanted[a.wanted.begin + k];
      const float term = w(Criterion::kSkills) * x.weight * inv_total;
      if (table_skills > 0 && row.table_skills < 3) {
        const auto t = static_cast<size_t>(row.table_skills++);
        row.skill[t] = x.skill;
        row.own[t] = x.own_level;
        row.skill_weight[t] = term;
        row.inv_range[t] = x.inv_range;
      } else {
        row.skills_rest += term;
      }
    }
  }
  for (int gap = -32; gap < 32; ++gap) {
    row.seniority_term[static_cast<size_t>(gap + 32)] =
        w(Criterion::kSeniority) * static_cast<float>(SeniorityFactor(gap));
  }
  // The mentee's choices (a bonus for at most a few named mentors).
  if (a.choices.size <= row.choice_mentor.size()) {
    for (std::uint32_t k = 0; k < a.choices.size; ++k) {
      const Choice& c = choices[a.choices.begin + k];
      row.choice_mentor[k] = mentor_of_person[static_cast<size_t>(c.mentor_person)];
      row.choice_term[k] = w(Criterion::kMenteeChoice) * static_cast<float>(ChoiceFactor(c.rank));
    }
  } else {
    row.choice_other = w(Criterion::kMenteeChoice);  // the largest choice factor is 1
  }
  // Stage two at its largest: goals, interests, learning, personality.
  for (const auto& [tag, criterion] :
       {std::pair{kGoals, Criterion::kGoals}, std::pair{kInterests, Criterion::kInterests},
        std::pair{kLearning, Criterion::kLearning}}) {
    row.rest += w(criterion) * (a.tags[tag].size == 0 ? static_cast<float>(kNeutral) : 1.0f);
  }
  row.rest +=
      w(Criterion::kPersonality) * (a.has_personality ? 1.0f : static_cast<float>(kNeutral));
  row.rest += rest;
}

float CandidateScorer::Data::Bound(const RowBound& row, std::int32_t j, float limit) const {
  const MentorRecord& b = records[static_cast<size_t>(j)];
  const Features& a = *row.a;
  if (!b.has_capacity || b.person == row.person) return -1;
  const int gap = row.reverse ? row.seniority - b.seniority : b.seniority - row.seniority;
  if (gap < config.min_seniority_gap) return -1;
  if (config.exclude_reporting_line &&
      ((row.tin <= b.tin && b.tin <= row.tout) || (b.tin <= row.tin && row.tin <= b.tout))) {
    return -1;
  }
  // Weekly overlap early: with a minimum overlap it is the rule that excludes the most pairs.
  const bool both_available = a.avail_hours > 0 && b.available;
  int overlap = 0;
  if (both_available) {
    overlap = PopCount(a.avail[0] & b.avail[0]) + PopCount(a.avail[1] & b.avail[1]) +
              PopCount(a.avail[2] & b.avail[2]);
    if (config.min_overlap_hours > 0 && overlap < config.min_overlap_hours) return -1;
  }
  const auto w = [this](Criterion c) { return weight_f[static_cast<size_t>(c)]; };
  float s = row.rest + row.skills_rest + row.choice_other;
  // Language.
  {
    const bool both = a.tags[kLanguages].size > 0 && b.count[kLanguages] > 0;
    if (!both) {
      s += w(Criterion::kLanguage) * static_cast<float>(kNeutral);
    } else if (row.check_language) {
      const bool shared = (a.mask[kLanguages] & b.mask[kLanguages]) != 0;
      if (!shared && config.require_shared_language) return -1;
      s += shared ? w(Criterion::kLanguage) : 0.0f;
    } else {
      s += w(Criterion::kLanguage);
    }
  }
  // Site and department rules, location, department and communication.
  if (a.site < 0 || b.site < 0) {
    s += w(Criterion::kLocation) * static_cast<float>(kNeutral);
  } else if (a.site == b.site) {
    s += w(Criterion::kLocation);
  } else if (config.format == Format::kInPerson) {
    return -1;
  } else if (config.format == Format::kVirtual || (a.meeting != MeetingPreference::kInPerson &&
                                                   b.meeting != MeetingPreference::kInPerson)) {
    s += w(Criterion::kLocation) * 0.5f;
  }
  if (a.department < 0 || b.department < 0 || config.department_rule == DepartmentRule::kAny) {
    s += w(Criterion::kDepartment) * static_cast<float>(kNeutral);
  } else {
    const bool same = a.department == b.department;
    if ((config.department_rule == DepartmentRule::kRequireCross && same) ||
        (config.department_rule == DepartmentRule::kRequireSame && !same)) {
      return -1;
    }
    const bool want_same = config.department_rule == DepartmentRule::kPreferSame ||
                           config.department_rule == DepartmentRule::kRequireSame;
    if (same == want_same) s += w(Criterion::kDepartment);
  }
  if (a.style < 0 || b.style < 0) {
    s += w(Criterion::kCommunication) * static_cast<float>(kNeutral);
  } else if (config.communication_mode == StyleMode::kSimilar) {
    if (a.style == b.style) s += w(Criterion::kCommunication);
  } else if (a.style != b.style) {
    s += w(Criterion::kCommunication) *
         (opposite_style[static_cast<size_t>(a.style)] == b.style ? 1.0f : 0.5f);
  }
  // Time zone and weekly overlap.
  if (a.has_time_zone && b.has_time_zone) {
    const int zone = CircularMinutes(a.offset, b.offset);
    if (config.max_time_zone_difference_hours &&
        zone > *config.max_time_zone_difference_hours * 60) {
      return -1;
    }
    s += w(Criterion::kTimeZone) * (1.0f - static_cast<float>(zone) * (1.0f / 720.0f));
  } else {
    s += w(Criterion::kTimeZone) * static_cast<float>(kNeutral);
  }
  if (both_available) {
    s += w(Criterion::kAvailability) *
         std::min(1.0f, static_cast<float>(overlap) * static_cast<float>(inv_full_overlap));
  } else {
    s += w(Criterion::kAvailability) * static_cast<float>(kNeutral);
  }
  s += (gap >= -32 && gap < 32)
           ? row.seniority_term[static_cast<size_t>(gap + 32)]
           : w(Criterion::kSeniority) * static_cast<float>(SeniorityFactor(gap));
  // Skills from the level table.
  if (row.table_skills > 0) {
    const std::uint8_t* level =
        levels.data() + static_cast<size_t>(j) * static_cast<size_t>(table_skills);
    for (int t = 0; t < row.table_skills; ++t) {
      const int ahead = level[row.skill[static_cast<size_t>(t)]] - row.own[static_cast<size_t>(t)];
      if (ahead > 0) {
        s += row.skill_weight[static_cast<size_t>(t)] *
             std::min(1.0f, static_cast<float>(ahead) * row.inv_range[static_cast<size_t>(t)]);
      }
    }
  }
  for (size_t k = 0; k < row.choice_mentor.size(); ++k) {
    if (row.choice_mentor[k] == j) s += row.choice_term[k];
  }
  const bool background = row.opted_background && b.background_count > 0;
  const auto inv_base_f = static_cast<float>(inv_base);
  const auto inv_background_f = static_cast<float>(inv_background);
  const float bound =
      (background ? (s + w(Criterion::kSharedBackground)) * inv_background_f : s * inv_base_f) +
      kBoundMargin;
  if (bound < limit) return bound;

  // Stage two: replace the largest values by the (float) factors.
  s -= row.rest;
  auto share = [&](int tag, Criterion c, bool jaccard) {
    const std::uint32_t na = a.tags[static_cast<size_t>(tag)].size;
    const std::uint32_t nb = b.count[static_cast<size_t>(tag)];
    if (na == 0 || nb == 0) return w(c) * static_cast<float>(kNeutral);
    if (!small[static_cast<size_t>(tag)]) return w(c);
    const int common =
        PopCount(a.mask[static_cast<size_t>(tag)] & b.mask[static_cast<size_t>(tag)]);
    const std::uint32_t den = jaccard ? na + nb - static_cast<std::uint32_t>(common) : na;
    return w(c) * static_cast<float>(common) / static_cast<float>(den);
  };
  s += share(kGoals, Criterion::kGoals, false);
  s += share(kInterests, Criterion::kInterests, true);
  s += share(kLearning, Criterion::kLearning, true);
  if (!a.has_personality || !b.has_personality) {
    s += w(Criterion::kPersonality) * static_cast<float>(kNeutral);
  } else if (config.personality_mode == StyleMode::kSimilar) {
    float sq = 0;
    for (size_t t = 0; t < 5; ++t) {
      const float x = a.big5[t] - b.big5[t];
      sq += x * x;
    }
    s += w(Criterion::kPersonality) * (1.0f - std::sqrt(sq * 0.2f));
  } else {
    auto diff = [&](size_t t) { return std::abs(a.big5[t] - b.big5[t]); };
    s += w(Criterion::kPersonality) *
         ((diff(0) + (1.0f - diff(1)) + diff(2) + (1.0f - diff(3)) + (1.0f - b.big5[4])) * 0.2f);
  }
  if (!background) return s * inv_base_f + kBoundMargin;
  float factor = 1.0f;
  if (background_small) {
    factor = static_cast<float>(PopCount(a.background_mask & b.background_mask)) /
             static_cast<float>(a.background.size);
  }
  return (s + w(Criterion::kSharedBackground) * factor) * inv_background_f + kBoundMargin;
}

Weight CandidateScorer::WeightBound(std::int32_t i, std::int32_t j) const {
  RowBound row;
  d_->PrepareRow(d_->mentees[static_cast<size_t>(i)], row);
  const float bound = d_->Bound(row, j, -1.0f);
  if (bound < 0) return -1;
  return ScoreToWeight(static_cast<double>(bound));
}

namespace {

// Keeps the best k (weight descending, mentor ascending) of the pairs offered in increasing
// mentor order: a later mentor of equal weight never displaces a kept one.
class TopK {
 public:
  explicit TopK(std::int32_t k) : k_(static_cast<size_t>(k)) { heap_.reserve(k_); }
  bool full() const { return heap_.size() == k_; }
  Weight worst() const { return heap_.front().first; }
  void Offer(Weight w, std::int32_t j) {
    if (!full()) {
      heap_.emplace_back(w, j);
      std::push_heap(heap_.begin(), heap_.end(), Better);
    } else if (w > worst()) {
      std::pop_heap(heap_.begin(), heap_.end(), Better);
      heap_.back() = {w, j};
      std::push_heap(heap_.begin(), heap_.end(), Better);
    }
  }
  // Best first.
  std::vector<std::pair<Weight, std::int32_t>> Sorted() {
    std::sort(heap_.begin(), heap_.end(), Better);
    return heap_;
  }
  void Clear() { heap_.clear(); }

 private:
  // The heap's front is the worst kept pair.
  static bool Better(const std::pair<Weight, std::int32_t>& x,
                     const std::pair<Weight, std::int32_t>& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  }
  size_t k_;
  std::vector<std::pair<Weight, std::int32_t>> heap_;
};

// The score below which a pair cannot beat weight w (its rounded weight would be <= w).
float LimitAbove(Weight w) {
  return static_cast<float>((static_cast<double>(w) + 0.5) / static_cast<double>(kScoreScale));
}

}  // namespace

std::optional<CandidateLists> CandidateScorer::Best(std::int32_t k, int threads,
                                                    const ProgressFn& progress,
                                                    const std::atomic<bool>* cancel) const {
  const Data& d = *d_;
  k = std::max(1, k);
  const auto n = static_cast<std::int32_t>(d.mentees.size());
  const auto m = static_cast<std::int32_t>(d.mentors.size());
  CandidateLists out;
  out.k = k;
  out.start.assign(static_cast<size_t>(n) + 1, 0);
  // Every row reserves k slots; rows are compacted at the end.
  std::vector<std::int32_t> mentor(static_cast<size_t>(n) * static_cast<size_t>(k));
  std::vector<Weight> weight(mentor.size());
  std::vector<std::int32_t> count(static_cast<size_t>(n), 0);
  out.complete.assign(static_cast<size_t>(n), 0);
  const std::int32_t chunks = (n + kMenteeChunk - 1) / kMenteeChunk;
  std::atomic<std::int64_t> bounded{0};
  std::atomic<std::int64_t> exact{0};
  auto work = [&](std::int64_t chunk) {
    const auto lo = static_cast<std::int32_t>(chunk) * kMenteeChunk;
    const std::int32_t hi = std::min(n, lo + kMenteeChunk);
    std::vector<RowBound> rows(static_cast<size_t>(hi - lo));
    std::vector<TopK> tops(static_cast<size_t>(hi - lo), TopK(k));
    std::vector<float> limit(static_cast<size_t>(hi - lo), -1.0f);
    for (std::int32_t i = lo; i < hi; ++i)
      d.PrepareRow(d.mentees[static_cast<size_t>(i)], rows[static_cast<size_t>(i - lo)]);
    std::int64_t local_bounded = 0;
    std::int64_t local_exact = 0;
    for (std::int32_t jb = 0; jb < m; jb += kMentorBlock) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return;
      const std::int32_t je = std::min(m, jb + kMentorBlock);
      for (std::int32_t i = lo; i < hi; ++i) {
        const auto r = static_cast<size_t>(i - lo);
        const RowBound& row = rows[r];
        TopK& top = tops[r];
        float lim = limit[r];
        for (std::int32_t j = jb; j < je; ++j) {
          const float bound = d.Bound(row, j, lim);
          if (bound < 0) continue;
          ++local_bounded;
          if (bound < lim) continue;
          ++local_exact;
          const Weight w = d.Exact(row.person, d.mentors[static_cast<size_t>(j)]);
          if (w < 0) continue;
          top.Offer(w, j);
          if (top.full()) lim = LimitAbove(top.worst());
        }
        limit[r] = lim;
      }
    }
    for (std::int32_t i = lo; i < hi; ++i) {
      const auto r = static_cast<size_t>(i - lo);
      const auto best = tops[r].Sorted();
      const size_t base = static_cast<size_t>(i) * static_cast<size_t>(k);
      for (size_t q = 0; q < best.size(); ++q) {
        weight[base + q] = best[q].first;
        mentor[base + q] = best[q].second;
      }
      count[static_cast<size_t>(i)] = static_cast<std::int32_t>(best.size());
      out.complete[static_cast<size_t>(i)] = best.size() < static_cast<size_t>(k) ? 1 : 0;
    }
    bounded += local_bounded;
    exact += local_exact;
  };
  if (progress) progress("candidates", 0.0);
  if (!internal::ParallelFor(chunks, internal::ThreadCount(threads), work, progress, "candidates",
                             cancel)) {
    return std::nullopt;
  }
  for (std::int32_t i = 0; i < n; ++i) {
    out.start[static_cast<size_t>(i) + 1] =
        out.start[static_cast<size_t>(i)] + count[static_cast<size_t>(i)];
  }
  out.mentor.reserve(static_cast<size_t>(out.start.back()));
  out.weight.reserve(static_cast<size_t>(out.start.back()));
  for (std::int32_t i = 0; i < n; ++i) {
    const size_t base = static_cast<size_t>(i) * static_cast<size_t>(k);
    for (std::int32_t q = 0; q < count[static_cast<size_t>(i)]; ++q) {
      out.mentor.push_back(mentor[base + static_cast<size_t>(q)]);
      out.weight.push_back(weight[base + static_cast<size_t>(q)]);
    }
  }
  out.pairs_bounded = bounded.load();
  out.pairs_exact = exact.load();
  if (progress) progress("candidates", 1.0);
  return out;
}

std::int64_t CandidateScorer::ScanRow(
    std::int32_t i, const std::int32_t* order, std::int32_t count, const std::vector<Weight>& limit,
    Weight offset, const std::function<void(std::int32_t, Weight)>& found) const {
  const Data& d = *d_;
  RowBound row;
  d.PrepareRow(d.mentees[static_cast<size_t>(i)], row);
  std::int64_t bounded = 0;
  for (std::int32_t q = 0; q < count; ++q) {
    const std::int32_t j = order[q];
    const Weight lim = limit[static_cast<size_t>(j)] + offset;
    if (lim >= kScoreScale) continue;  // no weight exceeds kScoreScale
    const float need = lim < 0 ? -1.0f : LimitAbove(lim);
    const float bound = d.Bound(row, j, need);
    ++bounded;
    if (bound < 0 || bound < need) continue;
    const Weight w = d.Exact(row.person, d.mentors[static_cast<size_t>(j)]);
    if (w >= 0 && w > lim) found(j, w);
  }
  return bounded;
}

std::vector<std::pair<Weight, std::int32_t>> CandidateScorer::NextBest(std::int32_t i,
                                                                       Weight after_weight,
                                                                       std::int32_t after_mentor,
                                                                       std::int32_t k) const {
  const Data& d = *d_;
  k = std::max(1, k);
  RowBound row;
  d.PrepareRow(d.mentees[static_cast<size_t>(i)], row);
  TopK top(k);
  float lim = -1.0f;
  const auto m = static_cast<std::int32_t>(d.mentors.size());
  for (std::int32_t j = 0; j < m; ++j) {
    const float bound = d.Bound(row, j, lim);
    if (bound < 0 || bound < lim) continue;
    const Weight w = d.Exact(row.person, d.mentors[static_cast<size_t>(j)]);
    if (w < 0) continue;
    // Only pairs after (after_weight, after_mentor): lower weight, or equal and a higher index.
    if (w > after_weight || (w == after_weight && j <= after_mentor)) continue;
    top.Offer(w, j);
    if (top.full()) lim = LimitAbove(top.worst());
  }
  return top.Sorted();
}

}  // namespace tandem::matching
