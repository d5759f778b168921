#include "sample/organization.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string_view>
#include <utility>

namespace tandem::sample {

namespace {

// xoshiro256** seeded by splitmix64: fast, and the same numbers on every platform (std
// distributions are implementation-defined, so we use our own helpers below).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      word = z ^ (z >> 31);
    }
  }

  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n); REQUIRES: 0 < n < 2^32.
  int Below(int n) {
    return static_cast<int>(((Next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) { return Uniform() < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Below(static_cast<int>(items.size())))];
  }
  // Index drawn with the given (non-negative, not all zero) weights.
  int Weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(weights.size()) - 1;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

struct Department {
  const char* name;
  double weight;  // relative head count
  const char* role;
  std::vector<std::string> skills;
};

const std::vector<Department>& Departments() {
  // The first eight are always present; the last four join as the count grows.
  static const std::vector<Department> kDepartments = {
      {"Engineering",
       30,
       "Software Engineer",
       {"python", "c++", "java", "system design", "cloud architecture", "kubernetes", "testing",
        "code review", "databases", "distributed systems", "frontend development", "devops"}},
      {"Sales",
       14,
       "Account Executive",
       {"negotiation", "prospecting", "account management", "sales forecasting", "crm",
        "solution selling", "contract management"}},
      {"Finance",
       6,
       "Financial Analyst",
       {"financial modeling", "budgeting", "accounting", "forecasting", "excel", "risk management",
        "audit", "tax"}},
      {"Operations",
       8,
       "Operations Specialist",
       {"process improvement", "supply chain", "project management", "vendor management", "lean",
        "logistics"}},
      {"Marketing",
       7,
       "Marketing Specialist",
       {"content marketing", "seo", "brand strategy", "campaign management", "social media",
        "copywriting", "marketing analytics"}},
      {"Product",
       6,
       "Product Manager",
       {"product strategy", "roadmapping", "user research", "prioritization", "data analysis",
        "a/b testing", "product discovery"}},
      {"People",
       4,
       "People Partner",
       {"recruiting", "employee relations", "compensation", "talent development", "coaching",
        "labor law", "onboarding"}},
      {"Customer Success",
       9,
       "Customer Success Manager",
       {"customer onboarding", "account management", "escalation handling", "product training",
        "churn analysis"}},
      {"Design",
       4,
       "Product Designer",
       {"ux design", "visual design", "prototyping", "user research", "design systems",
        "accessibility"}},
      {"Data",
       6,
       "Data Scientist",
       {"sql", "python", "statistics", "machine learning", "data visualization", "data engineering",
        "experimentation"}},
      {"Legal",
       2,
       "Legal Counsel",
       {"contract law", "compliance", "privacy law", "intellectual property", "negotiation",
        "litigation"}},
      {"Security",
       3,
       "Security Engineer",
       {"threat modeling", "incident response", "security engineering", "cloud security",
        "penetration testing", "compliance"}},
  };
  return kDepartments;
}

const std::vector<double> kSiteWeights = {30, 22, 18, 12, 8, 6, 6, 5};

const std::vector<std::string> kCommonSkills = {"leadership",
                                                "public speaking",
                                                "stakeholder management",
                                                "project management",
                                                "coaching",
                                                "presentation",
                                                "time management",
                                                "strategic thinking",
                                                "conflict resolution",
                                                "negotiation",
                                                "writing",
                                                "people management"};
// Skills juniors often hold and seniors want (reverse mentoring).
const std::vector<std::string> kModernSkills = {"generative ai", "social media",
                                                "data visualization", "no-code automation",
                                                "remote collaboration tools"};
const std::vector<std::string> kJuniorGoals = {
    "promotion",       "deep expertise", "technical leadership",
    "public speaking", "networking",     "career change"};
const std::vector<std::string> kMidGoals = {"people management", "cross-functional influence",
                                            "international assignment", "work-life balance",
                                            "starting a team"};
const std::vector<std::string> kSeniorGoals = {"executive presence", "board readiness",
                                               "organizational change", "entrepreneurship"};
const std::vector<std::string> kInterests = {
    "hiking",      "chess",          "cooking",      "photography", "running",  "music",
    "reading",     "gaming",         "volunteering", "gardening",   "cycling",  "travel",
    "yoga",        "painting",       "football",     "climbing",    "podcasts", "film",
    "board games", "sustainability", "languages",    "history",     "theatre",  "swimming",
    "tennis",      "writing",        "astronomy",    "woodworking", "dance",    "basketball"};
const std::vector<std::string> kLearning = {"hands-on",  "discussion", "reading",
                                            "shadowing", "structured", "visual"};
const std::vector<std::string> kStyles = {"direct", "reflective", "expressive", "analytical"};
const std::vector<std::string> kExtraLanguages = {"french",   "spanish", "german",
                                                  "mandarin", "arabic",  "italian"};
const std::vector<std::string> kFirstNames = {
    "Amara", "Ben",    "Chen",    "Daniela", "Elif",   "Farid",  "Grace",  "Hiroshi", "Ines",
    "Jonas", "Kavya",  "Lucas",   "Maya",    "Noah",   "Olga",   "Priya",  "Quentin", "Rosa",
    "Samir", "Tanja",  "Umar",    "Vera",    "Wei",    "Ximena", "Yusuf",  "Zoe",     "Aiko",
    "Bruno", "Carla",  "Dev",     "Emma",    "Felipe", "Greta",  "Hassan", "Ivy",     "Jamal",
    "Keiko", "Lena",   "Mateo",   "Nadia",   "Oscar",  "Paula",  "Rahul",  "Sofia",   "Tomas",
    "Uma",   "Viktor", "Wanjiru", "Yara",    "Arjun",  "Chloe",  "Diego",  "Fatima",  "Gabriel"};
const std::vector<std::string> kLastNames = {
    "Okafor", "Schmidt",  "Wang",   "Silva",  "Yilmaz",  "Rahman",   "Kim",       "Tanaka",
    "Garcia", "Becker",   "Iyer",   "Martin", "Cohen",   "Novak",    "Ivanova",   "Sharma",
    "Dubois", "Rossi",    "Haddad", "Weber",  "Khan",    "Petrov",   "Li",        "Lopez",
    "Demir",  "Smith",    "Sato",   "Costa",  "Fischer", "Patel",    "Johnson",   "Santos",
    "Nguyen", "Muller",   "Ali",    "Brown",  "Suzuki",  "Wagner",   "Fernandes", "Chen",
    "Mensah", "Hoffmann", "Reddy",  "Lee",    "Moreau",  "Kowalski", "Andersen",  "Tan"};
const std::vector<std::string> kEmployeeGroups = {
    "parents",           "pride", "veterans", "women in tech", "first generation professionals",
    "disability network"};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
  }
  return out;
}

