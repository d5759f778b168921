#include "matching/candidates.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "matching/parallel.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

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
constexpr std::int32_t kMentorBlock = 256;  // mentors per tile (their columns stay in cache)
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

// An offset in [0, kMinutesPerDay): the circular distance depends on offsets modulo a day only.
int DayMinutes(int offset) { return ((offset % kMinutesPerDay) + kMinutesPerDay) % kMinutesPerDay; }

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
  std::array<std::int32_t, 4> skill{};  // up to four wanted skills in the level table
  std::array<std::int32_t, 4> own{};
  std::array<float, 4> skill_weight{};  // weight / wanted_total, scaled by the criterion weight
  std::array<float, 4> inv_range{};
  int table_skills = 0;   // wanted skills read from the table (0..4)
  float skills_rest = 0;  // bound of the skills term when not read from the table
  std::array<std::int32_t, 4> choice_mentor{-1, -1, -1, -1};
  std::array<float, 4> choice_term{};
  float choice_other = 0;  // bound for the choice term of every other mentor
};

// The mentors' features for the score bound, one array per feature (structure of arrays), so
// that the bound runs over a tile of mentors in vector registers. All lanes are 32 bits.
struct Columns {
  // Bit 0 stays unused: GCC 12 narrows a test of bit 0 to a bool type, and the loop of the
  // filter then no longer vectorises.
  enum Flag : std::int32_t {
    kCapacity = 2,
    kAvailable = 4,
    kTimeZone = 8,
    kLanguage = 16,     // lists a language
    kNotInPerson = 32,  // meeting preference is not in-person only
    kBackground = 64,   // has self-described background
    kPersonality = 128,
  };
  std::vector<std::int32_t> flags, seniority, person, offset, site, department, style;
  std::vector<std::uint32_t> tin, tout;
  std::array<std::vector<std::uint32_t>, 6> avail;  // 168 hours in six words
  std::array<std::vector<std::uint32_t>, 2> language;
  // Goals, interests, learning: the bit set in two words each, and the count of names.
  std::array<std::array<std::vector<std::uint32_t>, 2>, 3> tag;
  std::array<std::vector<std::int32_t>, 3> tag_count;
  std::array<std::vector<float>, 5> big5;  // 0 without personality
  std::array<std::vector<std::uint32_t>, 2> background;
  // Skill levels, one column per skill (table_skills x mentors) and a zero column.
  std::vector<std::int32_t> levels;
};

// The per-mentee constants of the score bound.
struct FilterRow {
  std::int32_t seniority = 0, sign = 1, min_gap = 0, person = -1;
  std::uint32_t tin = 0, tout = 0;
  std::int32_t reporting = 0;  // the reporting-line rule applies
  std::array<std::uint32_t, 6> avail{};
  std::int32_t available = 0, min_overlap = 0;
  std::array<std::uint32_t, 2> language{};
  std::int32_t languages = 0, check_language = 0, require_language = 0;
  std::int32_t site = -1, in_person_rule = 0, half_location = 0, not_in_person = 0;
  std::int32_t department = -1, department_neutral = 1, want_same = 0, require_cross = 0,
               require_same = 0;
  std::int32_t style = -1, opposite = -1, similar = 1;
  std::int32_t time_zone = 0, offset = 0, max_zone = 0;
  std::int32_t background = 0;  // the mentee asks for a shared background
  std::array<std::array<std::uint32_t, 2>, 3> tag{};
  std::array<std::int32_t, 3> tag_listed{};  // the mentee lists the category
  std::array<float, 3> tag_small{};          // 1 when the category fits a bit set, else 0
  std::array<float, 3> tag_count{}, inv_tag_count{}, w_tag{};
  std::int32_t personality = 0;
  float personality_similar = 1;  // 1 similar, 0 complementary
  std::array<float, 5> big5{};
  std::array<std::uint32_t, 2> background_mask{};
  float background_small = 0;  // 1 when backgrounds fit a bit set, else 0
  float inv_background_count = 0, w_personality = 0;
  std::array<const std::int32_t*, 4> skill_column{};
  std::array<std::int32_t, 4> own{};
  std::array<float, 4> skill_weight{}, inv_range{};
  // Reverse and skill-based: the mentor must hold a wanted skill at kDirectionLevel or more. Only
  // checked here when every wanted skill has a column (`direction_known`).
  std::int32_t direction_rule = 0, direction_known = 0;
  // The time-zone rule or the direction rule may exclude a whole skip block (the rules that
  // SkipMaskAvx512 leaves to Skip).
  std::int32_t later_rules = 0;
  float base = 0, inv_full_overlap = 0, inv_base = 0, inv_background = 0;
  float w_seniority = 0, w_language = 0, w_location = 0, w_department = 0, w_communication = 0,
        w_time_zone = 0, w_availability = 0, w_background = 0;
};

// What a block of kSkipBlock consecutive mentors of the layout may hold, for the hard rules
// only: when a rule excludes every member for a mentee, the block is skipped without computing
// the bound of its pairs.
constexpr std::int32_t kSkipBlock = 16;
static_assert(kMentorBlock % kSkipBlock == 0, "tiles are made of whole skip blocks");
// The time zones of a skip block's mentors (for the time zone rule).
struct SkipBlock {
  std::int32_t offset_min = std::numeric_limits<std::int32_t>::max();  // mentors with a zone
  std::int32_t offset_max = std::numeric_limits<std::int32_t>::min();
  bool any_without_time_zone = false;
};

// The skip blocks of a column layout: block b holds positions [b * kSkipBlock, (b + 1) *
// kSkipBlock). The fields of the capacity, seniority, overlap and language rules are columns
// over the blocks (and 16 more with no capacity), so that 16 blocks can be tested at once;
// then the time zones, and the largest level of each table skill.
struct SkipIndex {
  enum : std::int32_t { kAnyCapacity = 1, kAnyUnavailable = 2, kAnyWithoutLanguage = 4 };
  std::vector<std::int32_t> flags, seniority_min, seniority_max;
  std::array<std::vector<std::uint32_t>, 6> avail;     // union over mentors who gave it
  std::array<std::vector<std::uint32_t>, 2> language;  // union over mentors who list languages
  std::vector<SkipBlock> blocks;
  std::vector<std::uint8_t> levels;  // blocks.size() x table skills
};

// Popcount of 32-bit words written so that the compiler can vectorise it without a popcount
// instruction.
inline std::int32_t PopCount32(std::uint32_t x) {
  x = x - ((x >> 1) & 0x55555555U);
  x = (x & 0x33333333U) + ((x >> 2) & 0x33333333U);
  x = (x + (x >> 4)) & 0x0F0F0F0FU;
  return static_cast<std::int32_t>((x * 0x01010101U) >> 24);
}

