#pragma once
// iCalendar (RFC 5545) invitations for mentoring meetings, so a meeting lands in Outlook, Google
// Calendar or Apple Calendar with one click. Times are written in UTC ("Z" form), which every
// client shows in the reader's own time zone; text is escaped and lines are folded at 75 octets
// without splitting a UTF-8 character; lines end with CRLF.

#include <string>
#include <vector>

namespace tandem::io {

struct CalendarPerson {
  std::string name;
  std::string email;  // may be empty: the person is then left out of the invitation's list
};

struct CalendarEvent {
  std::string uid;        // stable across updates, e.g. "meeting-42@tandem"
  int sequence = 0;       // raised by every change; clients replace the older version
  std::string starts_at;  // UTC "YYYY-MM-DDTHH:MM:SSZ"
  int duration_minutes = 60;
  std::string stamp;  // when the invitation was made, UTC "YYYY-MM-DDTHH:MM:SSZ"
  std::string summary;
  std::string description;
  std::string location;
  CalendarPerson organizer;
  std::vector<CalendarPerson> attendees;
  bool cancelled = false;  // METHOD:CANCEL and STATUS:CANCELLED
};

// A VCALENDAR with one VEVENT. REQUIRES: starts_at and stamp in the form above.
std::string CalendarInvite(const CalendarEvent& event);

}  // namespace tandem::io