std::string Title(int seniority, bool manager, const Department& department) {
  if (seniority >= 10) return "Chief Executive Officer";
  const std::string dept = department.name;
  if (manager) {
    if (seniority >= 9) return "VP " + dept;
    if (seniority == 8) return "Director of " + dept;
    if (seniority == 7) return "Senior " + dept + " Manager";
    return dept + " Manager";
  }
  const std::string role = department.role;
  switch (seniority) {
    case 1:
      return "Junior " + role;
    case 2:
    case 3:
      return role;
    case 4:
      return "Senior " + role;
    case 5:
      return "Staff " + role;
    default:
      return "Principal " + role;
  }
}

// Adds `value` unless present.
void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

int FloorDiv(int a, int b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

}  // namespace

const std::vector<SampleSite>& SampleSites() {
  static const std::vector<SampleSite> kSites = {
      {"Berlin", "Europe/Berlin", 60, {"german"}},
      {"New York", "America/New_York", -300, {}},
      {"Bangalore", "Asia/Kolkata", 330, {"hindi", "kannada"}},
      {"London", "Europe/London", 0, {}},
      {"Singapore", "Asia/Singapore", 480, {"mandarin", "malay"}},
      {"São Paulo", "America/Sao_Paulo", -180, {"portuguese"}},
      {"San Francisco", "America/Los_Angeles", -480, {}},
      {"Tokyo", "Asia/Tokyo", 540, {"japanese"}},
  };
  return kSites;
}

