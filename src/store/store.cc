#include "store/store.h"

#include <array>

namespace tandem::store {
namespace {

constexpr std::array<const char*, 5> kStatusNames = {"draft", "enrolling", "matching", "active",
                                                     "closed"};
constexpr std::array<const char*, 6> kRoleNames = {"admin",  "coordinator", "committee",
                                                   "mentor", "mentee",      "executive"};
constexpr std::array<const char*, 5> kJobStateNames = {"queued", "running", "succeeded", "failed",
                                                       "cancelled"};

constexpr std::array<const char*, 3> kRelationshipStatusNames = {"active", "paused", "ended"};
constexpr std::array<const char*, 3> kMeetingStatusNames = {"scheduled", "held", "cancelled"};

constexpr std::array<const char*, 5> kApplicationStatusNames = {"pending", "approved", "rejected",
                                                                "waitlisted", "withdrawn"};
constexpr std::array<const char*, 6> kRequestStatusNames = {
    "open", "accepted", "declined", "info_requested", "expired", "withdrawn"};

template <typename Enum, size_t N>
std::optional<Enum> ParseName(const std::array<const char*, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

const char* ProgramStatusName(ProgramStatus status) {
  return kStatusNames[static_cast<size_t>(status)];
}

std::optional<ProgramStatus> ParseProgramStatus(std::string_view name) {
  return ParseName<ProgramStatus>(kStatusNames, name);
}

const char* RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) { return ParseName<Role>(kRoleNames, name); }

const char* JobStateName(JobState state) { return kJobStateNames[static_cast<size_t>(state)]; }

std::optional<JobState> ParseJobState(std::string_view name) {
  return ParseName<JobState>(kJobStateNames, name);
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

const char* RelationshipStatusName(RelationshipStatus status) {
  return kRelationshipStatusNames[static_cast<size_t>(status)];
}

std::optional<RelationshipStatus> ParseRelationshipStatus(std::string_view name) {
  return ParseName<RelationshipStatus>(kRelationshipStatusNames, name);
}

const char* MeetingStatusName(MeetingStatus status) {
  return kMeetingStatusNames[static_cast<size_t>(status)];
}

std::optional<MeetingStatus> ParseMeetingStatus(std::string_view name) {
  return ParseName<MeetingStatus>(kMeetingStatusNames, name);
}

const char* ApplicationStatusName(ApplicationStatus status) {
  return kApplicationStatusNames[static_cast<size_t>(status)];
}

std::optional<ApplicationStatus> ParseApplicationStatus(std::string_view name) {
  return ParseName<ApplicationStatus>(kApplicationStatusNames, name);
}

const char* RequestStatusName(RequestStatus status) {
  return kRequestStatusNames[static_cast<size_t>(status)];
}

std::optional<RequestStatus> ParseRequestStatus(std::string_view name) {
  return ParseName<RequestStatus>(kRequestStatusNames, name);
}

}  // namespace tandem::store