// The score bound of the mentee against the mentors idx(q), q in [0, count): out[q] = an upper
// bound of the exact score, or -1 when one of the cheap hard rules excludes the pair (seniority
// gap, reporting line, weekly overlap, shared language, site, department, time zone, the skill
// direction of the reverse and skill-based models). Every criterion is computed in float as
// Data::Exact computes it in double, except wanted skills past the fourth and tag categories
// too large for a bit set, which count at their largest value, and the mentee's choices (at
// most four mentors), which the caller adds. kBoundMargin covers the rounding. Written without
// branches (two-way selects, 0/1 blends) so that the loop vectorises.
// Two shapes: the mentors first + q, q in [0, count), into out[q]; or, with `blocks`, the
// kSkipBlock mentors from each blocks[b], b in [0, count), into out[blocks[b] - first + l]
// (one call for all the blocks of a tile that are not skipped).
template <bool kPopcount>
inline __attribute__((always_inline)) void FilterBody(const Columns& c, const FilterRow& row,
                                                      std::int32_t first, std::int32_t count,
                                                      const std::int32_t* blocks,
                                                      float* __restrict out) {
  // A local copy: loads from it cannot trap, so the compiler may evaluate both arms of every
  // select (a precondition of vectorising the loop).
  const FilterRow r = row;
  const std::int32_t* __restrict flags = c.flags.data();
  const std::int32_t* __restrict seniority = c.seniority.data();
  const std::int32_t* __restrict person = c.person.data();
  const std::int32_t* __restrict offset = c.offset.data();
  const std::int32_t* __restrict site = c.site.data();
  const std::int32_t* __restrict department = c.department.data();
  const std::int32_t* __restrict style = c.style.data();
  const std::uint32_t* __restrict tin = c.tin.data();
  const std::uint32_t* __restrict tout = c.tout.data();
  const std::uint32_t* __restrict av0 = c.avail[0].data();
  const std::uint32_t* __restrict av1 = c.avail[1].data();
  const std::uint32_t* __restrict av2 = c.avail[2].data();
  const std::uint32_t* __restrict av3 = c.avail[3].data();
  const std::uint32_t* __restrict av4 = c.avail[4].data();
  const std::uint32_t* __restrict av5 = c.avail[5].data();
  const std::uint32_t* __restrict lang0 = c.language[0].data();
  const std::uint32_t* __restrict lang1 = c.language[1].data();
  const std::uint32_t* __restrict goals0 = c.tag[0][0].data();
  const std::uint32_t* __restrict goals1 = c.tag[0][1].data();
  const std::uint32_t* __restrict interests0 = c.tag[1][0].data();
  const std::uint32_t* __restrict interests1 = c.tag[1][1].data();
  const std::uint32_t* __restrict learning0 = c.tag[2][0].data();
  const std::uint32_t* __restrict learning1 = c.tag[2][1].data();
  const std::int32_t* __restrict goals_count = c.tag_count[0].data();
  const std::int32_t* __restrict interests_count = c.tag_count[1].data();
  const std::int32_t* __restrict learning_count = c.tag_count[2].data();
  const float* __restrict big0 = c.big5[0].data();
  const float* __restrict big1 = c.big5[1].data();
  const float* __restrict big2 = c.big5[2].data();
  const float* __restrict big3 = c.big5[3].data();
  const float* __restrict big4 = c.big5[4].data();
  const std::uint32_t* __restrict background0 = c.background[0].data();
  const std::uint32_t* __restrict background1 = c.background[1].data();
  const std::int32_t* __restrict skill0 = r.skill_column[0];
  const std::int32_t* __restrict skill1 = r.skill_column[1];
  const std::int32_t* __restrict skill2 = r.skill_column[2];
  const std::int32_t* __restrict skill3 = r.skill_column[3];
  const auto pop = [](std::uint32_t x) {
    if constexpr (kPopcount) {
      return __builtin_popcount(x);
    } else {
      return PopCount32(x);
    }
  };
  const auto pair = [=](std::int32_t j) __attribute__((always_inline)) {
    const std::int32_t f = flags[j];
    std::int32_t excluded = static_cast<std::int32_t>((f & Columns::kCapacity) == 0) |
                            static_cast<std::int32_t>(person[j] == r.person);
    // Seniority.
    const std::int32_t gap = r.sign * (seniority[j] - r.seniority);
    excluded |= static_cast<std::int32_t>(gap < r.min_gap);
    // SeniorityFactor without a table lookup: 1 at gaps 2 and 3, 0.3 less a level below (not
    // below 0), 0.2 less a level above (not below 0.2).
    const auto g = static_cast<float>(gap);
    float s =
        r.base + r.w_seniority * std::min(std::min(1.0f, std::max(0.0f, 1.0f - 0.3f * (2.0f - g))),
                                          std::max(0.2f, 1.0f - 0.2f * (g - 3.0f)));
    // Reporting line.
    const std::uint32_t bi = tin[j];
    excluded |=
        r.reporting &
        ((static_cast<std::int32_t>(r.tin <= bi) & static_cast<std::int32_t>(bi <= r.tout)) |
         (static_cast<std::int32_t>(bi <= r.tin) & static_cast<std::int32_t>(r.tin <= tout[j])));
    // Weekly overlap and availability.
    const std::int32_t both_available =
        r.available & static_cast<std::int32_t>((f & Columns::kAvailable) != 0);
    const std::int32_t overlap = pop(r.avail[0] & av0[j]) + pop(r.avail[1] & av1[j]) +
                                 pop(r.avail[2] & av2[j]) + pop(r.avail[3] & av3[j]) +
                                 pop(r.avail[4] & av4[j]) + pop(r.avail[5] & av5[j]);
    excluded |= both_available & static_cast<std::int32_t>(overlap < r.min_overlap);
    s += both_available != 0
             ? r.w_availability * std::min(1.0f, static_cast<float>(overlap) * r.inv_full_overlap)
             : r.w_availability * 0.5f;
    // Language.
    const std::int32_t both_languages =
        r.languages & static_cast<std::int32_t>((f & Columns::kLanguage) != 0);
    const std::int32_t shared =
        static_cast<std::int32_t>(((r.language[0] & lang0[j]) | (r.language[1] & lang1[j])) != 0);
    excluded |= both_languages & r.check_language & r.require_language & (shared ^ 1);
    // Multi-way choices are written as sums of 0/1 terms counting halves of the weight: the
    // vectoriser handles a two-way select, not a chain of them.
    const std::int32_t language_halves =
        (both_languages ^ 1) + 2 * (both_languages & ((r.check_language & (shared ^ 1)) ^ 1));
    s += r.w_language * 0.5f * static_cast<float>(language_halves);
    // Location and the site rule.
    const std::int32_t bs = site[j];
    const std::int32_t no_site =
        static_cast<std::int32_t>(r.site < 0) | static_cast<std::int32_t>(bs < 0);
    const std::int32_t same_site = static_cast<std::int32_t>(bs == r.site);
    excluded |= (no_site ^ 1) & (same_site ^ 1) & r.in_person_rule;
    const std::int32_t half =
        r.half_location |
        (r.not_in_person & static_cast<std::int32_t>((f & Columns::kNotInPerson) != 0));
    const std::int32_t location_halves =
        no_site + 2 * ((no_site ^ 1) & same_site) + ((no_site ^ 1) & (same_site ^ 1) & half);
    s += r.w_location * 0.5f * static_cast<float>(location_halves);
    // Department and its rule.
    const std::int32_t bd = department[j];
    const std::int32_t no_department = r.department_neutral | static_cast<std::int32_t>(bd < 0);
    const std::int32_t same_department = static_cast<std::int32_t>(bd == r.department);
    excluded |= (no_department ^ 1) &
                ((r.require_cross & same_department) | (r.require_same & (same_department ^ 1)));
    const std::int32_t department_halves =
        no_department +
        2 * ((no_department ^ 1) & static_cast<std::int32_t>(same_department == r.want_same));
    s += r.w_department * 0.5f * static_cast<float>(department_halves);
    // Communication.
    const std::int32_t bst = style[j];
    const std::int32_t no_style =
        static_cast<std::int32_t>(r.style < 0) | static_cast<std::int32_t>(bst < 0);
    const std::int32_t same_style = static_cast<std::int32_t>(bst == r.style);
    const std::int32_t opposite = static_cast<std::int32_t>(bst == r.opposite);
    const std::int32_t style_halves =
        no_style + (no_style ^ 1) * (r.similar * 2 * same_style +
                                     (r.similar ^ 1) * (same_style ^ 1) * (1 + opposite));
    s += r.w_communication * 0.5f * static_cast<float>(style_halves);
    // Time zone and its rule.
    const std::int32_t both_zones =
        r.time_zone & static_cast<std::int32_t>((f & Columns::kTimeZone) != 0);
    const std::int32_t d = std::abs(offset[j] - r.offset);  // both in [0, 1440)
    const std::int32_t zone = std::min(d, kMinutesPerDay - d);
    excluded |= both_zones & static_cast<std::int32_t>(zone > r.max_zone);
    s += both_zones != 0 ? r.w_time_zone * (1.0f - static_cast<float>(zone) * (1.0f / 720.0f))
                         : r.w_time_zone * 0.5f;
    // Skills from the level table (up to four wanted skills; unused ones weigh 0).
    s += r.skill_weight[0] *
         std::min(1.0f, static_cast<float>(std::max(0, skill0[j] - r.own[0])) * r.inv_range[0]);
    s += r.skill_weight[1] *
         std::min(1.0f, static_cast<float>(std::max(0, skill1[j] - r.own[1])) * r.inv_range[1]);
    s += r.skill_weight[2] *
         std::min(1.0f, static_cast<float>(std::max(0, skill2[j] - r.own[2])) * r.inv_range[2]);
    s += r.skill_weight[3] *
         std::min(1.0f, static_cast<float>(std::max(0, skill3[j] - r.own[3])) * r.inv_range[3]);
    const std::int32_t direction = static_cast<std::int32_t>(skill0[j] >= kDirectionLevel) |
                                   static_cast<std::int32_t>(skill1[j] >= kDirectionLevel) |
                                   static_cast<std::int32_t>(skill2[j] >= kDirectionLevel) |
                                   static_cast<std::int32_t>(skill3[j] >= kDirectionLevel);
    excluded |= r.direction_rule & r.direction_known & (direction ^ 1);
    // Goals (share of the mentee's), interests and learning (Jaccard): common names over the
    // bit sets; a category too large for a bit set counts at its largest value, 1. Per-row
    // choices are blends with a 0/1 factor (exact), so that each select stays two-way.
    {
      const std::int32_t common = pop(r.tag[0][0] & goals0[j]) + pop(r.tag[0][1] & goals1[j]);
      const float fraction = static_cast<float>(common) * r.inv_tag_count[0];
      const float value = fraction * r.tag_small[0] + (1.0f - r.tag_small[0]);
      const std::int32_t both = r.tag_listed[0] & static_cast<std::int32_t>(goals_count[j] > 0);
      s += r.w_tag[0] * (both != 0 ? value : 0.5f);
    }
    // Interests and learning: Jaccard.
    const auto jaccard = [&r](size_t t, std::int32_t common, std::int32_t listed)
        __attribute__((always_inline)) {
      const auto cf = static_cast<float>(common);
      const float fraction = cf / std::max(1.0f, r.tag_count[t] + static_cast<float>(listed) - cf);
      const float value = fraction * r.tag_small[t] + (1.0f - r.tag_small[t]);
      const std::int32_t both = r.tag_listed[t] & static_cast<std::int32_t>(listed > 0);
      return r.w_tag[t] * (both != 0 ? value : 0.5f);
    };
    s += jaccard(1, pop(r.tag[1][0] & interests0[j]) + pop(r.tag[1][1] & interests1[j]),
                 interests_count[j]);
    s += jaccard(2, pop(r.tag[2][0] & learning0[j]) + pop(r.tag[2][1] & learning1[j]),
                 learning_count[j]);
    // Personality.
    const std::int32_t both_personalities =
        r.personality & static_cast<std::int32_t>((f & Columns::kPersonality) != 0);
    const float d0 = r.big5[0] - big0[j];
    const float d1 = r.big5[1] - big1[j];
    const float d2 = r.big5[2] - big2[j];
    const float d3 = r.big5[3] - big3[j];
    const float d4 = r.big5[4] - big4[j];
    const float similar =
        1.0f - std::sqrt((d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3 + d4 * d4) * 0.2f);
    const float complementary = (std::abs(d0) + (1.0f - std::abs(d1)) + std::abs(d2) +
                                 (1.0f - std::abs(d3)) + (1.0f - big4[j])) *
                                0.2f;
    const float personality =
        similar * r.personality_similar + complementary * (1.0f - r.personality_similar);
    s += r.w_personality * (both_personalities != 0 ? personality : 0.5f);
    // Shared background: with it the score is (s + background) / (base + its weight).
    const std::int32_t background =
        r.background & static_cast<std::int32_t>((f & Columns::kBackground) != 0);
    const float common_background = static_cast<float>(pop(r.background_mask[0] & background0[j]) +
                                                       pop(r.background_mask[1] & background1[j]));
    const float factor = common_background * r.inv_background_count * r.background_small +
                         (1.0f - r.background_small);
    const float bound =
        (background != 0 ? (s + r.w_background * factor) * r.inv_background : s * r.inv_base) +
        kBoundMargin;
    return excluded != 0 ? -1.0f : bound;
  };
  if (blocks == nullptr) {
    for (std::int32_t q = 0; q < count; ++q) out[q] = pair(first + q);
    return;
  }
  for (std::int32_t b = 0; b < count; ++b) {
    const std::int32_t j = blocks[b];
    float* __restrict block_out = out + (j - first);
    for (std::int32_t l = 0; l < kSkipBlock; ++l) block_out[l] = pair(j + l);
  }
}

void FilterPortable(const Columns& c, const FilterRow& r, std::int32_t first, std::int32_t count,
                    const std::int32_t* blocks, float* out) {
  FilterBody<false>(c, r, first, count, blocks, out);
}

