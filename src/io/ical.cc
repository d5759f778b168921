#include "io/ical.h"

namespace tandem::io {
namespace {

// "2027-01-10T10:00:00Z" -> "20270110T100000Z".
std::string BasicUtc(const std::string& iso) {
  std::string out;
  for (char c : iso) {
    if (c != '-' && c != ':') out += c;
  }
  return out;
}

// TEXT value escaping (RFC 5545 3.3.11).
std::string EscapeText(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A parameter value (CN=...) may not hold ';', ':' or ',' unquoted, nor a double quote at all.
std::string QuoteParam(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c != '"' && c != '\r' && c != '\n') out += c;
  }
  return out + "\"";
}

// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence.
void AppendLine(std::string& out, const std::string& line) {
  size_t start = 0;
  size_t limit = 75;
  while (line.size() - start > limit) {
    size_t cut = start + limit;
    // Back up to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, start, cut - start);
    out += "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out.append(line, start, std::string::npos);
  out += "\r\n";
}

std::string Person(const char* property, const CalendarPerson& p, bool attendee) {
  std::string line = property;
  if (!p.name.empty()) line += ";CN=" + QuoteParam(p.name);
  if (attendee) line += ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE";
  return line + ":mailto:" + p.email;
}

}  // namespace

std::string CalendarInvite(const CalendarEvent& e) {
  std::string out;
  AppendLine(out, "BEGIN:VCALENDAR");
  AppendLine(out, "VERSION:2.0");
  AppendLine(out, "PRODID:-//Tandem//Mentoring meetings//EN");
  AppendLine(out, "CALSCALE:GREGORIAN");
  AppendLine(out, e.cancelled ? "METHOD:CANCEL" : "METHOD:REQUEST");
  AppendLine(out, "BEGIN:VEVENT");
  AppendLine(out, "UID:" + e.uid);
  AppendLine(out, "SEQUENCE:" + std::to_string(e.sequence));
  AppendLine(out, "DTSTAMP:" + BasicUtc(e.stamp));
  AppendLine(out, "DTSTART:" + BasicUtc(e.starts_at));
  const int hours = e.duration_minutes / 60;
  const int minutes = e.duration_minutes % 60;
  std::string duration = "DURATION:PT";
  if (hours > 0) duration += std::to_string(hours) + "H";
  if (minutes > 0 || hours == 0) duration += std::to_string(minutes) + "M";
  AppendLine(out, duration);
  AppendLine(out, "SUMMARY:" + EscapeText(e.summary));
  if (!e.description.empty()) AppendLine(out, "DESCRIPTION:" + EscapeText(e.description));
  if (!e.location.empty()) AppendLine(out, "LOCATION:" + EscapeText(e.location));
  if (!e.organizer.email.empty()) AppendLine(out, Person("ORGANIZER", e.organizer, false));
  for (const CalendarPerson& a : e.attendees) {
    if (!a.email.empty()) AppendLine(out, Person("ATTENDEE", a, true));
  }
  AppendLine(out, e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
  AppendLine(out, "END:VEVENT");
  AppendLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace tandem::io
