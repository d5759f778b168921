#include "program/suggestions.h"

#include <algorithm>
#include <cstdio>

namespace tandem::program {
namespace {

using matching::Criterion;

// How a pair's score could rise on one criterion, in words for the person asking: a mentee
// (about this mentor) or a mentor (about this mentee).
const char* RaiseHint(Criterion c, bool for_mentee) {
  if (!for_mentee) {
    switch (c) {
      case Criterion::kSkills:
        return "holding more of the skills this mentee wants, at a higher level";
      case Criterion::kSeniority:
        return "a seniority gap to this mentee closer to the program's ideal";
      case Criterion::kMenteeChoice:
        return "this mentee ranking you among their choices";
      case Criterion::kDepartment:
        return "the program's department preference";
      default:
        break;
    }
  }
  switch (c) {
    case Criterion::kSkills:
      return "a mentor stronger in the skills you rank first";
    case Criterion::kGoals:
      return "career goals in common";
    case Criterion::kInterests:
      return "interests in common";
    case Criterion::kPersonality:
      return "a closer personality fit";
    case Criterion::kCommunication:
      return "a matching communication style";
    case Criterion::kLearning:
      return "learning preferences in common";
    case Criterion::kSeniority:
      return "a seniority gap closer to the program's ideal";
    case Criterion::kTimeZone:
      return "a closer time zone";
    case Criterion::kAvailability:
      return "more weekly hours in common (add availability)";
    case Criterion::kLocation:
      return "working at the same site";
    case Criterion::kLanguage:
      return "more languages in common";
    case Criterion::kDepartment:
      return "the program's department preference";
    case Criterion::kMenteeChoice:
      return "ranking this mentor among your choices";
    case Criterion::kSharedBackground:
      return "a shared background";
  }
  return "";
}

Suggestion Make(const matching::Scorer& scorer, std::int32_t mentee, std::int32_t mentor,
                std::int32_t shown, bool for_mentee) {
  const matching::PairScore ps = scorer.Score(mentee, mentor);
  Suggestion s;
  s.person = shown;
  s.score = ps.score;
  s.explanation = scorer.Explain(mentee, mentor);
  const auto& config = scorer.config();
  double weight_sum = 0;
  for (int c = 0; c < matching::kCriterionCount; ++c) {
    if (c == static_cast<int>(Criterion::kSharedBackground) && !ps.background_scored) continue;
    weight_sum += config.weights[static_cast<size_t>(c)];
  }
  if (weight_sum <= 0) return s;
  // Gain if a criterion's factor were 1: w_c * (1 - f_c) / sum w.
  std::vector<std::pair<double, int>> gains;
  for (int c = 0; c < matching::kCriterionCount; ++c) {
    if (c == static_cast<int>(Criterion::kSharedBackground) && !ps.background_scored) continue;
    const double gain = config.weights[static_cast<size_t>(c)] *
                        (1.0 - ps.factor[static_cast<size_t>(c)]) / weight_sum;
    if (gain >= 0.01) gains.emplace_back(-gain, c);
  }
  std::sort(gains.begin(), gains.end());
  for (size_t k = 0; k < gains.size() && k < 3; ++k) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s: up to +%.2f",
                  RaiseHint(static_cast<Criterion>(gains[k].second), for_mentee), -gains[k].first);
    s.would_raise.emplace_back(buf);
  }
  return s;
}

Result<std::vector<Suggestion>> Suggest(const matching::Scorer& scorer, std::int32_t person,
                                        int top_k, bool for_mentee) {
  const auto& own = for_mentee ? scorer.mentees() : scorer.mentors();
  const auto& other = for_mentee ? scorer.mentors() : scorer.mentees();
  if (std::find(own.begin(), own.end(), person) == own.end()) {
    return Status::NotFound(std::string("person is not on the ") +
                            (for_mentee ? "mentee" : "mentor") + " side of this program");
  }
  std::vector<std::pair<double, std::int32_t>> ranked;  // (-score, other person)
  for (std::int32_t o : other) {
    const std::int32_t mentee = for_mentee ? person : o;
    const std::int32_t mentor = for_mentee ? o : person;
    if (scorer.Check(mentee, mentor) != matching::Exclusion::kNone) continue;
    ranked.emplace_back(-scorer.Score(mentee, mentor).score, o);
  }
  const size_t k = std::min(ranked.size(), static_cast<size_t>(std::max(0, top_k)));
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end());
  std::vector<Suggestion> out;
  for (size_t r = 0; r < k; ++r) {
    const std::int32_t o = ranked[r].second;
    out.push_back(for_mentee ? Make(scorer, person, o, o, true)
                             : Make(scorer, o, person, o, false));
  }
  return out;
}

}  // namespace

Result<std::vector<Suggestion>> SuggestMentors(const matching::Scorer& scorer, std::int32_t person,
                                               int top_k) {
  return Suggest(scorer, person, top_k, true);
}

Result<std::vector<Suggestion>> SuggestMentees(const matching::Scorer& scorer, std::int32_t person,
                                               int top_k) {
  return Suggest(scorer, person, top_k, false);
}

}  // namespace tandem::program