#if defined(__x86_64__) && defined(__GNUC__)
// The same body compiled for AVX-512 with vector popcount (16 mentors a step), chosen at run
// time when the processor has it.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx512vpopcntdq,avx2,popcnt"))) void
FilterAvx512(const Columns& c, const FilterRow& r, std::int32_t first, std::int32_t count,
             const std::int32_t* blocks, float* out) {
  FilterBody<true>(c, r, first, count, blocks, out);
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
// The lanes of a step of 16 with `left` elements to go: all 16, or the first `left`.
inline __mmask16 TailLanes(std::int32_t left) {
  return static_cast<__mmask16>(left >= 16 ? 0xFFFFu : (1u << static_cast<unsigned>(left)) - 1u);
}

// The bound of FilterBody written with AVX-512 intrinsics, 16 mentors a step: the same terms in
// the same order (the personality sum with fused multiply-adds), but every choice that depends on
// the mentee alone is taken once per row instead of per pair (the compiled FilterBody blends both
// arms for every pair), and the mentee's constants are read from memory as they are needed rather
// than kept in registers (the compiled loop spilled them). GCC 12's AVX-512 headers start some
// intrinsics from an undefined vector, which -Wmaybe-uninitialized reports (GCC bug 105593).
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#define TANDEM_AVX512_TARGET \
  __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx512vpopcntdq,avx2,popcnt,fma")))
#define TANDEM_LOAD_I(column) _mm512_maskz_loadu_epi32(lanes, (column) + j)
#define TANDEM_LOAD_F(column) _mm512_maskz_loadu_ps(lanes, (column) + j)
#define TANDEM_I(x) _mm512_set1_epi32(static_cast<int>(x))
#define TANDEM_F(x) _mm512_set1_ps(x)
#define TANDEM_FLAG(bit) _mm512_test_epi32_mask(f, TANDEM_I(bit))

// For a column of ids (-1: none) over 16 lanes: the lanes with an id, and those equal to `id`.
TANDEM_AVX512_TARGET inline __attribute__((always_inline)) std::pair<__mmask16, __mmask16> Matches(
    const std::int32_t* column, __mmask16 lanes, std::int32_t id) {
  const __m512i v = _mm512_maskz_loadu_epi32(lanes, column);
  return {_mm512_cmpge_epi32_mask(v, _mm512_setzero_si512()),
          _mm512_cmpeq_epi32_mask(v, _mm512_set1_epi32(id))};
}

// A criterion counted in halves of its weight: 1 by default, 0 for the lanes of `none`, 2 for
// those of `two` (as FilterBody's weight * 0.5f * halves).
TANDEM_AVX512_TARGET inline __attribute__((always_inline)) __m512 Halves(float weight,
                                                                         __mmask16 none,
                                                                         __mmask16 two) {
  const float half = weight * 0.5f;
  const __m512 term = _mm512_mask_mov_ps(_mm512_set1_ps(half), none, _mm512_setzero_ps());
  return _mm512_mask_mov_ps(term, two, _mm512_set1_ps(half * 2.0f));
}

TANDEM_AVX512_TARGET inline __attribute__((always_inline)) __m512 HandBound(const Columns& c,
                                                                            const FilterRow& r,
                                                                            std::int32_t j,
                                                                            __mmask16 lanes) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i f = TANDEM_LOAD_I(c.flags.data());
  __mmask16 excluded = static_cast<__mmask16>(~TANDEM_FLAG(Columns::kCapacity)) |
                       _mm512_cmpeq_epi32_mask(TANDEM_LOAD_I(c.person.data()), TANDEM_I(r.person));
  // Seniority.
  const __m512i seniority = TANDEM_LOAD_I(c.seniority.data());
  const __m512i gap = r.sign > 0 ? _mm512_sub_epi32(seniority, TANDEM_I(r.seniority))
                                 : _mm512_sub_epi32(TANDEM_I(r.seniority), seniority);
  excluded |= _mm512_cmplt_epi32_mask(gap, TANDEM_I(r.min_gap));
  const __m512 g = _mm512_cvtepi32_ps(gap);
  const __m512 below = _mm512_min_ps(
      TANDEM_F(1.0f),
      _mm512_max_ps(
          _mm512_setzero_ps(),
          _mm512_sub_ps(TANDEM_F(1.0f),
                        _mm512_mul_ps(TANDEM_F(0.3f), _mm512_sub_ps(TANDEM_F(2.0f), g)))));
  const __m512 above =
      _mm512_max_ps(TANDEM_F(0.2f),
                    _mm512_sub_ps(TANDEM_F(1.0f),
                                  _mm512_mul_ps(TANDEM_F(0.2f), _mm512_sub_ps(g, TANDEM_F(3.0f)))));
  __m512 s = _mm512_add_ps(TANDEM_F(r.base),
                           _mm512_mul_ps(TANDEM_F(r.w_seniority), _mm512_min_ps(below, above)));
  // Reporting line.
  if (r.reporting != 0) {
    const __m512i bi = TANDEM_LOAD_I(c.tin.data());
    excluded |= (_mm512_cmple_epu32_mask(TANDEM_I(r.tin), bi) &
                 _mm512_cmple_epu32_mask(bi, TANDEM_I(r.tout))) |
                (_mm512_cmple_epu32_mask(bi, TANDEM_I(r.tin)) &
                 _mm512_cmple_epu32_mask(TANDEM_I(r.tin), TANDEM_LOAD_I(c.tout.data())));
  }
  // Weekly overlap and availability.
  {
    const __mmask16 both = r.available != 0 ? TANDEM_FLAG(Columns::kAvailable) : 0;
    __m512 term = TANDEM_F(r.w_availability * 0.5f);
    if (both != 0) {
      __m512i overlap = zero;
      for (size_t w = 0; w < 6; ++w) {
        overlap =
            _mm512_add_epi32(overlap, _mm512_popcnt_epi32(_mm512_and_si512(
                                          TANDEM_LOAD_I(c.avail[w].data()), TANDEM_I(r.avail[w]))));
      }
      excluded |= both & _mm512_cmplt_epi32_mask(overlap, TANDEM_I(r.min_overlap));
      term = _mm512_mask_mul_ps(
          term, both, TANDEM_F(r.w_availability),
          _mm512_min_ps(TANDEM_F(1.0f),
                        _mm512_mul_ps(_mm512_cvtepi32_ps(overlap), TANDEM_F(r.inv_full_overlap))));
    }
    s = _mm512_add_ps(s, term);
  }
  // Language, location, department and communication count in halves of their weight: 1 by
  // default, 0 for the lanes of `none`, 2 for those of `two`.
  // Language: 1 unless both list languages, then 2, or 0 when none is shared and that counts.
  {
    __mmask16 none = 0;
    __mmask16 two = r.languages != 0 ? TANDEM_FLAG(Columns::kLanguage) : 0;
    if (two != 0 && r.check_language != 0) {
      const __mmask16 shared = _mm512_test_epi32_mask(
          _mm512_or_si512(
              _mm512_and_si512(TANDEM_LOAD_I(c.language[0].data()), TANDEM_I(r.language[0])),
              _mm512_and_si512(TANDEM_LOAD_I(c.language[1].data()), TANDEM_I(r.language[1]))),
          _mm512_set1_epi32(-1));
      none = two & static_cast<__mmask16>(~shared);
      if (r.require_language != 0) excluded |= none;
      two &= shared;
    }
    s = _mm512_add_ps(s, Halves(r.w_language, none, two));
  }
  // Location and the site rule: 1 without a site on either side, 2 at the same site, else 1
  // when half counts and 0 otherwise.
  {
    __mmask16 none = 0;
    __mmask16 two = 0;
    if (r.site >= 0) {
      const auto [has_site, same] = Matches(c.site.data() + j, lanes, r.site);
      const __mmask16 differ = has_site & static_cast<__mmask16>(~same);
      if (r.in_person_rule != 0) excluded |= differ;
      const __mmask16 half_counts =
          r.half_location != 0 ? static_cast<__mmask16>(0xFFFF)
                               : (r.not_in_person != 0 ? TANDEM_FLAG(Columns::kNotInPerson) : 0);
      none = differ & static_cast<__mmask16>(~half_counts);
      two = has_site & same;
    }
    s = _mm512_add_ps(s, Halves(r.w_location, none, two));
  }
  // Department and its rule: 1 when neutral, else 2 when sameness is what is wanted and 0
  // otherwise.
  {
    __mmask16 none = 0;
    __mmask16 two = 0;
    if (r.department_neutral == 0) {
      const auto [has, same] = Matches(c.department.data() + j, lanes, r.department);
      if (r.require_cross != 0) excluded |= has & same;
      if (r.require_same != 0) excluded |= has & static_cast<__mmask16>(~same);
      const __mmask16 wanted = r.want_same != 0 ? same : static_cast<__mmask16>(~same);
      none = has & static_cast<__mmask16>(~wanted);
      two = has & wanted;
    }
    s = _mm512_add_ps(s, Halves(r.w_department, none, two));
  }
  // Communication: 1 without a style on either side; similar: 2 when the same, else 0;
  // complementary: 0 when the same, else 2 for the opposite style and 1 for another.
  {
    __mmask16 none = 0;
    __mmask16 two = 0;
    if (r.style >= 0) {
      const auto [has, same] = Matches(c.style.data() + j, lanes, r.style);
      if (r.similar != 0) {
        none = has & static_cast<__mmask16>(~same);
        two = has & same;
      } else {
        none = has & same;
        two = has & static_cast<__mmask16>(~same) &
              Matches(c.style.data() + j, lanes, r.opposite).second;
      }
    }
    s = _mm512_add_ps(s, Halves(r.w_communication, none, two));
  }
  // Time zone and its rule.
  {
    __m512 term = TANDEM_F(r.w_time_zone * 0.5f);
    const __mmask16 both = r.time_zone != 0 ? TANDEM_FLAG(Columns::kTimeZone) : 0;
    if (both != 0) {
      const __m512i d =
          _mm512_abs_epi32(_mm512_sub_epi32(TANDEM_LOAD_I(c.offset.data()), TANDEM_I(r.offset)));
      const __m512i zone = _mm512_min_epi32(d, _mm512_sub_epi32(TANDEM_I(kMinutesPerDay), d));
      excluded |= both & _mm512_cmpgt_epi32_mask(zone, TANDEM_I(r.max_zone));
      term = _mm512_mask_mul_ps(
          term, both, TANDEM_F(r.w_time_zone),
          _mm512_sub_ps(TANDEM_F(1.0f),
                        _mm512_mul_ps(_mm512_cvtepi32_ps(zone), TANDEM_F(1.0f / 720.0f))));
    }
    s = _mm512_add_ps(s, term);
  }
  // Skills (up to four wanted skills with a column; unused ones weigh 0 and read a zero
  // column) and the direction rule.
  {
    __mmask16 direction = 0;
    for (size_t t = 0; t < 4; ++t) {
      const __m512i level = TANDEM_LOAD_I(r.skill_column[t]);
      direction |= _mm512_cmpge_epi32_mask(level, TANDEM_I(kDirectionLevel));
      if (r.skill_weight[t] == 0.0f) continue;
      const __m512 lead =
          _mm512_cvtepi32_ps(_mm512_max_epi32(zero, _mm512_sub_epi32(level, TANDEM_I(r.own[t]))));
      s = _mm512_add_ps(
          s, _mm512_mul_ps(
                 TANDEM_F(r.skill_weight[t]),
                 _mm512_min_ps(TANDEM_F(1.0f), _mm512_mul_ps(lead, TANDEM_F(r.inv_range[t])))));
    }
    if (r.direction_rule != 0 && r.direction_known != 0) {
      excluded |= static_cast<__mmask16>(~direction);
    }
  }
  // Goals (share of the mentee's), interests and learning (Jaccard).
  for (size_t t = 0; t < 3; ++t) {
    __m512 term = TANDEM_F(r.w_tag[t] * 0.5f);
    if (r.tag_listed[t] != 0) {
      const __m512i listed = TANDEM_LOAD_I(c.tag_count[t].data());
      const __mmask16 both = _mm512_cmpgt_epi32_mask(listed, zero);
      __m512 value = TANDEM_F(1.0f);
      if (r.tag_small[t] != 0.0f) {
        const __m512 common = _mm512_cvtepi32_ps(_mm512_add_epi32(
            _mm512_popcnt_epi32(
                _mm512_and_si512(TANDEM_LOAD_I(c.tag[t][0].data()), TANDEM_I(r.tag[t][0]))),
            _mm512_popcnt_epi32(
                _mm512_and_si512(TANDEM_LOAD_I(c.tag[t][1].data()), TANDEM_I(r.tag[t][1])))));
        value = t == 0 ? _mm512_mul_ps(common, TANDEM_F(r.inv_tag_count[0]))
                       : _mm512_div_ps(
                             common,
                             _mm512_max_ps(TANDEM_F(1.0f),
                                           _mm512_sub_ps(_mm512_add_ps(TANDEM_F(r.tag_count[t]),
                                                                       _mm512_cvtepi32_ps(listed)),
                                                         common)));
      }
      term = _mm512_mask_mul_ps(term, both, TANDEM_F(r.w_tag[t]), value);
    }
    s = _mm512_add_ps(s, term);
  }
  // Personality.
  {
    __m512 term = TANDEM_F(r.w_personality * 0.5f);
    const __mmask16 both = r.personality != 0 ? TANDEM_FLAG(Columns::kPersonality) : 0;
    if (both != 0) {
      __m512 value;
      if (r.personality_similar != 0.0f) {
        __m512 sum = _mm512_setzero_ps();
        for (size_t t = 0; t < 5; ++t) {
          const __m512 d = _mm512_sub_ps(TANDEM_F(r.big5[t]), TANDEM_LOAD_F(c.big5[t].data()));
          sum = _mm512_fmadd_ps(d, d, sum);
        }
        value = _mm512_sub_ps(TANDEM_F(1.0f), _mm512_sqrt_ps(_mm512_mul_ps(sum, TANDEM_F(0.2f))));
      } else {
        __m512 sum = _mm512_setzero_ps();
        for (size_t t = 0; t < 4; ++t) {
          const __m512 d =
              _mm512_abs_ps(_mm512_sub_ps(TANDEM_F(r.big5[t]), TANDEM_LOAD_F(c.big5[t].data())));
          sum = _mm512_add_ps(sum, t % 2 == 0 ? d : _mm512_sub_ps(TANDEM_F(1.0f), d));
        }
        sum = _mm512_add_ps(sum, _mm512_sub_ps(TANDEM_F(1.0f), TANDEM_LOAD_F(c.big5[4].data())));
        value = _mm512_mul_ps(sum, TANDEM_F(0.2f));
      }
      term = _mm512_mask_mul_ps(term, both, TANDEM_F(r.w_personality), value);
    }
    s = _mm512_add_ps(s, term);
  }
  // Shared background: with it the score is (s + background) / (base + its weight).
  __m512 bound = _mm512_mul_ps(s, TANDEM_F(r.inv_base));
  const __mmask16 background = r.background != 0 ? TANDEM_FLAG(Columns::kBackground) : 0;
  if (background != 0) {
    __m512 factor = TANDEM_F(1.0f);
    if (r.background_small != 0.0f) {
      const __m512 common = _mm512_cvtepi32_ps(_mm512_add_epi32(
          _mm512_popcnt_epi32(_mm512_and_si512(TANDEM_LOAD_I(c.background[0].data()),
                                               TANDEM_I(r.background_mask[0]))),
          _mm512_popcnt_epi32(_mm512_and_si512(TANDEM_LOAD_I(c.background[1].data()),
                                               TANDEM_I(r.background_mask[1])))));
      factor = _mm512_mul_ps(common, TANDEM_F(r.inv_background_count));
    }
    bound = _mm512_mask_mul_ps(bound, background,
                               _mm512_add_ps(s, _mm512_mul_ps(TANDEM_F(r.w_background), factor)),
                               TANDEM_F(r.inv_background));
  }
  bound = _mm512_add_ps(bound, TANDEM_F(kBoundMargin));
  return _mm512_mask_mov_ps(bound, excluded, TANDEM_F(-1.0f));
}

