// The invitation is parsed back by libical (Debian's libical-dev), an independent RFC 5545
// implementation, and every field is compared.
#include "io/ical.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <string>

namespace tandem::io {
namespace {

CalendarEvent Sample() {
  CalendarEvent e;
  e.uid = "meeting-42@tandem";
  e.sequence = 2;
  e.starts_at = "2027-01-10T10:00:00Z";
  e.duration_minutes = 90;
  e.stamp = "2026-11-23T18:00:00Z";
  e.summary = "Mentoring: Maya Chen & Daniel Okafor";
  e.description =
      "Agenda: goals for Q1; feedback, next steps\nBring: your notes \\ questions. "
      "Ünïcødé text that is long enough to be folded across several lines of the file — "
      "more than seventy-five octets for sure.";
  e.location = "Room 4.12, Building B";
  e.organizer = {"Tandem", "noreply@tandem.example"};
  e.attendees = {{"Maya Chen", "maya@example.com"},
                 {"Daniel \"Dan\" Okafor", "dan@example.com"},
                 {"No Email", ""}};
  return e;
}

TEST(CalendarInviteTest, LibicalParsesEveryField) {
  const std::string text = CalendarInvite(Sample());
  icalcomponent* calendar = icalparser_parse_string(text.c_str());
  ASSERT_NE(calendar, nullptr);
  EXPECT_EQ(icalcomponent_isa(calendar), ICAL_VCALENDAR_COMPONENT);
  // libical reports structural problems as X-LIC-ERROR properties.
  EXPECT_EQ(icalcomponent_count_errors(calendar), 0) << text;
  EXPECT_EQ(icalcomponent_get_method(calendar), ICAL_METHOD_REQUEST);
  icalcomponent* event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
  ASSERT_NE(event, nullptr);
  EXPECT_STREQ(icalcomponent_get_uid(event), "meeting-42@tandem");
  EXPECT_EQ(icalcomponent_get_sequence(event), 2);
  const icaltimetype start = icalcomponent_get_dtstart(event);
  EXPECT_EQ(start.year, 2027);
  EXPECT_EQ(start.month, 1);
  EXPECT_EQ(start.day, 10);
  EXPECT_EQ(start.hour, 10);
  EXPECT_TRUE(icaltime_is_utc(start));
  const icaltimetype end = icalcomponent_get_dtend(event);
  EXPECT_EQ(end.hour, 11);
  EXPECT_EQ(end.minute, 30);
  EXPECT_STREQ(icalcomponent_get_summary(event), Sample().summary.c_str());
  EXPECT_STREQ(icalcomponent_get_description(event), Sample().description.c_str());
  EXPECT_STREQ(icalcomponent_get_location(event), "Room 4.12, Building B");
  EXPECT_EQ(icalcomponent_get_status(event), ICAL_STATUS_CONFIRMED);
  int attendees = 0;
  for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY);
       p != nullptr; p = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
    ++attendees;
    const std::string value = icalproperty_get_attendee(p);
    EXPECT_TRUE(value == "mailto:maya@example.com" || value == "mailto:dan@example.com") << value;
  }
  EXPECT_EQ(attendees, 2);
  icalcomponent_free(calendar);
}

TEST(CalendarInviteTest, LinesAreFoldedCrlfAndAtMost75Octets) {
  const std::string text = CalendarInvite(Sample());
  size_t start = 0;
  int folded = 0;
  while (start < text.size()) {
    const size_t end = text.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "every line ends with CRLF";
    EXPECT_LE(end - start, 75u) << text.substr(start, end - start);
    if (text[start] == ' ') ++folded;
    // No bare LF inside a line.
    EXPECT_EQ(text.substr(start, end - start).find('\n'), std::string::npos);
    // A fold never splits a UTF-8 sequence: a line never starts with a continuation byte.
    if (text[start] == ' ' && end > start + 1) {
      EXPECT_NE(static_cast<unsigned char>(text[start + 1]) & 0xC0, 0x80);
    }
    start = end + 2;
  }
  EXPECT_GT(folded, 0);
}

TEST(CalendarInviteTest, CancellationAndShortDurations) {
  CalendarEvent e = Sample();
  e.cancelled = true;
  e.duration_minutes = 45;
  const std::string text = CalendarInvite(e);
  EXPECT_NE(text.find("DURATION:PT45M\r\n"), std::string::npos);
  icalcomponent* calendar = icalparser_parse_string(text.c_str());
  ASSERT_NE(calendar, nullptr);
  EXPECT_EQ(icalcomponent_get_method(calendar), ICAL_METHOD_CANCEL);
  icalcomponent* event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
  EXPECT_EQ(icalcomponent_get_status(event), ICAL_STATUS_CANCELLED);
  icalcomponent_free(calendar);
  e.duration_minutes = 120;
  EXPECT_NE(CalendarInvite(e).find("DURATION:PT2H\r\n"), std::string::npos);
}

}  // namespace
}  // namespace tandem::io
