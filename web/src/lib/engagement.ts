// Logic of the profile editor, surveys, the program dashboard and run comparison, kept out of the
// components so that it can be tested.
import type { Person, PersonInput, ProgramDashboard } from './api';
import type { FieldErrors } from './forms';
import { lines } from './forms';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const HOURS_PER_WEEK = 168;

/**
 * Available hours of the UTC week (Monday 00:00 UTC = 0) as the import format's local availability
 * ("Mon 09-12; Wed 14-17") for a fixed UTC offset: local hour L is free when the UTC hour in which
 * it starts is (the server's rule for half-hour zones). Ranges stop at midnight (end 24).
 */
export function hoursToAvailability(hoursUtc: number[], offsetMinutes: number): string {
  const utc = new Set(hoursUtc);
  const items: string[] = [];
  for (let day = 0; day < 7; day++) {
    const ranges: string[] = [];
    let start = -1;
    for (let h = 0; h <= 24; h++) {
      let free = false;
      if (h < 24) {
        const startUtcMinutes = (day * 24 + h) * 60 - offsetMinutes;
        const u = ((Math.floor(startUtcMinutes / 60) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
        free = utc.has(u);
      }
      if (free && start < 0) start = h;
      if (!free && start >= 0) {
        ranges.push(`${String(start).padStart(2, '0')}-${String(h).padStart(2, '0')}`);
        start = -1;
      }
    }
    if (ranges.length) items.push(`${DAYS[day]} ${ranges.join(' ')}`);
  }
  return items.join('; ');
}

/** Items of a list field: separated by ";", "," or line breaks, trimmed, empty ones dropped. */
export function listItems(text: string): string[] {
  return text
    .split(/[;,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface ProfileForm {
  skills_held: string;
  skills_wanted: string;
  interests: string;
  career_goals: string;
  availability: string;
  time_zone: string;
}

export function personToForm(p: Person): ProfileForm {
  return {
    skills_held: p.skills_held.map((s) => `${s.skill}:${s.proficiency}`).join('; '),
    skills_wanted: [...p.skills_wanted].sort((a, b) => a.priority - b.priority).map((s) => `${s.skill}:${s.priority}`).join('; '),
    interests: p.interests.join('; '),
    career_goals: p.career_goals.join('; '),
    availability: hoursToAvailability(p.available_hours_utc, p.utc_offset_minutes),
    time_zone: p.time_zone,
  };
}

/**
 * The profile to PUT (the import JSON format) or the errors the form can see itself. PUT replaces
 * the profile, so the fields the form does not edit are sent as they are (`p`).
 */
export function formToPersonInput(f: ProfileForm, p: Person): { input: PersonInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const skillItem = /^[^:]+(:\s*\d+)?$/;
  const held = listItems(f.skills_held);
  const wanted = listItems(f.skills_wanted);
  const badHeld = held.find((s) => !skillItem.test(s) || (s.includes(':') && !/:\s*[1-5]$/.test(s)));
  if (badHeld) errors.skills_held = `"${badHeld}": write skill:level with a level from 1 to 5`;
  const badWanted = wanted.find((s) => !skillItem.test(s));
  if (badWanted) errors.skills_wanted = `"${badWanted}": write skill:priority with a whole number`;
  const availability = f.availability.trim();
  const timeZone = f.time_zone.trim();
  if (availability && !timeZone) errors.time_zone = 'give your time zone, such as Europe/Berlin';
  const input: PersonInput = {
    time_zone: timeZone,
    skills_held: held,
    skills_wanted: wanted,
    interests: listItems(f.interests),
    career_goals: lines(f.career_goals.replace(/;/g, '\n')),
    availability,
    languages: p.languages,
    learning_preferences: p.learning_preferences,
    communication_style: p.communication_style,
    meeting_preference: p.meeting_preference,
  };
  if (p.self_described) input.self_described = p.self_described;
  if (p.prefer_shared_background !== undefined) input.prefer_shared_background = p.prefer_shared_background;
  if (p.personality) input.personality = p.personality;
  return { input, errors };
}

export interface SurveyForm {
  kind: 'pulse' | 'closing';
  title: string;
  questions: string;
}

export function checkSurvey(f: SurveyForm): { survey: { kind: 'pulse' | 'closing'; title: string; questions: string[] }; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const questions = lines(f.questions);
  const title = f.title.trim();
  if (!title) errors.title = 'Give the survey a title.';
  if (questions.length === 0) errors.questions = 'Write at least one statement, one per line.';
  else if (questions.length > 20) errors.questions = `At most 20 statements (${questions.length} now).`;
  return { survey: { kind: f.kind, title, questions }, errors };
}

/** "2027-W01" -> the next ISO week's name. */
export function nextIsoWeek(week: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return week;
  const year = Number(m[1]);
  const w = Number(m[2]);
  // A year has 53 ISO weeks when 1 January is a Thursday, or a Wednesday in a leap year.
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const weeks = jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
  return w < weeks ? `${year}-W${String(w + 1).padStart(2, '0')}` : `${year + 1}-W01`;
}

/** Meetings held per week from the first to the last week with one, weeks without a meeting as 0. */
export function weekSeries(weeks: ProgramDashboard['meetings_held_by_week']): { week: string; held: number }[] {
  if (!weeks.length) return [];
  const sorted = [...weeks].sort((a, b) => a.week.localeCompare(b.week));
  const by = new Map(sorted.map((w) => [w.week, w.held]));
  const out: { week: string; held: number }[] = [];
  let w = sorted[0].week;
  const last = sorted[sorted.length - 1].week;
  for (let guard = 0; guard < 520; guard++) {
    out.push({ week: w, held: by.get(w) ?? 0 });
    if (w === last) break;
    w = nextIsoWeek(w);
  }
  return out;
}

/** The enrollment funnel's stages in order, for a chart. */
export function funnelStages(e: ProgramDashboard['enrollment']): [string, number][] {
  return [
    ['Applied', e.applied],
    ['Pending', e.pending],
    ['Approved', e.approved],
    ['Waitlisted', e.waitlisted],
    ['Rejected', e.rejected],
    ['Withdrawn', e.withdrawn],
  ];
}

/** A notification's link as a hash route the app can open ("" when there is none). */
export function notificationHref(link: string): string {
  if (!link) return '';
  if (link.startsWith('#/')) return link;
  if (link.startsWith('/')) return `#${link}`;
  return '';
}