TANDEM_AVX512_TARGET void FilterHand(const Columns& c, const FilterRow& r, std::int32_t first,
                                     std::int32_t count, const std::int32_t* blocks, float* out) {
  if (blocks == nullptr) {
    for (std::int32_t q = 0; q < count; q += 16) {
      const auto lanes = TailLanes(count - q);
      _mm512_mask_storeu_ps(out + q, lanes, HandBound(c, r, first + q, lanes));
    }
    return;
  }
  for (std::int32_t b = 0; b < count; ++b) {
    const std::int32_t j = blocks[b];
    // The mentee's skill columns are the reads that miss the cache (a chunk's mentees want
    // many different skills): the next block's are fetched now.
    if (b + 1 < count) {
      for (const std::int32_t* column : r.skill_column) {
        _mm_prefetch(reinterpret_cast<const char*>(column + blocks[b + 1]), _MM_HINT_T0);
      }
    }
    _mm512_storeu_ps(out + (j - first), HandBound(c, r, j, static_cast<__mmask16>(0xFFFF)));
  }
}
#undef TANDEM_LOAD_I
#undef TANDEM_LOAD_F
#undef TANDEM_I
#undef TANDEM_F
#undef TANDEM_FLAG
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC bug 105593, as above
#endif
// ScanTile (below) 16 pairs a step: the same tests in the same order.
__attribute__((target("avx512f,avx512dq"))) void ScanTileAvx512(
    const float* bounds, const std::int32_t* order, const Weight* limit, Weight offset,
    Weight floor, Weight below, std::int32_t size, Weight* least,
    std::vector<std::pair<Weight, std::int32_t>>* open) {
  static_assert(sizeof(Weight) == 8, "limits are gathered as 64-bit integers");
  const __m512 zero = _mm512_setzero_ps();
  const __m512d scale = _mm512_set1_pd(static_cast<double>(kScoreScale));
  const __m512i one = _mm512_set1_epi64(1);
  const __m512i offsets = _mm512_set1_epi64(offset);
  const __m512i floors = _mm512_set1_epi64(floor);
  const __m512i belows = _mm512_set1_epi64(below);
  const __m512i zeros = _mm512_setzero_si512();
  alignas(64) std::array<Weight, 8> caps{};
  alignas(64) std::array<Weight, 8> lims{};
  for (std::int32_t q = 0; q < size; q += 16) {
    const auto lanes = TailLanes(size - q);
    const __m512 v = _mm512_maskz_loadu_ps(lanes, bounds + q);
    const __mmask16 eligible = _mm512_mask_cmp_ps_mask(lanes, v, zero, _CMP_GE_OQ);
    if (eligible == 0) continue;
    const __m512i mentors = _mm512_maskz_loadu_epi32(eligible, order + q);
    for (int half = 0; half < 2; ++half) {
      const auto m8 = static_cast<__mmask8>(eligible >> (8 * half));
      if (m8 == 0) continue;
      const __m256i j8 =
          half == 0 ? _mm512_castsi512_si256(mentors) : _mm512_extracti64x4_epi64(mentors, 1);
      const __m512i lim = _mm512_max_epi64(
          _mm512_add_epi64(_mm512_mask_i32gather_epi64(zeros, m8, j8, limit, 8), offsets), floors);
      const __m256 b8 = half == 0
                            ? _mm512_castps512_ps256(v)
                            : _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
      const __m512i cap =
          _mm512_add_epi64(_mm512_cvttpd_epi64(_mm512_mul_pd(_mm512_cvtps_pd(b8), scale)), one);
      const __mmask8 consider = m8 & _mm512_cmplt_epi64_mask(lim, belows);
      const __mmask8 cleared =
          consider & _mm512_cmpge_epi64_mask(lim, zeros) & _mm512_cmple_epi64_mask(cap, lim);
      if (cleared != 0) {
        *least = std::min(*least, static_cast<Weight>(_mm512_mask_reduce_min_epi64(
                                      cleared, _mm512_sub_epi64(lim, cap))));
      }
      unsigned rest = consider & static_cast<__mmask8>(~cleared);
      if (rest == 0) continue;
      _mm512_store_si512(caps.data(), cap);
      _mm512_store_si512(lims.data(), lim);
      while (rest != 0) {
        const auto l = static_cast<size_t>(__builtin_ctz(rest));
        rest &= rest - 1;
        open->emplace_back(caps[l] - lims[l], order[q + 8 * half + static_cast<std::int32_t>(l)]);
      }
    }
  }
}
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif

// kAvx512: HandBound; kCompiled: FilterBody compiled for AVX-512; kPortable: FilterBody
// compiled for the baseline (SSE2).
enum class FilterIsa { kPortable, kCompiled, kAvx512 };

// The test of a tile's bounds against the limits (ScanRow, NextAbove): a pair's limit is
// max(limit[j] + offset, floor), and pairs whose limit reaches `below` are passed over. The least
// margin of the pairs the bound clears goes to `least`, the pairs it cannot clear to `open` as
// (largest violation the bound allows, mentor). 16 pairs a step with AVX-512 (ScanTileAvx512).
void ScanTile(FilterIsa isa, const float* bounds, const std::int32_t* order, const Weight* limit,
              Weight offset, Weight floor, Weight below, std::int32_t size, Weight* least,
              std::vector<std::pair<Weight, std::int32_t>>* open) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (isa != FilterIsa::kPortable) {
    ScanTileAvx512(bounds, order, limit, offset, floor, below, size, least, open);
    return;
  }
#else
  (void)isa;
#endif
  for (std::int32_t q = 0; q < size; ++q) {
    const float bound = bounds[q];
    if (bound < 0) continue;
    const std::int32_t j = order[q];
    const Weight lim = std::max(limit[static_cast<size_t>(j)] + offset, floor);
    if (lim >= below) continue;  // no weight of the scan exceeds `below`
    // The weight is at most the bound's: w <= ceil(bound * scale) <= cap (the bound is not
    // negative here, so truncation plus one is at least the ceiling).
    const Weight cap =
        static_cast<Weight>(static_cast<double>(bound) * static_cast<double>(kScoreScale)) + 1;
    if (lim >= 0 && cap <= lim) {
      *least = std::min(*least, lim - cap);
    } else {
      open->emplace_back(cap - lim, j);
    }
  }
}

// HandBound when the processor has AVX-512, unless the environment variable
// TANDEM_VECTOR_BOUND asks for "compiled" (FilterBody for AVX-512) or "portable" (the tests
// compare all three that way).
FilterIsa DetectFilterIsa() {
  const char* value = std::getenv("TANDEM_VECTOR_BOUND");
  const std::string_view asked = value == nullptr ? "" : value;
  if (asked == "portable") return FilterIsa::kPortable;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vpopcntdq") && __builtin_cpu_supports("fma")) {
    return asked == "compiled" ? FilterIsa::kCompiled : FilterIsa::kAvx512;
  }
#endif
  return FilterIsa::kPortable;
}

void Filter(FilterIsa isa, const Columns& c, const FilterRow& r, std::int32_t first,
            std::int32_t count, const std::int32_t* blocks, float* out) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (isa == FilterIsa::kAvx512) return FilterHand(c, r, first, count, blocks, out);
  if (isa == FilterIsa::kCompiled) return FilterAvx512(c, r, first, count, blocks, out);
#endif
  (void)isa;
  FilterPortable(c, r, first, count, blocks, out);
}

// The skip blocks of the m mentors of columns c (ts table skills).
SkipIndex BuildSkipIndex(const Columns& c, std::int32_t m, size_t ts) {
  SkipIndex index;
  const std::int32_t blocks = (m + kSkipBlock - 1) / kSkipBlock;
  const size_t padded = static_cast<size_t>(blocks) + 16;
  index.flags.assign(padded, 0);
  index.seniority_min.assign(padded, 0);
  index.seniority_max.assign(padded, 0);
  std::fill_n(index.seniority_min.begin(), blocks, std::numeric_limits<std::int32_t>::max());
  std::fill_n(index.seniority_max.begin(), blocks, std::numeric_limits<std::int32_t>::min());
  for (auto& column : index.avail) column.assign(padded, 0);
  for (auto& column : index.language) column.assign(padded, 0);
  index.blocks.assign(static_cast<size_t>(blocks), SkipBlock{});
  index.levels.assign(static_cast<size_t>(blocks) * ts, 0);
  for (std::int32_t p = 0; p < m; ++p) {
    const auto q = static_cast<size_t>(p);
    const size_t b = q / kSkipBlock;
    const std::int32_t f = c.flags[q];
    std::int32_t& flags = index.flags[b];
    if ((f & Columns::kCapacity) != 0) flags |= SkipIndex::kAnyCapacity;
    index.seniority_min[b] = std::min(index.seniority_min[b], c.seniority[q]);
    index.seniority_max[b] = std::max(index.seniority_max[b], c.seniority[q]);
    if ((f & Columns::kAvailable) != 0) {
      for (size_t w = 0; w < 6; ++w) index.avail[w][b] |= c.avail[w][q];
    } else {
      flags |= SkipIndex::kAnyUnavailable;
    }
    if ((f & Columns::kLanguage) != 0) {
      for (size_t w = 0; w < 2; ++w) index.language[w][b] |= c.language[w][q];
    } else {
      flags |= SkipIndex::kAnyWithoutLanguage;
    }
    SkipBlock& block = index.blocks[b];
    if ((f & Columns::kTimeZone) != 0) {
      block.offset_min = std::min(block.offset_min, c.offset[q]);
      block.offset_max = std::max(block.offset_max, c.offset[q]);
    } else {
      block.any_without_time_zone = true;
    }
    std::uint8_t* level = index.levels.data() + b * ts;
    for (size_t k = 0; k < ts; ++k) {
      level[k] =
          std::max(level[k], static_cast<std::uint8_t>(c.levels[k * static_cast<size_t>(m) + q]));
    }
  }
  return index;
}

