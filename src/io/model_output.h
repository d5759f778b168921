#pragma once
// Files for the structural models: the speed-mentoring timetable (CSV and a printable HTML page
// with a grid per slot), the rotation plan, peer pairs, groups and circles (CSV).

#include <string>
#include <vector>

#include "core/person.h"
#include "program/model_runs.h"

namespace tandem::io {

// slot, mentor_id, mentor_name, mentee_id, mentee_name, score (slots numbered from 1)
std::string SpeedTimetableCsv(const program::SpeedReport& report,
                              const std::vector<Person>& people);
// person_id, name, role, slot_1 .. slot_T: who each person meets in each slot ("" = a break).
std::string SpeedPersonTimetableCsv(const program::SpeedReport& report,
                                    const std::vector<Person>& people);
// A self-contained page: per slot a grid of mentor tables, then each person's timetable.
std::string SpeedTimetableHtml(const program::SpeedReport& report,
                               const std::vector<Person>& people, const std::string& title);
// round, mentee_id, mentee_name, mentor_id, mentor_name, score (rounds numbered from 1); the
// unmatched of each round with their reason in the last columns.
std::string RotationPlanCsv(const program::RotationReport& report,
                            const std::vector<Person>& people);
// id, name, partner_id, partner_name, score, third_id (trio), note
std::string PeerPairsCsv(const program::PeerReport& report, const std::vector<Person>& people);
// mentor_id, mentor_name, mentee_id, mentee_name, score
std::string GroupsCsv(const program::GroupReport& report, const std::vector<Person>& people);
// circle, person_id, name, department, site (circles numbered from 1)
std::string CirclesCsv(const program::CircleReport& report, const std::vector<Person>& people);

}  // namespace tandem::io
