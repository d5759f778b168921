#include "io/model_output.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "io/match_output.h"

namespace tandem::io {
namespace {

using matching::WeightToScore;

std::string Num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", x);
  return buf;
}

const Person& At(const std::vector<Person>& people, std::int32_t index) {
  return people[static_cast<size_t>(index)];
}

std::string Html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string SpeedTimetableCsv(const program::SpeedReport& report,
                              const std::vector<Person>& people) {
  std::string out = "slot,mentor_id,mentor_name,mentee_id,mentee_name,score\r\n";
  const auto& meetings = report.result.meetings;
  for (size_t slot = 0; slot < report.result.slot_meetings.size(); ++slot) {
    for (std::int32_t k : report.result.slot_meetings[slot]) {
      const auto& m = meetings[static_cast<size_t>(k)];
      const Person& mentor = At(people, report.mentors[static_cast<size_t>(m.mentor)]);
      const Person& mentee = At(people, report.mentees[static_cast<size_t>(m.mentee)]);
      out += std::to_string(slot + 1) + ',' + CsvField(mentor.id) + ',' + CsvField(mentor.name) +
             ',' + CsvField(mentee.id) + ',' + CsvField(mentee.name) + ',' +
             Num(WeightToScore(m.weight)) + "\r\n";
    }
  }
  return out;
}

std::string SpeedPersonTimetableCsv(const program::SpeedReport& report,
                                    const std::vector<Person>& people) {
  const auto& r = report.result;
  const int slots = report.problem.slots;
  std::string out = "person_id,name,role";
  for (int s = 0; s < slots; ++s) out += ",slot_" + std::to_string(s + 1);
  out += "\r\n";
  auto rows = [&](const std::vector<std::vector<std::int32_t>>& timetable,
                  const std::vector<std::int32_t>& side, const char* role, bool mentee_side) {
    for (size_t p = 0; p < timetable.size(); ++p) {
      const Person& person = At(people, side[p]);
      // timetable[p][t]: the partner met in slot t, or -1 for a break.
      std::vector<std::string> cell(static_cast<size_t>(slots));
      for (int t = 0; t < slots && t < static_cast<int>(timetable[p].size()); ++t) {
        const std::int32_t partner = timetable[p][static_cast<size_t>(t)];
        if (partner < 0) continue;
        const Person& other = mentee_side
                                  ? At(people, report.mentors[static_cast<size_t>(partner)])
                                  : At(people, report.mentees[static_cast<size_t>(partner)]);
        cell[static_cast<size_t>(t)] = other.name + " (" + other.id + ")";
      }
      out += CsvField(person.id) + ',' + CsvField(person.name) + ',' + role;
      for (const std::string& c : cell) out += ',' + CsvField(c);
      out += "\r\n";
    }
  };
  rows(r.mentee_timetable, report.mentees, "mentee", true);
  rows(r.mentor_timetable, report.mentors, "mentor", false);
  return out;
}

std::string SpeedTimetableHtml(const program::SpeedReport& report,
                               const std::vector<Person>& people, const std::string& title) {
  const auto& r = report.result;
  const int slots = report.problem.slots;
  std::string out =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html(title) +
      "</title>\n<style>\nbody{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a}"
      "h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem;break-before:page}"
      ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.5rem}"
      ".station{border:1px solid #888;border-radius:4px;padding:.4rem .6rem}"
      ".station b{display:block}.score,.id{color:#555;font-size:.8rem;font-weight:normal}"
      "table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #aaa;padding:.2rem "
      ".4rem;text-align:left}th{background:#eee}.free{color:#999}"
      "@media print{body{margin:0}}\n</style></head><body>\n<h1>" +
      Html(title) + "</h1>\n<p>" + std::to_string(r.num_meetings) + " meetings in " +
      std::to_string(slots) + " slots; nobody is booked twice in a slot.</p>\n";
  for (int slot = 0; slot < slots; ++slot) {
    out += "<h2>Slot " + std::to_string(slot + 1) + "</h2>\n<div class=\"grid\">\n";
    // Stations sorted by mentor name so people find theirs; ids tell namesakes apart.
    std::vector<std::int32_t> order = r.slot_meetings[static_cast<size_t>(slot)];
    auto mentor_of = [&](std::int32_t k) -> const Person& {
      return At(people,
                report.mentors[static_cast<size_t>(r.meetings[static_cast<size_t>(k)].mentor)]);
    };
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t x, std::int32_t y) {
      return std::tie(mentor_of(x).name, mentor_of(x).id) <
             std::tie(mentor_of(y).name, mentor_of(y).id);
    });
    for (std::int32_t k : order) {
      const auto& m = r.meetings[static_cast<size_t>(k)];
      const Person& mentor = mentor_of(k);
      const Person& mentee = At(people, report.mentees[static_cast<size_t>(m.mentee)]);
      out += "<div class=\"station\"><b>" + Html(mentor.name) + " <span class=\"id\">" +
             Html(mentor.id) + "</span></b>meets " + Html(mentee.name) + " <span class=\"id\">" +
             Html(mentee.id) + "</span> <span class=\"score\">(" +
             Num(WeightToScore(m.weight)).substr(0, 4) + ")</span></div>\n";
    }
    out += "</div>\n";
  }
  // Each mentee's timetable: a row per mentee, a column per slot.
  out += "<h2>Timetable per mentee</h2>\n<table><tr><th>mentee</th>";
  for (int slot = 0; slot < slots; ++slot) out += "<th>" + std::to_string(slot + 1) + "</th>";
  out += "</tr>\n";
  for (size_t i = 0; i < r.mentee_timetable.size(); ++i) {
    const Person& mentee = At(people, report.mentees[i]);
    out +=
        "<tr><td>" + Html(mentee.name) + " <span class=\"id\">" + Html(mentee.id) + "</span></td>";
    for (int slot = 0; slot < slots; ++slot) {
      const std::int32_t partner = slot < static_cast<int>(r.mentee_timetable[i].size())
                                       ? r.mentee_timetable[i][static_cast<size_t>(slot)]
                                       : -1;
      out += partner < 0
                 ? std::string("<td class=\"free\">free</td>")
                 : "<td>" + Html(At(people, report.mentors[static_cast<size_t>(partner)]).name) +
                       "</td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n</body></html>\n";
  return out;
}

std::string RotationPlanCsv(const program::RotationReport& report,
                            const std::vector<Person>& people) {
  std::string out = "round,mentee_id,mentee_name,mentor_id,mentor_name,score,unmatched_reason\r\n";
  const auto& inst = report.problem.instance;
  std::map<std::pair<std::int32_t, std::int32_t>, matching::Weight> weight;
  for (const auto& e : inst.edges) weight[{e.mentee, e.mentor}] = e.weight;
  for (size_t round = 0; round < report.result.rounds.size(); ++round) {
    const auto& rr = report.result.rounds[round];
    for (size_t i = 0; i < rr.solution.mentor_of.size(); ++i) {
      const std::int32_t j = rr.solution.mentor_of[i];
      const Person& mentee = At(people, report.mentees[i]);
      out += std::to_string(round + 1) + ',' + CsvField(mentee.id) + ',' + CsvField(mentee.name);
      if (j >= 0) {
        const Person& mentor = At(people, report.mentors[static_cast<size_t>(j)]);
        out += ',' + CsvField(mentor.id) + ',' + CsvField(mentor.name) + ',' +
               Num(WeightToScore(weight[{static_cast<std::int32_t>(i), j}])) + ",\r\n";
      } else {
        out +=
            ",,," + CsvField(i < rr.unmatched_reason.size() ? rr.unmatched_reason[i] : "") + "\r\n";
      }
    }
  }
  return out;
}

std::string PeerPairsCsv(const program::PeerReport& report, const std::vector<Person>& people) {
  std::string out = "id,name,partner_id,partner_name,score,third_id,third_name\r\n";
  std::map<std::pair<std::int32_t, std::int32_t>, matching::Weight> weight;
  for (const auto& e : report.instance.edges) weight[{e.a, e.b}] = e.weight;
  std::map<std::pair<std::int32_t, std::int32_t>, std::int32_t> third;
  for (const auto& t : report.solution.trios) third[{t.a, t.b}] = t.third;
  const auto& partner = report.solution.partner;
  for (size_t a = 0; a < partner.size(); ++a) {
    const auto b = partner[a];
    if (b < static_cast<std::int32_t>(a)) continue;  // each pair once; unpaired listed below
    const Person& pa = At(people, report.pool[a]);
    const Person& pb = At(people, report.pool[static_cast<size_t>(b)]);
    out += CsvField(pa.id) + ',' + CsvField(pa.name) + ',' + CsvField(pb.id) + ',' +
           CsvField(pb.name) + ',' + Num(WeightToScore(weight[{static_cast<std::int32_t>(a), b}])) +
           ',';
    auto t = third.find({static_cast<std::int32_t>(a), b});
    if (t != third.end()) {
      const Person& pt = At(people, report.pool[static_cast<size_t>(t->second)]);
      out += CsvField(pt.id) + ',' + CsvField(pt.name);
    } else {
      out += ',';
    }
    out += "\r\n";
  }
  return out;
}

std::string GroupsCsv(const program::GroupReport& report, const std::vector<Person>& people) {
  std::string out = "mentor_id,mentor_name,mentee_id,mentee_name,score\r\n";
  std::map<std::pair<std::int32_t, std::int32_t>, matching::Weight> weight;
  for (const auto& e : report.problem.instance.edges) weight[{e.mentee, e.mentor}] = e.weight;
  for (size_t j = 0; j < report.result.members.size(); ++j) {
    const Person& mentor = At(people, report.mentors[j]);
    for (std::int32_t i : report.result.members[j]) {
      const Person& mentee = At(people, report.mentees[static_cast<size_t>(i)]);
      out += CsvField(mentor.id) + ',' + CsvField(mentor.name) + ',' + CsvField(mentee.id) + ',' +
             CsvField(mentee.name) + ',' +
             Num(WeightToScore(weight[{i, static_cast<std::int32_t>(j)}])) + "\r\n";
    }
  }
  return out;
}

std::string CirclesCsv(const program::CircleReport& report, const std::vector<Person>& people) {
  std::string out = "circle,person_id,name,department,site\r\n";
  for (size_t c = 0; c < report.result.circles.size(); ++c) {
    for (std::int32_t v : report.result.circles[c]) {
      const Person& p = At(people, report.pool[static_cast<size_t>(v)]);
      out += std::to_string(c + 1) + ',' + CsvField(p.id) + ',' + CsvField(p.name) + ',' +
             CsvField(p.department) + ',' + CsvField(p.site) + "\r\n";
    }
  }
  return out;
}

}  // namespace tandem::io