#if defined(__x86_64__) && defined(__GNUC__)
// Bit l set when one of the first four rules of CandidateScorer::Data::Skip (capacity,
// seniority gap, weekly overlap, shared language) excludes every mentor of block
// first_block + l.
__attribute__((target("avx512f,avx512vpopcntdq,popcnt"))) std::uint32_t SkipMaskAvx512(
    const FilterRow& r, const SkipIndex& index, std::int32_t first_block) {
  const __m512i flags = _mm512_loadu_si512(index.flags.data() + first_block);
  const __m512i zero = _mm512_setzero_si512();
  __mmask16 skip = _mm512_cmpeq_epi32_mask(
      _mm512_and_si512(flags, _mm512_set1_epi32(SkipIndex::kAnyCapacity)), zero);
  const __m512i gap =
      r.sign > 0 ? _mm512_sub_epi32(_mm512_loadu_si512(index.seniority_max.data() + first_block),
                                    _mm512_set1_epi32(r.seniority))
                 : _mm512_sub_epi32(_mm512_set1_epi32(r.seniority),
                                    _mm512_loadu_si512(index.seniority_min.data() + first_block));
  skip |= _mm512_cmplt_epi32_mask(gap, _mm512_set1_epi32(r.min_gap));
  if (r.min_overlap > 0 && r.available != 0) {
    __m512i overlap = zero;
    for (size_t w = 0; w < 6; ++w) {
      overlap =
          _mm512_add_epi32(overlap, _mm512_popcnt_epi32(_mm512_and_si512(
                                        _mm512_loadu_si512(index.avail[w].data() + first_block),
                                        _mm512_set1_epi32(static_cast<int>(r.avail[w])))));
    }
    const __mmask16 all_available = _mm512_cmpeq_epi32_mask(
        _mm512_and_si512(flags, _mm512_set1_epi32(SkipIndex::kAnyUnavailable)), zero);
    skip |= all_available & _mm512_cmplt_epi32_mask(overlap, _mm512_set1_epi32(r.min_overlap));
  }
  if (r.languages != 0 && r.check_language != 0 && r.require_language != 0) {
    const __m512i shared =
        _mm512_or_si512(_mm512_and_si512(_mm512_loadu_si512(index.language[0].data() + first_block),
                                         _mm512_set1_epi32(static_cast<int>(r.language[0]))),
                        _mm512_and_si512(_mm512_loadu_si512(index.language[1].data() + first_block),
                                         _mm512_set1_epi32(static_cast<int>(r.language[1]))));
    const __mmask16 all_listed = _mm512_cmpeq_epi32_mask(
        _mm512_and_si512(flags, _mm512_set1_epi32(SkipIndex::kAnyWithoutLanguage)), zero);
    skip |= all_listed & _mm512_cmpeq_epi32_mask(shared, zero);
  }
  return skip;
}
#endif

// The columns of `c` with mentor order[p] at position p.
Columns Permuted(const Columns& c, const std::vector<std::int32_t>& order) {
  const size_t m = order.size();
  Columns out;
  const auto permute = [&order, m](const auto& from, auto& to) {
    to.resize(m);
    for (size_t p = 0; p < m; ++p) to[p] = from[static_cast<size_t>(order[p])];
  };
  for (auto [from, to] : {std::pair{&c.flags, &out.flags}, std::pair{&c.seniority, &out.seniority},
                          std::pair{&c.person, &out.person}, std::pair{&c.offset, &out.offset},
                          std::pair{&c.site, &out.site}, std::pair{&c.department, &out.department},
                          std::pair{&c.style, &out.style}}) {
    permute(*from, *to);
  }
  permute(c.tin, out.tin);
  permute(c.tout, out.tout);
  for (size_t w = 0; w < 6; ++w) permute(c.avail[w], out.avail[w]);
  for (size_t w = 0; w < 2; ++w) {
    permute(c.language[w], out.language[w]);
    permute(c.background[w], out.background[w]);
    for (size_t t = 0; t < 3; ++t) permute(c.tag[t][w], out.tag[t][w]);
  }
  for (size_t t = 0; t < 3; ++t) permute(c.tag_count[t], out.tag_count[t]);
  for (size_t t = 0; t < 5; ++t) permute(c.big5[t], out.big5[t]);
  const size_t columns = m == 0 ? 0 : c.levels.size() / m;  // skills + the zero column
  out.levels.resize(c.levels.size());
  for (size_t k = 0; k < columns; ++k) {
    for (size_t p = 0; p < m; ++p) {
      out.levels[k * m + p] = c.levels[k * m + static_cast<size_t>(order[p])];
    }
  }
  return out;
}

class TopK;
struct Shortlist;

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
  std::int32_t table_skills = 0;               // skills with a level column; 0 = no table
  std::vector<std::int32_t> mentor_of_person;  // person -> mentor index, or -1
  // The columns hold the mentors in `layout` order (alike mentors next to each other, so that
  // the hard rules exclude whole blocks): position p is mentor layout[p].
  Columns columns;
  std::vector<std::int32_t> layout, layout_position;
  SkipIndex skip;  // of the layout
  FilterIsa isa = FilterIsa::kPortable;
  std::array<float, kCriterionCount> weight_f{};

  const std::int32_t* Ids(Span s) const { return ids.data() + s.begin; }

  void PrepareRow(std::int32_t person, RowBound& row) const;
  // The per-mentee constants of the bound over the columns `c` (the scorer's own, or a
  // MentorOrder's).
  void PrepareFilter(const RowBound& row, const Columns& c, FilterRow& filter) const;
  // The score bound of the mentors at positions [first, first + count) of the columns `c` into
  // out (-1 when a cheap hard rule excludes the pair), the mentee's choices included: at least
  // the exact score of every eligible pair. `position` maps a mentor to its position in `c`
  // (nullptr: the identity).
  // With `blocks` (nblocks starts of full skip blocks inside the range), only those blocks are
  // computed; the caller has set the rest of out.
  void TileBound(const RowBound& row, const FilterRow& filter, const Columns& c,
                 const std::int32_t* position, std::int32_t first, std::int32_t count, float* out,
                 const std::int32_t* blocks = nullptr, std::int32_t nblocks = 0) const {
    if (blocks == nullptr) {
      Filter(isa, c, filter, first, count, nullptr, out);
    } else {
      Filter(isa, c, filter, first, nblocks, blocks, out);
    }
    for (size_t k = 0; k < row.choice_mentor.size(); ++k) {
      const std::int32_t j = row.choice_mentor[k];
      if (j < 0) continue;
      const std::int32_t q = (position == nullptr ? j : position[static_cast<size_t>(j)]) - first;
      // The choice term counts before the division by the weight total; inv_base is the larger
      // of the two divisors' inverses, so this is an upper bound either way.
      if (q >= 0 && q < count && out[q] >= 0) {
        out[q] += row.choice_term[k] * static_cast<float>(inv_base);
      }
    }
  }

  // True when a hard rule excludes every mentor of skip block b of `index` for the mentee.
  // With `later` set, only the rules SkipMaskAvx512 leaves out (time zone, skill direction).
  bool Skip(const RowBound& row, const FilterRow& r, const SkipIndex& index, std::int32_t b,
            bool later = false) const;
  // TileBound over positions [first, first + count) of the layout (first a multiple of
  // kSkipBlock), skip blocks set to -1 without computing their pairs. Returns the pairs skipped.
  std::int64_t LayoutBound(const RowBound& row, const FilterRow& filter, std::int32_t first,
                           std::int32_t count, float* out) const;
  // The same over columns `c` (mentor j at position[j]) with their skip blocks `index`: first a
  // multiple of kSkipBlock, count at most kMentorBlock.
  std::int64_t BlockBound(const RowBound& row, const FilterRow& filter, const Columns& c,
                          const std::int32_t* position, const SkipIndex& index, std::int32_t first,
                          std::int32_t count, float* out) const;
  // The end of a row's scan for its k best: the shortlist's pairs scored exactly, best bound
  // first, offered to `top`; then, if a pair left out of the shortlist could still enter, the
  // whole row again. Adds the exact scores to *exact; returns whether the row was rescanned.
  bool FinishRow(const RowBound& row, const FilterRow& filter, std::int32_t k, Shortlist& list,
                 TopK& top, std::int64_t* exact) const;

  void PrefetchFeatures(std::int32_t person) const {
    const char* f = reinterpret_cast<const char*>(people.data() + person);
    for (size_t line = 0; line < sizeof(Features); line += 64) __builtin_prefetch(f + line);
  }
  void PrefetchSkills(std::int32_t person) const {
    const Features& f = people[static_cast<size_t>(person)];
    __builtin_prefetch(held.data() + f.held.begin);
  }

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

  // Instance view.
  for (std::int32_t p : d.mentees) d.mentee_labels.push_back(people[static_cast<size_t>(p)].id);
  d.mentor_of_person.assign(people.size(), -1);
  d.table_skills = skills.size() <= kMaxTableSkills ? std::max<std::int32_t>(1, skills.size()) : 0;
  for (size_t j = 0; j < d.mentors.size(); ++j) {
    const std::int32_t p = d.mentors[j];
    d.mentor_labels.push_back(people[static_cast<size_t>(p)].id);
    d.capacity.push_back(d.people[static_cast<size_t>(p)].capacity);
    d.mentor_of_person[static_cast<size_t>(p)] = static_cast<std::int32_t>(j);
  }
  // The layout: mentors by time zone, site, seniority and languages, so that the rules that
  // exclude most pairs (weekly overlap, which follows the time zone, the seniority gap and the
  // shared language) exclude whole blocks. The columns hold the mentors in that order.
  {
    const auto m = static_cast<std::int32_t>(d.mentors.size());
    const auto mentor = [&d](std::int32_t j) -> const Features& {
      return d.people[static_cast<size_t>(d.mentors[static_cast<size_t>(j)])];
    };
    d.layout.resize(static_cast<size_t>(m));
    std::iota(d.layout.begin(), d.layout.end(), 0);
    std::stable_sort(d.layout.begin(), d.layout.end(), [&](std::int32_t x, std::int32_t y) {
      const Features& a = mentor(x);
      const Features& b = mentor(y);
      const int da = DayMinutes(a.offset);
      const int db = DayMinutes(b.offset);
      return std::tie(da, a.site, a.seniority, a.mask[kLanguages]) <
             std::tie(db, b.site, b.seniority, b.mask[kLanguages]);
    });
    Columns& c = d.columns;
    const auto mm = static_cast<size_t>(m);
    const auto ts = static_cast<size_t>(d.table_skills);
    for (auto* v :
         {&c.flags, &c.seniority, &c.person, &c.offset, &c.site, &c.department, &c.style}) {
      v->resize(mm);
    }
    c.tin.resize(mm);
    c.tout.resize(mm);
    for (auto& v : c.avail) v.resize(mm);
    for (auto& v : c.language) v.resize(mm);
    for (auto& pair : c.tag) {
      for (auto& v : pair) v.resize(mm);
    }
    for (auto& v : c.tag_count) v.resize(mm);
    for (auto& v : c.big5) v.resize(mm);
    for (auto& v : c.background) v.resize(mm);
    c.levels.assign((ts + 1) * mm, 0);
    for (size_t q = 0; q < mm; ++q) {
      const std::int32_t j = d.layout[q];
      const Features& f = mentor(j);
      c.flags[q] = (f.capacity > 0 ? Columns::kCapacity : 0) |
                   (f.avail_hours > 0 ? Columns::kAvailable : 0) |
                   (f.has_time_zone ? Columns::kTimeZone : 0) |
                   (f.tags[kLanguages].size > 0 ? Columns::kLanguage : 0) |
                   (f.meeting != MeetingPreference::kInPerson ? Columns::kNotInPerson : 0) |
                   (f.background.size > 0 ? Columns::kBackground : 0) |
                   (f.has_personality ? Columns::kPersonality : 0);
      c.seniority[q] = f.seniority;
      c.person[q] = d.mentors[static_cast<size_t>(j)];
      c.offset[q] = DayMinutes(f.offset);  // Skip's time zone rule needs [0, 1440)
      c.site[q] = f.site;
      c.department[q] = f.department;
      c.style[q] = f.style;
      c.tin[q] = f.tin;
      c.tout[q] = f.tout;
      for (size_t w = 0; w < 6; ++w) {
        c.avail[w][q] = static_cast<std::uint32_t>(f.avail[w / 2] >> (32 * (w % 2)));
      }
      for (size_t w = 0; w < 2; ++w) {
        c.language[w][q] = static_cast<std::uint32_t>(f.mask[kLanguages] >> (32 * w));
        c.background[w][q] = static_cast<std::uint32_t>(f.background_mask >> (32 * w));
      }
      for (size_t t = 0; t < 3; ++t) {
        const size_t tag = t + 1;  // goals, interests, learning
        for (size_t w = 0; w < 2; ++w) {
          c.tag[t][w][q] = static_cast<std::uint32_t>(f.mask[tag] >> (32 * w));
        }
        c.tag_count[t][q] = static_cast<std::int32_t>(f.tags[tag].size);
      }
      for (size_t t = 0; t < 5; ++t) c.big5[t][q] = f.has_personality ? f.big5[t] : 0.0f;
      if (ts > 0) {
        for (std::uint32_t k = 0; k < f.held.size; ++k) {
          const Held& h = d.held[f.held.begin + k];
          c.levels[static_cast<size_t>(h.skill) * mm + q] = h.level;
        }
      }
    }
    d.layout_position.resize(static_cast<size_t>(m));
    for (std::int32_t p = 0; p < m; ++p) {
      d.layout_position[static_cast<size_t>(d.layout[static_cast<size_t>(p)])] = p;
    }
    d.skip = BuildSkipIndex(c, m, ts);
  }
  d.isa = DetectFilterIsa();
}

