#pragma once
// A realistic generated organization for demos, tests and benchmarks: a reporting tree under a
// CEO, 8-12 departments, 5-8 sites in real IANA time zones, seniority that follows depth, skills
// from a catalogue per department with proficiency that follows seniority, goals, interests,
// Big Five, styles, working-hour availability converted to UTC, roles and capacities, some ranked
// mentor choices and some self-described attributes.
//
// Deterministic: the same spec gives the same people on every platform (own PRNG, no std
// distributions). Linear time; 120,000 people take well under a second.

#include <cstdint>
#include <string>
#include <vector>

#include "core/person.h"

namespace tandem::sample {

struct OrganizationSpec {
  int people = 2000;  // >= 1
  std::uint64_t seed = 1;
  double mentor_share = 0.25;          // expected share of people on the mentor side, in [0, 1]
  int departments = 0;                 // 0: 8-12 chosen by the seed; else clamped to [1, 12]
  int sites = 0;                       // 0: 5-8 chosen by the seed; else clamped to [1, 8]
  double either_share = 0.1;           // share of mentors (and of mentees) whose role is kEither
  double choice_share = 0.2;           // share of mentees who rank 1-3 preferred mentors
  double self_described_share = 0.35;  // share of people with self-described attributes
};

// A site of the generated organization with its fixed UTC offset (standard time; daylight saving
// is ignored so the core needs no time zone database).
struct SampleSite {
  const char* name;       // "Berlin"
  const char* time_zone;  // IANA name, "Europe/Berlin"
  int utc_offset_minutes;
  std::vector<std::string> languages;  // local languages besides English
};

// The eight sites the generator draws from, in a fixed order.
const std::vector<SampleSite>& SampleSites();

// REQUIRES: spec.people >= 1. People come in generation order; ids are "E000001", ... and the
// first person is the CEO (no manager_id). Each person's role is kMentee, kMentor or kEither
// (kEither people on the mentor side have mentor_capacity > 0, those on the mentee side 0).
std::vector<Person> GenerateOrganization(const OrganizationSpec& spec);

}  // namespace tandem::sample
