#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/inputs.h"
#include "matching/scoring.h"
#include "program/suggestions.h"

namespace tandem::cli {

int RunSuggest(const SuggestArgs& args) {
  auto people = LoadPeopleFile(args.people_path, args.skip_bad_rows);
  if (!people.ok()) return Fail(people.status());
  auto config = LoadMatchConfig(args.config_path, args.model, "");
  if (!config.ok()) return Fail(config.status());
  std::int32_t person = -1;
  for (size_t i = 0; i < people->size(); ++i) {
    if ((*people)[i].id == args.person_id) person = static_cast<std::int32_t>(i);
  }
  if (person < 0) return Fail(Status::NotFound("--id: no person with id '" + args.person_id + "'"));
  const matching::Scorer scorer(*people, *config);
  const bool as_mentee =
      std::find(scorer.mentees().begin(), scorer.mentees().end(), person) != scorer.mentees().end();
  auto suggestions = as_mentee ? program::SuggestMentors(scorer, person, args.top)
                               : program::SuggestMentees(scorer, person, args.top);
  if (!suggestions.ok()) return Fail(suggestions.status());
  const Person& me = (*people)[static_cast<size_t>(person)];
  std::printf("Suggested %s for %s (%s, %s):\n", as_mentee ? "mentors" : "mentees", me.name.c_str(),
              me.department.c_str(), me.site.c_str());
  if (suggestions->empty()) {
    std::printf("  nobody is eligible under this program's rules\n");
  }
  int rank = 0;
  for (const program::Suggestion& s : *suggestions) {
    const Person& p = (*people)[static_cast<size_t>(s.person)];
    std::printf("\n%d. %s, %s (%s, %s)   score %.2f\n", ++rank, p.name.c_str(), p.title.c_str(),
                p.department.c_str(), p.site.c_str(), s.score);
    std::printf("   why: %s\n", s.explanation.c_str());
    for (const std::string& r : s.would_raise) std::printf("   would raise it: %s\n", r.c_str());
  }
  return kExitOk;
}

}  // namespace tandem::cli