bool CandidateScorer::Data::Skip(const RowBound& row, const FilterRow& r, const SkipIndex& index,
                                 std::int32_t bi, bool later) const {
  const auto q = static_cast<size_t>(bi);
  if (!later) {
    const std::int32_t flags = index.flags[q];
    if ((flags & SkipIndex::kAnyCapacity) == 0) return true;
    const std::int32_t largest_gap =
        r.sign > 0 ? index.seniority_max[q] - r.seniority : r.seniority - index.seniority_min[q];
    if (largest_gap < r.min_gap) return true;
    if (r.min_overlap > 0 && r.available != 0 && (flags & SkipIndex::kAnyUnavailable) == 0) {
      std::int32_t overlap = 0;
      for (size_t w = 0; w < 6; ++w) overlap += PopCount32(r.avail[w] & index.avail[w][q]);
      if (overlap < r.min_overlap) return true;
    }
    if (r.languages != 0 && r.check_language != 0 && r.require_language != 0 &&
        (flags & SkipIndex::kAnyWithoutLanguage) == 0 &&
        ((r.language[0] & index.language[0][q]) | (r.language[1] & index.language[1][q])) == 0) {
      return true;
    }
  }
  const SkipBlock& b = index.blocks[q];
  if (r.time_zone != 0 && !b.any_without_time_zone &&
      r.max_zone < std::numeric_limits<std::int32_t>::max()) {
    int zone =
        std::min(CircularMinutes(r.offset, b.offset_min), CircularMinutes(r.offset, b.offset_max));
    // Offsets are in [0, 1440) (DayMinutes): inside the block's range the distance dips to 0
    // only at r.offset + 1440 k with k in {-1, 0, 1}; elsewhere it is least at an end.
    for (const int x : {r.offset - kMinutesPerDay, r.offset, r.offset + kMinutesPerDay}) {
      if (b.offset_min <= x && x <= b.offset_max) zone = 0;
    }
    if (zone > r.max_zone) return true;
  }
  if (r.direction_rule != 0 && r.direction_known != 0) {
    const std::uint8_t* level = index.levels.data() + q * static_cast<size_t>(table_skills);
    bool any = false;
    for (int t = 0; t < row.table_skills; ++t) {
      any |= level[row.skill[static_cast<size_t>(t)]] >= kDirectionLevel;
    }
    if (!any) return true;
  }
  return false;
}

std::int64_t CandidateScorer::Data::LayoutBound(const RowBound& row, const FilterRow& filter,
                                                std::int32_t first, std::int32_t count,
                                                float* out) const {
  return BlockBound(row, filter, columns, layout_position.data(), skip, first, count, out);
}

std::int64_t CandidateScorer::Data::BlockBound(const RowBound& row, const FilterRow& filter,
                                               const Columns& c, const std::int32_t* position,
                                               const SkipIndex& index, std::int32_t first,
                                               std::int32_t count, float* out) const {
  std::int64_t skipped = 0;
  std::array<std::int32_t, kMentorBlock / kSkipBlock> alive{};
  std::int32_t alive_count = 0;
  std::int32_t partial = -1;  // start of the last, shorter block, when it is not skipped
  const std::int32_t end = first + count;
  // Blocks the first four rules exclude, 16 at a time (the rest is tested block by block).
  std::uint32_t excluded = 0;
  const bool masks = isa != FilterIsa::kPortable;
  for (std::int32_t p = first; p < end; p += kSkipBlock) {
    const std::int32_t size = std::min(kSkipBlock, end - p);
    const std::int32_t b = p / kSkipBlock;
#if defined(__x86_64__) && defined(__GNUC__)
    if (masks && (p - first) % (16 * kSkipBlock) == 0) {
      excluded = SkipMaskAvx512(filter, index, b);
    }
#endif
    if ((masks && ((excluded >> ((p - first) / kSkipBlock % 16)) & 1u) != 0) ||
        ((!masks || filter.later_rules != 0) && Skip(row, filter, index, b, masks))) {
      std::fill_n(out + (p - first), size, -1.0f);
      skipped += size;
    } else if (size == kSkipBlock) {
      alive[static_cast<size_t>(alive_count++)] = p;
    } else {
      partial = p;
    }
  }
  // The full blocks in one call; its range (where it adds the mentee's choices) stops before
  // the last, shorter block of the layout, which has a call of its own.
  if (alive_count > 0) {
    TileBound(row, filter, c, position, first, (partial >= 0 ? partial : end) - first, out,
              alive.data(), alive_count);
  }
  if (partial >= 0) {
    TileBound(row, filter, c, position, partial, end - partial, out + (partial - first));
  }
  return skipped;
}

