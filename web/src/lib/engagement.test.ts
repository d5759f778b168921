import { describe, expect, it } from 'vitest';
import type { Person } from './api';
import { checkSurvey, formToPersonInput, funnelStages, hoursToAvailability, listItems, nextIsoWeek, notificationHref, personToForm, weekSeries } from './engagement';

const person: Person = {
  id: 'E1', name: 'A', email: '', title: '', department: '', site: '', time_zone: 'Europe/Berlin', utc_offset_minutes: 60,
  seniority: 3, manager_id: '', languages: ['english'], skills_held: [{ skill: 'python', proficiency: 4 }],
  skills_wanted: [{ skill: 'finance', priority: 2 }, { skill: 'sql', priority: 1 }], career_goals: ['lead a team'],
  interests: ['chess'], learning_preferences: ['reading'], communication_style: 'direct', meeting_preference: 'virtual',
  available_hours_utc: [8, 9, 10, 61, 62, 63], role: 'mentee', mentor_capacity: 0,
  self_described: { gender: 'woman' }, prefer_shared_background: true,
};

describe('profile form', () => {
  it('writes UTC hours as local availability', () => {
    expect(hoursToAvailability([8, 9, 10, 61, 62, 63], 60)).toBe('Mon 09-12; Wed 14-17');
    // Los Angeles (UTC-8): Monday 04:00-06:00 UTC is Sunday 20-22 local, wrapping the week.
    expect(hoursToAvailability([4, 5], -480)).toBe('Sun 20-22');
    // A range up to midnight ends at 24.
    expect(hoursToAvailability([22], 60)).toBe('Mon 23-24');
    // Kolkata (UTC+05:30): local 09:00 starts at 03:30 UTC, in UTC hour 3.
    expect(hoursToAvailability([3, 4], 330)).toBe('Mon 09-11');
    expect(hoursToAvailability([], 0)).toBe('');
  });

  it('splits list fields', () => {
    expect(listItems('a; b,c\n d ;;')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('round-trips a person and keeps the fields it does not edit', () => {
    const form = personToForm(person);
    expect(form.skills_wanted).toBe('sql:1; finance:2');
    expect(form.availability).toBe('Mon 09-12; Wed 14-17');
    const { input, errors } = formToPersonInput({ ...form, interests: 'chess; cycling' }, person);
    expect(errors).toEqual({});
    expect(input.interests).toEqual(['chess', 'cycling']);
    expect(input.skills_held).toEqual(['python:4']);
    expect(input.languages).toEqual(['english']);
    expect(input.self_described).toEqual({ gender: 'woman' });
    expect(input.prefer_shared_background).toBe(true);
    expect(input.time_zone).toBe('Europe/Berlin');
  });

  it('finds bad skill levels and a missing time zone', () => {
    const form = personToForm(person);
    const { errors } = formToPersonInput({ ...form, skills_held: 'python:9', time_zone: ' ' }, person);
    expect(errors.skills_held).toMatch(/level from 1 to 5/);
    expect(errors.time_zone).toBeTruthy();
  });
});

describe('surveys', () => {
  it('checks the title and the statements', () => {
    expect(checkSurvey({ kind: 'pulse', title: '', questions: '' }).errors).toEqual({
      title: 'Give the survey a title.', questions: 'Write at least one statement, one per line.',
    });
    const many = Array.from({ length: 21 }, (_, i) => `s${i}`).join('\n');
    expect(checkSurvey({ kind: 'pulse', title: 'T', questions: many }).errors.questions).toMatch(/At most 20/);
    expect(checkSurvey({ kind: 'closing', title: ' T ', questions: 'a\n\n b ' }).survey).toEqual({ kind: 'closing', title: 'T', questions: ['a', 'b'] });
  });
});

describe('dashboard', () => {
  it('counts ISO weeks across a year end', () => {
    expect(nextIsoWeek('2027-W01')).toBe('2027-W02');
    expect(nextIsoWeek('2026-W52')).toBe('2026-W53'); // 2026 starts on a Thursday: 53 weeks
    expect(nextIsoWeek('2026-W53')).toBe('2027-W01');
    expect(nextIsoWeek('2027-W52')).toBe('2028-W01');
  });
  it('fills weeks without meetings with 0', () => {
    expect(weekSeries([{ week: '2027-W03', held: 1 }, { week: '2027-W01', held: 2 }])).toEqual([
      { week: '2027-W01', held: 2 }, { week: '2027-W02', held: 0 }, { week: '2027-W03', held: 1 },
    ]);
    expect(weekSeries([])).toEqual([]);
  });
  it('orders the enrollment funnel', () => {
    expect(funnelStages({ applied: 5, approved: 2, rejected: 1, waitlisted: 1, pending: 1, withdrawn: 0 }).map(([k]) => k)).toEqual(
      ['Applied', 'Pending', 'Approved', 'Waitlisted', 'Rejected', 'Withdrawn']);
  });
});

describe('notifications', () => {
  it('follows only links into the app', () => {
    expect(notificationHref('#/recognition')).toBe('#/recognition');
    expect(notificationHref('/programs/1')).toBe('#/programs/1');
    expect(notificationHref('https://evil.example')).toBe('');
    expect(notificationHref('')).toBe('');
  });
});
