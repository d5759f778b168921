#include "store/store.h"

#include <array>

namespace tandem::store {
namespace {

constexpr std::array<const char*, 5> kStatusNames = {"draft", "enrolling", "matching", "active",
                                                     "closed"};

}  // namespace

const char* ProgramStatusName(ProgramStatus status) {
  return kStatusNames[static_cast<size_t>(status)];
}

std::optional<ProgramStatus> ParseProgramStatus(std::string_view name) {
  for (size_t i = 0; i < kStatusNames.size(); ++i) {
    if (name == kStatusNames[i]) return static_cast<ProgramStatus>(i);
  }
  return std::nullopt;
}

bool IsAllowedTransition(ProgramStatus from, ProgramStatus to) {
  using S = ProgramStatus;
  if (from == to || from == S::kClosed) return false;
  if (to == S::kClosed) return true;  // cancel or finish from any open state
  switch (from) {
    case S::kDraft:
      return to == S::kEnrolling;
    case S::kEnrolling:
      return to == S::kMatching;
    case S::kMatching:
      return to == S::kActive || to == S::kEnrolling;
    case S::kActive:
    case S::kClosed:
      return false;
  }
  return false;
}

}  // namespace tandem::store