void CandidateScorer::Data::PrepareFilter(const RowBound& row, const Columns& target,
                                          FilterRow& r) const {
  const Features& a = *row.a;
  const auto w = [this](Criterion c) { return weight_f[static_cast<size_t>(c)]; };
  const size_t m = mentors.size();
  r = FilterRow{};
  r.seniority = row.seniority;
  r.sign = row.reverse ? -1 : 1;
  r.min_gap = config.min_seniority_gap;
  r.person = row.person;
  r.tin = row.tin;
  r.tout = row.tout;
  r.reporting = config.exclude_reporting_line ? 1 : 0;
  for (size_t k = 0; k < 6; ++k)
    r.avail[k] = static_cast<std::uint32_t>(a.avail[k / 2] >> (32 * (k % 2)));
  r.available = a.avail_hours > 0 ? 1 : 0;
  r.min_overlap = config.min_overlap_hours;
  for (size_t k = 0; k < 2; ++k) {
    r.language[k] = static_cast<std::uint32_t>(a.mask[kLanguages] >> (32 * k));
  }
  r.languages = a.tags[kLanguages].size > 0 ? 1 : 0;
  r.check_language = row.check_language ? 1 : 0;
  r.require_language = config.require_shared_language ? 1 : 0;
  r.site = a.site;
  r.in_person_rule = config.format == Format::kInPerson ? 1 : 0;
  r.half_location = config.format == Format::kVirtual ? 1 : 0;
  r.not_in_person = a.meeting != MeetingPreference::kInPerson ? 1 : 0;
  r.department = a.department;
  r.department_neutral = a.department < 0 || config.department_rule == DepartmentRule::kAny ? 1 : 0;
  r.want_same = config.department_rule == DepartmentRule::kPreferSame ||
                        config.department_rule == DepartmentRule::kRequireSame
                    ? 1
                    : 0;
  r.require_cross = config.department_rule == DepartmentRule::kRequireCross ? 1 : 0;
  r.require_same = config.department_rule == DepartmentRule::kRequireSame ? 1 : 0;
  r.style = a.style;
  r.opposite = a.style >= 0 ? opposite_style[static_cast<size_t>(a.style)] : -1;
  if (r.opposite < 0) r.opposite = -2;  // never equal to a mentor's style (or to "none")
  r.similar = config.communication_mode == StyleMode::kSimilar ? 1 : 0;
  r.time_zone = a.has_time_zone ? 1 : 0;
  r.offset = DayMinutes(a.offset);
  r.max_zone = config.max_time_zone_difference_hours ? *config.max_time_zone_difference_hours * 60
                                                     : std::numeric_limits<std::int32_t>::max();
  r.background = row.opted_background ? 1 : 0;
  const std::int32_t* zero = target.levels.data() + static_cast<size_t>(table_skills) * m;
  for (size_t t = 0; t < 4; ++t) {
    if (static_cast<int>(t) < row.table_skills) {
      r.skill_column[t] = target.levels.data() + static_cast<size_t>(row.skill[t]) * m;
      r.own[t] = row.own[t];
      r.skill_weight[t] = row.skill_weight[t];
      r.inv_range[t] = row.inv_range[t];
    } else {
      r.skill_column[t] = zero;
    }
  }
  r.direction_rule = config.model == Model::kReverse || config.model == Model::kSkillBased ? 1 : 0;
  r.direction_known = row.table_skills == static_cast<int>(a.wanted.size) ? 1 : 0;
  r.w_seniority = w(Criterion::kSeniority);
  r.base = row.skills_rest + row.choice_other;
  const Criterion tag_criteria[3] = {Criterion::kGoals, Criterion::kInterests,
                                     Criterion::kLearning};
  for (size_t t = 0; t < 3; ++t) {
    const size_t tag = t + 1;  // goals, interests, learning
    for (size_t k = 0; k < 2; ++k) {
      r.tag[t][k] = static_cast<std::uint32_t>(a.mask[tag] >> (32 * k));
    }
    const std::uint32_t na = a.tags[tag].size;
    r.tag_listed[t] = na > 0 ? 1 : 0;
    r.tag_small[t] = small[tag] ? 1.0f : 0.0f;
    r.tag_count[t] = static_cast<float>(na);
    r.inv_tag_count[t] = na > 0 ? 1.0f / static_cast<float>(na) : 0.0f;
    r.w_tag[t] = w(tag_criteria[t]);
  }
  r.personality = a.has_personality ? 1 : 0;
  r.personality_similar = config.personality_mode == StyleMode::kSimilar ? 1.0f : 0.0f;
  r.big5 = a.big5;
  r.w_personality = w(Criterion::kPersonality);
  for (size_t k = 0; k < 2; ++k) {
    r.background_mask[k] = static_cast<std::uint32_t>(a.background_mask >> (32 * k));
  }
  r.background_small = background_small ? 1.0f : 0.0f;
  r.inv_background_count =
      a.background.size > 0 ? 1.0f / static_cast<float>(a.background.size) : 0.0f;
  r.inv_full_overlap = static_cast<float>(inv_full_overlap);
  r.inv_base = static_cast<float>(inv_base);
  r.inv_background = static_cast<float>(inv_background);
  r.w_language = w(Criterion::kLanguage);
  r.w_location = w(Criterion::kLocation);
  r.w_department = w(Criterion::kDepartment);
  r.w_communication = w(Criterion::kCommunication);
  r.w_time_zone = w(Criterion::kTimeZone);
  r.w_availability = w(Criterion::kAvailability);
  r.w_background = w(Criterion::kSharedBackground);
  r.later_rules = (r.time_zone != 0 && r.max_zone < std::numeric_limits<std::int32_t>::max()) ||
                          (r.direction_rule != 0 && r.direction_known != 0)
                      ? 1
                      : 0;
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
const std::vector<std::int32_t>& CandidateScorer::layout_position() const {
  return d_->layout_position;
}

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
  // Skills: up to four wanted skills read from the level table, any others at full coverage.
  if (a.wanted.size == 0) {
    row.skills_rest = w(Criterion::kSkills) * static_cast<float>(kNeutral);
  } else {
    const auto inv_total = static_cast<float>(a.inv_wanted_total);
    for (std::uint32_t k = 0; k < a.wanted.size; ++k) {
      const Wanted& x = wanted[a.wanted.begin + k];
      const float term = w(Criterion::kSkills) * x.weight * inv_total;
      if (table_skills > 0 && row.table_skills < 4) {
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
}

Weight CandidateScorer::WeightBound(std::int32_t i, std::int32_t j) const {
  RowBound row;
  FilterRow filter;
  d_->PrepareRow(d_->mentees[static_cast<size_t>(i)], row);
  d_->PrepareFilter(row, d_->columns, filter);
  float bound = -1;
  d_->TileBound(row, filter, d_->columns, d_->layout_position.data(),
                d_->layout_position[static_cast<size_t>(j)], 1, &bound);
  if (bound < 0) return -1;
  return ScoreToWeight(static_cast<double>(bound));
}

namespace {

// Keeps the best k (weight descending, mentor ascending) of the pairs offered, in any order.
class TopK {
 public:
  explicit TopK(std::int32_t k) : k_(static_cast<size_t>(k)) {
    heap_.reserve(std::min<size_t>(k_, 1024));  // k may be a whole row's size
  }
  bool full() const { return heap_.size() == k_; }
  Weight worst() const { return heap_.front().first; }
  void Offer(Weight w, std::int32_t j) {
    if (!full()) {
      heap_.emplace_back(w, j);
      std::push_heap(heap_.begin(), heap_.end(), Better);
    } else if (Better({w, j}, heap_.front())) {
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

// The pairs of one mentee whose bound may put them among its k best: every pair with a bound of
// at least `floor` (and some below). The floor trails the k-th largest bound seen by a slack
// that covers the bound's margin and rounding, so that, the bound being that close to the exact
// score, the k best pairs by exact score are normally inside; Best() checks that they are.
struct Shortlist {
  static constexpr float kSlack = 4 * kBoundMargin;
  // The pairs as two columns while the list grows; Finish() sets `pairs` (bound, position).
  std::vector<float> bound;
  std::vector<std::int32_t> where;
  std::vector<std::pair<float, std::int32_t>> pairs;
  float floor = 0;  // eligible pairs have a bound of at least kBoundMargin > 0
  FilterIsa isa = FilterIsa::kPortable;

  // Adds the pairs of a tile whose bound reaches the floor; returns how many are eligible
  // (bound at least 0). Few bounds reach the floor: a group of 16 is tested at once, and read
  // one by one only when one of them does.
  std::int32_t Add(FilterIsa build, const float* bounds, std::int32_t first, std::int32_t count,
                   std::int32_t k) {
    isa = build;
#if defined(__x86_64__) && defined(__GNUC__)
    if (isa != FilterIsa::kPortable) return AddAvx512(bounds, first, count, k);
#endif
    std::int32_t eligible = 0;
    for (std::int32_t q = 0; q < count; ++q) {
      eligible += static_cast<std::int32_t>(bounds[q] >= 0);
    }
    constexpr std::int32_t kGroup = 16;
    for (std::int32_t q = 0; q < count; ++q) {
      if (q % kGroup == 0 && q + kGroup <= count) {
        std::int32_t any = 0;
        for (std::int32_t l = 0; l < kGroup; ++l) {
          any |= static_cast<std::int32_t>(bounds[q + l] >= floor);
        }
        if (any == 0) {
          q += kGroup - 1;
          continue;
        }
      }
      Offer(bounds[q], first + q, k);
    }
    return eligible;
  }
#if defined(__x86_64__) && defined(__GNUC__)
  // The same with AVX-512 compares: per 16 bounds, one mask for the eligible count and one
  // against the floor.
  __attribute__((target("avx512f,popcnt"))) std::int32_t AddAvx512(const float* bounds,
                                                                   std::int32_t first,
                                                                   std::int32_t count,
                                                                   std::int32_t k) {
    std::int32_t eligible = 0;
    const __m512 zero = _mm512_setzero_ps();
    for (std::int32_t q = 0; q < count; q += 16) {
      const auto lanes = TailLanes(count - q);
      const __m512 v = _mm512_maskz_loadu_ps(lanes, bounds + q);
      eligible += __builtin_popcount(_mm512_mask_cmp_ps_mask(lanes, v, zero, _CMP_GE_OQ));
      unsigned hit = _mm512_mask_cmp_ps_mask(lanes, v, _mm512_set1_ps(floor), _CMP_GE_OQ);
      while (hit != 0) {
        const auto l = static_cast<std::int32_t>(__builtin_ctz(hit));
        hit &= hit - 1;
        Offer(bounds[q + l], first + q + l, k);
      }
    }
    return eligible;
  }
#endif
  // Adds one pair unless its bound is below the floor (which may have risen since it was
  // tested).
  void Offer(float b, std::int32_t p, std::int32_t k) {
    if (b < floor) return;
    bound.push_back(b);
    where.push_back(p);
    // Cut often, so that the floor follows the k-th largest bound closely as it rises (a
    // short list is cheap to cut; 4k + 512 let most pairs early in a row in).
    if (bound.size() >= 2 * static_cast<size_t>(k) + 64) Compact(k);
  }
  // Raises the floor to the k-th largest bound less the slack, and drops the pairs below it.
  void Compact(std::int32_t k) {
    if (bound.size() < static_cast<size_t>(k)) return;
#if defined(__x86_64__) && defined(__GNUC__)
    if (isa != FilterIsa::kPortable) return CompactAvx512(k);
#endif
    scratch = bound;
    const auto kth = scratch.begin() + (k - 1);
    std::nth_element(scratch.begin(), kth, scratch.end(), std::greater<float>());
    floor = std::max(floor, *kth - kSlack);
    size_t kept = 0;
    for (size_t e = 0; e < bound.size(); ++e) {
      if (bound[e] < floor) continue;
      bound[kept] = bound[e];
      where[kept] = where[e];
      ++kept;
    }
    bound.resize(kept);
    where.resize(kept);
  }
#if defined(__x86_64__) && defined(__GNUC__)
  // The same without sorting: the bounds are not negative, so their bit patterns order as they
  // do; the k-th largest is found bit by bit, from the top, by counting the bounds at or above
  // each candidate (16 a compare), and the pairs below the floor are dropped by compress
  // stores.
  __attribute__((target("avx512f,popcnt"))) void CompactAvx512(std::int32_t k) {
    const auto n = static_cast<std::int32_t>(bound.size());
    std::uint32_t kth = 0;
    for (int bit = 30; bit >= 0; --bit) {
      const std::uint32_t candidate = kth | (1u << static_cast<unsigned>(bit));
      const __m512i c = _mm512_set1_epi32(static_cast<int>(candidate));
      std::int32_t at_least = 0;
      for (std::int32_t q = 0; q < n; q += 16) {
        const auto lanes = TailLanes(n - q);
        const __m512i bits = _mm512_castps_si512(_mm512_maskz_loadu_ps(lanes, bound.data() + q));
        at_least += __builtin_popcount(_mm512_mask_cmpge_epu32_mask(lanes, bits, c));
      }
      if (at_least >= k) kth = candidate;
    }
    float value = 0;
    std::memcpy(&value, &kth, sizeof(value));
    floor = std::max(floor, value - kSlack);
    const __m512 f = _mm512_set1_ps(floor);
    std::int32_t kept = 0;
    for (std::int32_t q = 0; q < n; q += 16) {
      const auto lanes = TailLanes(n - q);
      const __m512 v = _mm512_maskz_loadu_ps(lanes, bound.data() + q);
      const __m512i w = _mm512_maskz_loadu_epi32(lanes, where.data() + q);
      const __mmask16 keep = _mm512_mask_cmp_ps_mask(lanes, v, f, _CMP_GE_OQ);
      // Compressed in registers, then stored: a compress store to memory is slow on some
      // processors.
      const int count = __builtin_popcount(keep);
      const auto first = static_cast<__mmask16>((1u << static_cast<unsigned>(count)) - 1u);
      _mm512_mask_storeu_ps(bound.data() + kept, first, _mm512_maskz_compress_ps(keep, v));
      _mm512_mask_storeu_epi32(where.data() + kept, first, _mm512_maskz_compress_epi32(keep, w));
      kept += count;
    }
    bound.resize(static_cast<size_t>(kept));
    where.resize(static_cast<size_t>(kept));
  }
#endif
  // Compacts and sorts by bound, best first.
  void Finish(std::int32_t k) {
    Compact(k);
    pairs.resize(bound.size());
    for (size_t e = 0; e < bound.size(); ++e) pairs[e] = {bound[e], where[e]};
    std::sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
  }

 private:
  std::vector<float> scratch;  // Compact's copy of the bounds (portable build)
};

}  // namespace

bool CandidateScorer::Data::FinishRow(const RowBound& row, const FilterRow& filter, std::int32_t k,
                                      Shortlist& list, TopK& top, std::int64_t* exact) const {
  list.Finish(k);
  float lim = -1.0f;
  // The mentors' features are read in no particular order and miss the cache: those of the
  // pairs a few places ahead are fetched while a pair is scored (their held skills once the
  // features themselves have arrived).
  const auto& pairs = list.pairs;
  const auto person_at = [&](size_t e) {
    return mentors[static_cast<size_t>(layout[static_cast<size_t>(pairs[e].second)])];
  };
  for (size_t e = 0; e < pairs.size(); ++e) {
    const auto [bound, p] = pairs[e];
    if (bound < lim) break;
    if (e + 4 < pairs.size()) PrefetchFeatures(person_at(e + 4));
    if (e + 2 < pairs.size()) PrefetchSkills(person_at(e + 2));
    ++*exact;
    const std::int32_t j = layout[static_cast<size_t>(p)];
    const Weight w = Exact(row.person, mentors[static_cast<size_t>(j)]);
    if (w < 0) continue;
    top.Offer(w, j);
    if (top.full()) lim = LimitAbove(top.worst() - 1);
  }
  // Every pair left out of the shortlist has a bound below list.floor: none of them can enter
  // when the limit is at least the floor (an eligible pair's bound is above 0, the limit while
  // fewer than k were found).
  if ((top.full() ? lim : 0.0f) >= list.floor) return false;
  top.Clear();
  const auto m = static_cast<std::int32_t>(mentors.size());
  std::array<float, kMentorBlock> bounds{};
  for (std::int32_t jb = 0; jb < m; jb += kMentorBlock) {
    const std::int32_t je = std::min(m, jb + kMentorBlock);
    LayoutBound(row, filter, jb, je - jb, bounds.data());
    for (std::int32_t p = jb; p < je; ++p) {
      const float bound = bounds[static_cast<size_t>(p - jb)];
      if (bound < 0 || bound < lim) continue;
      ++*exact;
      const std::int32_t j = layout[static_cast<size_t>(p)];
      const Weight w = Exact(row.person, mentors[static_cast<size_t>(j)]);
      if (w < 0) continue;
      top.Offer(w, j);
      if (top.full()) lim = std::max(lim, LimitAbove(top.worst() - 1));
    }
  }
  return true;
}

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
  std::atomic<std::int64_t> rescanned{0};
  std::atomic<std::int64_t> skipped{0};
  auto work = [&](std::int64_t chunk) {
    const auto lo = static_cast<std::int32_t>(chunk) * kMenteeChunk;
    const std::int32_t hi = std::min(n, lo + kMenteeChunk);
    std::vector<RowBound> rows(static_cast<size_t>(hi - lo));
    std::vector<FilterRow> filters(static_cast<size_t>(hi - lo));
    std::vector<TopK> tops(static_cast<size_t>(hi - lo), TopK(k));
    std::vector<Shortlist> lists(static_cast<size_t>(hi - lo));
    std::array<float, kMentorBlock> bounds{};
    for (std::int32_t i = lo; i < hi; ++i) {
      const auto r = static_cast<size_t>(i - lo);
      d.PrepareRow(d.mentees[static_cast<size_t>(i)], rows[r]);
      d.PrepareFilter(rows[r], d.columns, filters[r]);
    }
    std::int64_t local_bounded = 0;
    std::int64_t local_exact = 0;
    std::int64_t local_rescanned = 0;
    std::int64_t local_skipped = 0;
    // Pass 1: the bound of every pair, tile by tile (the tile's mentor columns stay in cache for
    // the chunk's mentees), keeping each mentee's shortlist of pairs that may be among its k best.
    for (std::int32_t jb = 0; jb < m; jb += kMentorBlock) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return;
      const std::int32_t je = std::min(m, jb + kMentorBlock);
      for (std::int32_t i = lo; i < hi; ++i) {
        const auto r = static_cast<size_t>(i - lo);
        local_skipped += d.LayoutBound(rows[r], filters[r], jb, je - jb, bounds.data());
        local_bounded += lists[r].Add(d.isa, bounds.data(), jb, je - jb, k);
      }
    }
    // Pass 2: exact scores of the shortlist, best bound first, until the bound cannot beat the
    // k-th best; a row whose shortlist turns out too short is scanned again with that limit.
    for (std::int32_t i = lo; i < hi; ++i) {
      const auto r = static_cast<size_t>(i - lo);
      if (d.FinishRow(rows[r], filters[r], k, lists[r], tops[r], &local_exact)) {
        ++local_rescanned;
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
    rescanned += local_rescanned;
    skipped += local_skipped;
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
  out.rows_rescanned = rescanned.load();
  out.pairs_skipped = skipped.load();
  if (progress) progress("candidates", 1.0);
  return out;
}

struct MentorOrder::Data {
  std::vector<std::int32_t> order;
  std::vector<std::int32_t> position;  // mentor -> position in order
  Columns columns;                     // the scorer's columns, permuted
  bool alike = false;                  // skip blocks kept (`skip`)
  SkipIndex skip;
};

MentorOrder::MentorOrder(const CandidateScorer& scorer, std::vector<std::int32_t> order, bool alike)
    : d_(std::make_unique<Data>()) {
  const auto& columns = scorer.d_->columns;
  d_->position.assign(order.size(), -1);
  for (size_t p = 0; p < order.size(); ++p) {
    d_->position[static_cast<size_t>(order[p])] = static_cast<std::int32_t>(p);
  }
  // The scorer's columns are in its layout order: mentor order[p] sits at layout_position.
  std::vector<std::int32_t> from(order.size());
  for (size_t p = 0; p < order.size(); ++p) {
    from[p] = scorer.d_->layout_position[static_cast<size_t>(order[p])];
  }
  d_->columns = Permuted(columns, from);
  d_->order = std::move(order);
  d_->alike = alike;
  if (alike) {
    d_->skip = BuildSkipIndex(d_->columns, static_cast<std::int32_t>(d_->order.size()),
                              static_cast<size_t>(scorer.d_->table_skills));
  }
}

MentorOrder::~MentorOrder() = default;

const std::vector<std::int32_t>& MentorOrder::order() const { return d_->order; }

std::int64_t CandidateScorer::ScanRow(
    std::int32_t i, const MentorOrder& mentors,
    const std::vector<std::pair<std::int32_t, std::int32_t>>& ranges,
    const std::vector<Weight>& limit, Weight offset, Weight below,
    const std::vector<std::int32_t>& skip, std::int32_t keep,
    std::vector<std::pair<Weight, std::int32_t>>* violating, Weight* slack) const {
  const Data& d = *d_;
  const MentorOrder::Data& o = *mentors.d_;
  RowBound row;
  FilterRow filter;
  d.PrepareRow(d.mentees[static_cast<size_t>(i)], row);
  d.PrepareFilter(row, o.columns, filter);
  // The skipped mentors' positions, in order: a tile's are struck out by walking them.
  std::vector<std::int32_t> held;
  held.reserve(skip.size());
  for (const std::int32_t j : skip) held.push_back(o.position[static_cast<size_t>(j)]);
  std::sort(held.begin(), held.end());
  std::array<float, kMentorBlock> bounds{};
  std::int64_t visited = 0;
  Weight least = std::numeric_limits<Weight>::max();
  // Pairs the bound cannot clear: (largest violation the bound allows, mentor), scored below.
  std::vector<std::pair<Weight, std::int32_t>> open;
  for (const auto& [begin, end] : ranges) {
    visited += end - begin;
    for (std::int32_t first = begin; first < end;) {
      std::int32_t size = std::min(kMentorBlock, end - first);
      if (!o.alike) {
        d.TileBound(row, filter, o.columns, o.position.data(), first, size, bounds.data());
      } else if (first % kSkipBlock != 0) {
        // A piece of a skip block at the start of the range: computed unless the block is
        // skipped.
        size = std::min(size, kSkipBlock - first % kSkipBlock);
        if (d.Skip(row, filter, o.skip, first / kSkipBlock)) {
          std::fill_n(bounds.begin(), size, -1.0f);
        } else {
          d.TileBound(row, filter, o.columns, o.position.data(), first, size, bounds.data());
        }
      } else {
        // From the start of a skip block: those a hard rule excludes are not computed.
        d.BlockBound(row, filter, o.columns, o.position.data(), o.skip, first, size, bounds.data());
      }
      for (auto it = std::lower_bound(held.begin(), held.end(), first);
           it != held.end() && *it < first + size; ++it) {
        bounds[static_cast<size_t>(*it - first)] = -1.0f;
      }
      ScanTile(d.isa, bounds.data(), o.order.data() + first, limit.data(), offset,
               std::numeric_limits<Weight>::min(), below, size, &least, &open);
      first += size;
    }
  }
  // The open pairs by the violation their bound allows, largest first (taken from a heap: most
  // are never reached): scored exactly until that cannot reach the keep-th violation found (its
  // mentor may break a tie: go on while equal).
  const auto more_violated = [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  };
  const auto less_violated = [&more_violated](const auto& x, const auto& y) {
    return more_violated(y, x);
  };
  std::make_heap(open.begin(), open.end(), less_violated);
  violating->clear();
  std::vector<std::pair<Weight, std::int32_t>> best;  // (violation, mentor), a heap, worst first
  bool left_out = false;
  while (!open.empty()) {
    if (keep > 0 && best.size() == static_cast<size_t>(keep) &&
        open.front().first < best.front().first) {
      break;
    }
    const std::int32_t j = open.front().second;
    std::pop_heap(open.begin(), open.end(), less_violated);
    open.pop_back();
    if (!open.empty()) {
      // The next pair's features, fetched while this one is scored.
      d.PrefetchFeatures(d.mentors[static_cast<size_t>(open.front().second)]);
    }
    const Weight lim = limit[static_cast<size_t>(j)] + offset;
    const Weight w = d.Exact(row.person, d.mentors[static_cast<size_t>(j)]);
    if (w < 0) continue;
    if (w <= lim) {
      least = std::min(least, lim - w);
      continue;
    }
    best.emplace_back(w - lim, j);
    std::push_heap(best.begin(), best.end(), more_violated);
    if (best.size() > static_cast<size_t>(keep)) {
      std::pop_heap(best.begin(), best.end(), more_violated);
      best.pop_back();
      left_out = true;
    }
  }
  left_out = left_out || !open.empty();
  std::sort(best.begin(), best.end(), more_violated);
  for (const auto& [violation, j] : best) {
    violating->emplace_back(violation + limit[static_cast<size_t>(j)] + offset, j);
  }
  *slack = left_out ? -1 : least;
  return visited;
}

std::vector<std::pair<Weight, std::int32_t>> CandidateScorer::NextAbove(
    std::int32_t i, Place after, Place until, const std::vector<Weight>& limit, std::int32_t k,
    std::int64_t* scored) const {
  const Data& d = *d_;
  k = std::max(1, k);
  RowBound row;
  FilterRow filter;
  d.PrepareRow(d.mentees[static_cast<size_t>(i)], row);
  d.PrepareFilter(row, d.columns, filter);
  const auto m = static_cast<std::int32_t>(d.mentors.size());
  // A pair can come before `until` only if its weight reaches until.weight: the bound must pass
  // until.weight - 1 as it must pass the mentor's limit. (cap >= weight, and a pair is left out
  // only when cap <= max(limit, floor): its weight is then at most the limit, or below
  // until.weight. The tests cannot tell these off-by-ones apart, since a cap sits some 100
  // weight units above the exact weight, so keep both comparisons as they are.)
  const Weight floor = until.weight - 1;
  // Pairs the bound cannot clear: (the weight the bound allows, mentor), scored below.
  std::vector<std::pair<Weight, std::int32_t>> open;
  std::array<float, kMentorBlock> bounds{};
  for (std::int32_t jb = 0; jb < m; jb += kMentorBlock) {
    const std::int32_t size = std::min(kMentorBlock, m - jb);
    d.LayoutBound(row, filter, jb, size, bounds.data());
    Weight least = 0;  // not needed here
    const auto was = open.size();
    // A mentor whose limit is the largest Weight reaches `below` and is passed over.
    ScanTile(d.isa, bounds.data(), d.layout.data() + jb, limit.data(), 0, floor,
             std::numeric_limits<Weight>::max(), size, &least, &open);
    for (auto q = was; q < open.size(); ++q) {  // violation back to the weight allowed
      open[q].first += std::max(limit[static_cast<size_t>(open[q].second)], floor);
    }
  }
  // The open pairs by the weight their bound allows, largest first (from a heap: most are never
  // reached), scored exactly until that cannot reach the k-th pair kept.
  const auto less_allowed = [](const auto& x, const auto& y) { return x.first < y.first; };
  std::make_heap(open.begin(), open.end(), less_allowed);
  const auto in_window = [&](Weight w, std::int32_t j) {
    const bool past = w < after.weight || (w == after.weight && j > after.mentor);
    const bool before = w > until.weight || (w == until.weight && j < until.mentor);
    return past && before && w > limit[static_cast<size_t>(j)];
  };
  TopK top(k);
  std::int64_t exact = 0;
  while (!open.empty()) {
    // A cap equal to the k-th weight kept may still tie it and win on the mentor: go on.
    if (top.full() && open.front().first < top.worst()) break;
    const std::int32_t j = open.front().second;
    std::pop_heap(open.begin(), open.end(), less_allowed);
    open.pop_back();
    if (!open.empty()) d.PrefetchFeatures(d.mentors[static_cast<size_t>(open.front().second)]);
    const Weight w = d.Exact(row.person, d.mentors[static_cast<size_t>(j)]);
    ++exact;
    if (w >= 0 && in_window(w, j)) top.Offer(w, j);
  }
  if (scored != nullptr) *scored += exact;
  return top.Sorted();
}

}  // namespace tandem::matching