std::vector<Person> GenerateOrganization(const OrganizationSpec& spec) {
  Rng rng(spec.seed);
  const int n = std::max(1, spec.people);
  const auto& all_departments = Departments();
  const auto& all_sites = SampleSites();
  const int num_departments =
      spec.departments > 0 ? std::min(spec.departments, static_cast<int>(all_departments.size()))
                           : rng.Between(8, 12);
  const int num_sites =
      spec.sites > 0 ? std::min(spec.sites, static_cast<int>(all_sites.size())) : rng.Between(5, 8);
  const std::vector<double> site_weights(kSiteWeights.begin(), kSiteWeights.begin() + num_sites);

  std::vector<Person> people(static_cast<size_t>(n));
  std::vector<int> parent(static_cast<size_t>(n), -1);
  std::vector<int> dept_of(static_cast<size_t>(n), 0);
  std::vector<int> site_of(static_cast<size_t>(n), 0);
  std::vector<int> reports(static_cast<size_t>(n), 0);

  // Department sizes (person 0 is the CEO, counted in Operations), by weight.
  std::vector<int> size(static_cast<size_t>(num_departments), 0);
  {
    double total = 0;
    for (int d = 0; d < num_departments; ++d)
      total += all_departments[static_cast<size_t>(d)].weight;
    int assigned = 0;
    for (int d = 0; d < num_departments; ++d) {
      size[static_cast<size_t>(d)] = static_cast<int>(
          std::floor((n - 1) * all_departments[static_cast<size_t>(d)].weight / total));
      assigned += size[static_cast<size_t>(d)];
    }
    for (int d = 0; assigned < n - 1; d = (d + 1) % num_departments, ++assigned) {
      ++size[static_cast<size_t>(d)];
    }
  }

  // Reporting tree: each department is filled breadth-first under its head, every manager taking
  // 3-8 direct reports, so seniority can follow depth.
  const int ceo_department = std::min(3, num_departments - 1);  // Operations when present
  dept_of[0] = ceo_department;
  int next = 1;
  for (int d = 0; d < num_departments; ++d) {
    const int first = next;
    const int count = size[static_cast<size_t>(d)];
    if (count == 0) continue;
    for (int k = 0; k < count; ++k) dept_of[static_cast<size_t>(first + k)] = d;
    parent[static_cast<size_t>(first)] = 0;
    int manager = first;
    int assigned = 1;
    while (assigned < count) {
      const int span = std::min(rng.Between(3, 8), count - assigned);
      for (int k = 0; k < span; ++k) parent[static_cast<size_t>(first + assigned + k)] = manager;
      reports[static_cast<size_t>(manager)] = span;
      assigned += span;
      ++manager;
    }
    next += count;
  }
  reports[0] = 0;
  for (int p = 1; p < n; ++p) {
    if (parent[static_cast<size_t>(p)] == 0) ++reports[0];
  }

  // Seniority, site, identity. Parents come before their reports.
  for (int p = 0; p < n; ++p) {
    Person& person = people[static_cast<size_t>(p)];
    const int q = parent[static_cast<size_t>(p)];
    const bool manager = reports[static_cast<size_t>(p)] > 0;
    const Department& department =
        all_departments[static_cast<size_t>(dept_of[static_cast<size_t>(p)])];
    if (q < 0) {
      person.seniority = 10;
      site_of[static_cast<size_t>(p)] = 0;
    } else {
      const int ps = people[static_cast<size_t>(q)].seniority;
      if (q == 0) {
        person.seniority = 9;
      } else if (manager) {
        person.seniority = std::clamp(ps - 1 - (rng.Chance(0.25) ? 1 : 0), 4, 8);
      } else {
        person.seniority = 1 + rng.Below(std::clamp(ps - 1, 1, 6));
      }
      site_of[static_cast<size_t>(p)] =
          rng.Chance(0.7) ? site_of[static_cast<size_t>(q)] : rng.Weighted(site_weights);
      person.manager_id = people[static_cast<size_t>(q)].id;
    }
    char id[16];
    std::snprintf(id, sizeof id, "E%06d", p + 1);
    person.id = id;
    const std::string& first_name = rng.Pick(kFirstNames);
    const std::string& last_name = rng.Pick(kLastNames);
    person.name = first_name + " " + last_name;
    person.email =
        Lower(first_name) + "." + Lower(last_name) + std::to_string(p + 1) + "@example.com";
    person.department = department.name;
    person.title = Title(person.seniority, manager, department);
    const SampleSite& site = all_sites[static_cast<size_t>(site_of[static_cast<size_t>(p)])];
    person.site = site.name;
    person.time_zone = site.time_zone;
    person.utc_offset_minutes = site.utc_offset_minutes;
  }

  // Roles: the chance to mentor grows with seniority, scaled so the expected share is
  // mentor_share (bisection on the scale; each chance capped).
  std::vector<double> chance(static_cast<size_t>(n), 0);
  {
    const double share = std::clamp(spec.mentor_share, 0.0, 1.0);
    const double cap = std::max(0.95, share);
    auto weight = [](int seniority) { return std::pow(static_cast<double>(seniority), 1.5); };
    double lo = 0;
    double hi = 1;
    auto expected = [&](double scale) {
      double sum = 0;
      for (const Person& person : people) sum += std::min(cap, scale * weight(person.seniority));
      return sum;
    };
    while (expected(hi) < share * n && hi < 1e9) hi *= 2;
    for (int it = 0; it < 50; ++it) {
      const double mid = (lo + hi) / 2;
      (expected(mid) < share * n ? lo : hi) = mid;
    }
    for (int p = 0; p < n; ++p) {
      chance[static_cast<size_t>(p)] =
          std::min(cap, hi * weight(people[static_cast<size_t>(p)].seniority));
    }
  }

  std::vector<std::vector<int>> mentors_by_dept(static_cast<size_t>(num_departments));
  std::vector<int> all_mentors;
  for (int p = 0; p < n; ++p) {
    Person& person = people[static_cast<size_t>(p)];
    const bool mentor = rng.Chance(chance[static_cast<size_t>(p)]);
    const bool either = rng.Chance(spec.either_share);
    if (mentor) {
      person.role = either ? ProgramRole::kEither : ProgramRole::kMentor;
      person.mentor_capacity = person.seniority >= 6 ? rng.Between(2, 3) : rng.Between(1, 2);
      mentors_by_dept[static_cast<size_t>(dept_of[static_cast<size_t>(p)])].push_back(p);
      all_mentors.push_back(p);
    } else {
      person.role = either ? ProgramRole::kEither : ProgramRole::kMentee;
      person.mentor_capacity = 0;
    }
  }

  for (int p = 0; p < n; ++p) {
    Person& person = people[static_cast<size_t>(p)];
    const int d = dept_of[static_cast<size_t>(p)];
    const Department& department = all_departments[static_cast<size_t>(d)];
    const SampleSite& site = all_sites[static_cast<size_t>(site_of[static_cast<size_t>(p)])];
    const int seniority = person.seniority;

    // Languages: local ones at most sites, English for nearly everyone.
    if (site.languages.empty()) {
      person.languages.push_back("english");
    } else {
      if (rng.Chance(0.9)) person.languages.push_back(site.languages[0]);
      if (site.languages.size() > 1 && rng.Chance(0.4))
        person.languages.push_back(site.languages[1]);
      if (rng.Chance(0.92) || person.languages.empty()) person.languages.push_back("english");
    }
    if (rng.Chance(0.12)) AddUnique(person.languages, rng.Pick(kExtraLanguages));

    // Skills held: mostly the department's, proficiency following seniority.
    const int held_count = rng.Between(3, 7);
    for (int k = 0; k < held_count * 2 && static_cast<int>(person.skills_held.size()) < held_count;
         ++k) {
      const double r = rng.Uniform();
      const std::string& skill =
          r < 0.7 ? rng.Pick(department.skills)
                  : (r < 0.95
                         ? rng.Pick(kCommonSkills)
                         : rng.Pick(all_departments[static_cast<size_t>(rng.Below(num_departments))]
                                        .skills));
      const bool present = std::any_of(person.skills_held.begin(), person.skills_held.end(),
                                       [&](const SkillHeld& s) { return s.skill == skill; });
      if (present) continue;
      const double level = 1.0 + (seniority - 1) * 0.45 + (rng.Uniform() * 2.0 - 1.0);
      person.skills_held.push_back({skill, std::clamp(static_cast<int>(std::lround(level)),
                                                      kMinProficiency, kMaxProficiency)});
    }
    if (seniority <= 3 && rng.Chance(0.4)) {
      const std::string& skill = rng.Pick(kModernSkills);
      if (std::none_of(person.skills_held.begin(), person.skills_held.end(),
                       [&](const SkillHeld& s) { return s.skill == skill; })) {
        person.skills_held.push_back({skill, rng.Between(3, 5)});
      }
    }

    // Skills wanted, priority 1 first.
    std::vector<std::string> wanted;
    if (seniority >= 6 && rng.Chance(0.5)) wanted.push_back(rng.Pick(kModernSkills));
    const int wanted_count = rng.Between(1, 3);
    for (int k = 0; k < 12 && static_cast<int>(wanted.size()) < wanted_count; ++k) {
      const double r = rng.Uniform();
      const std::string& skill =
          r < 0.5 ? rng.Pick(department.skills)
                  : (r < 0.85
                         ? rng.Pick(kCommonSkills)
                         : rng.Pick(all_departments[static_cast<size_t>(rng.Below(num_departments))]
                                        .skills));
      const bool strong =
          std::any_of(person.skills_held.begin(), person.skills_held.end(),
                      [&](const SkillHeld& s) { return s.skill == skill && s.proficiency >= 4; });
      if (!strong) AddUnique(wanted, skill);
    }
    for (size_t k = 0; k < wanted.size(); ++k) {
      person.skills_wanted.push_back({wanted[k], static_cast<int>(k) + 1});
    }

    // Goals by career stage, interests, learning preferences.
    const std::vector<std::string>& band =
        seniority <= 3 ? kJuniorGoals : (seniority <= 6 ? kMidGoals : kSeniorGoals);
    const int goal_count = rng.Between(1, 3);
    for (int k = 0; k < goal_count; ++k) {
      const double r = rng.Uniform();
      AddUnique(
          person.career_goals,
          r < 0.7 ? rng.Pick(band) : (r < 0.85 ? rng.Pick(kMidGoals) : rng.Pick(kJuniorGoals)));
    }
    const int interest_count = rng.Between(1, 4);
    for (int k = 0; k < interest_count; ++k) AddUnique(person.interests, rng.Pick(kInterests));
    const int learning_count = rng.Between(1, 2);
    for (int k = 0; k < learning_count; ++k) {
      AddUnique(person.learning_preferences, rng.Pick(kLearning));
    }

    // Personality (triangular around 0.5) and styles; a few leave them out.
    if (!rng.Chance(0.08)) {
      auto trait = [&rng] { return (rng.Uniform() + rng.Uniform()) / 2.0; };
      BigFive b5;
      b5.openness = trait();
      b5.conscientiousness = trait();
      b5.extraversion = trait();
      b5.agreeableness = trait();
      b5.neuroticism = trait();
      person.personality = b5;
    }
    if (!rng.Chance(0.05)) person.communication_style = rng.Pick(kStyles);
    const double meeting = rng.Uniform();
    person.meeting_preference = meeting < 0.6 ? MeetingPreference::kEither
                                              : (meeting < 0.8 ? MeetingPreference::kInPerson
                                                               : MeetingPreference::kVirtual);

    // Availability: 3-6 slots of 1-2 hours in local working hours (Mon-Fri, 9:00-17:00), stored
    // in UTC. Half-hour zones are floored to the whole UTC hour.
    if (!rng.Chance(0.05)) {
      const int slots = rng.Between(3, 6);
      for (int k = 0; k < slots; ++k) {
        const int day = rng.Below(5);
        const int start = rng.Between(9, 16);
        const int length = rng.Between(1, 2);
        for (int h = start; h < std::min(17, start + length); ++h) {
          const int local_minutes = (day * 24 + h) * 60;
          const int utc_hour = FloorDiv(local_minutes - site.utc_offset_minutes, 60);
          const int bit = ((utc_hour % kHoursPerWeek) + kHoursPerWeek) % kHoursPerWeek;
          person.availability.set(static_cast<size_t>(bit));
        }
      }
    }

    // Self-described attributes, some of them asking for a shared background.
    if (rng.Chance(spec.self_described_share)) {
      const double g = rng.Uniform();
      if (g < 0.45) {
        person.self_described.emplace_back("gender", "woman");
      } else if (g < 0.9) {
        person.self_described.emplace_back("gender", "man");
      } else if (g < 0.95) {
        person.self_described.emplace_back("gender", "non-binary");
      }
      if (rng.Chance(0.4)) {
        std::string groups = rng.Pick(kEmployeeGroups);
        if (rng.Chance(0.3)) {
          const std::string& second = rng.Pick(kEmployeeGroups);
          if (second != groups) groups += "; " + second;
        }
        person.self_described.emplace_back("employee_groups", groups);
      }
      person.prefer_shared_background = !person.self_described.empty() && rng.Chance(0.15);
    }
  }

  // A few mentees rank 1-3 mentors, mostly more senior people of their own department.
  if (!all_mentors.empty()) {
    for (int p = 0; p < n; ++p) {
      Person& person = people[static_cast<size_t>(p)];
      if (person.mentor_capacity > 0 || !rng.Chance(spec.choice_share)) continue;
      const std::vector<int>& local =
          mentors_by_dept[static_cast<size_t>(dept_of[static_cast<size_t>(p)])];
      const int wanted = rng.Between(1, 3);
      for (int k = 0; k < 10 && static_cast<int>(person.preferred_mentors.size()) < wanted; ++k) {
        const int m = (!local.empty() && rng.Chance(0.6)) ? rng.Pick(local) : rng.Pick(all_mentors);
        const Person& mentor = people[static_cast<size_t>(m)];
        if (m == p || mentor.seniority <= person.seniority) continue;
        AddUnique(person.preferred_mentors, mentor.id);
      }
    }
  }
  return people;
}

}  // namespace tandem::sample
