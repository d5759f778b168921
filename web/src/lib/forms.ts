// Checks the forms make before they send anything (the server checks again and its field errors
// are shown the same way). Each returns field -> reason; an empty object means the form is fine.
import type { ModelOptions, ProgramDetails } from './api';
import { isStructural, MODEL_OPTION_DEFAULTS, MODEL_OPTION_KEYS } from './structural';
import { localToUtc } from './time';

export type FieldErrors = Record<string, string>;

/** Lines of a textarea, trimmed, without empty ones. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** A form value as trimmed text (number inputs bind numbers, or null when empty). */
export function text(v: string | number | null | undefined): string {
  return v === null || v === undefined ? '' : String(v).trim();
}

function wholeIn(value: string | number | null | undefined, lo: number, hi: number): number | null {
  const t = text(value);
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= lo && n <= hi ? n : null;
}

export interface DetailsForm {
  objectives: string;
  format: '' | 'in_person' | 'virtual' | 'hybrid';
  duration_weeks: string | number | null;
  meeting_cadence: '' | 'weekly' | 'biweekly' | 'monthly';
  application_questions: string;
  min_seniority: string | number | null;
  max_seniority: string | number | null;
  /** The structural models' options (only those of the program's model are sent). */
  slots: string | number | null;
  rounds: string | number | null;
  group_min: string | number | null;
  circle_size: string | number | null;
  mix: boolean;
}

/** The ranges of the whole-number model options (as the server checks them). */
export const MODEL_OPTION_RANGES = { slots: [1, 20], rounds: [1, 12], group_min: [1, 20], circle_size: [2, 12] } as const;

export function detailsToForm(d: ProgramDetails): DetailsForm {
  return {
    objectives: (d.objectives ?? []).join('\n'),
    format: d.format ?? '',
    duration_weeks: d.duration_weeks ? String(d.duration_weeks) : '',
    meeting_cadence: d.meeting_cadence ?? '',
    application_questions: (d.application_questions ?? []).join('\n'),
    min_seniority: d.eligibility?.min_seniority ? String(d.eligibility.min_seniority) : '',
    max_seniority: d.eligibility?.max_seniority ? String(d.eligibility.max_seniority) : '',
    slots: String(d.model_options?.slots ?? MODEL_OPTION_DEFAULTS.slots),
    rounds: String(d.model_options?.rounds ?? MODEL_OPTION_DEFAULTS.rounds),
    group_min: String(d.model_options?.group_min ?? MODEL_OPTION_DEFAULTS.group_min),
    circle_size: String(d.model_options?.circle_size ?? MODEL_OPTION_DEFAULTS.circle_size),
    mix: d.model_options?.mix ?? MODEL_OPTION_DEFAULTS.mix,
  };
}

/**
 * The details to PUT, or the errors. `keep` carries fields the form does not edit (request limits,
 * and the model options of a one-to-one program) so that saving the form does not drop them. For a
 * structural `model` the options that model reads are taken from the form (errors under
 * `model_options.<option>`, as the server names them).
 */
export function formToDetails(f: DetailsForm, keep: ProgramDetails = {}, model = ''): { details: ProgramDetails; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const details: ProgramDetails = {};
  if (keep.max_open_requests !== undefined) details.max_open_requests = keep.max_open_requests;
  if (keep.request_ttl_days !== undefined) details.request_ttl_days = keep.request_ttl_days;
  const objectives = lines(f.objectives);
  if (objectives.length) details.objectives = objectives;
  if (f.format) details.format = f.format;
  if (text(f.duration_weeks)) {
    const n = wholeIn(f.duration_weeks, 1, 104);
    if (n === null) errors.duration_weeks = 'a whole number of weeks from 1 to 104';
    else details.duration_weeks = n;
  }
  if (f.meeting_cadence) details.meeting_cadence = f.meeting_cadence;
  const questions = lines(f.application_questions);
  if (questions.length) details.application_questions = questions;
  if (new Set(questions).size !== questions.length) errors.application_questions = 'each question once';
  const eligibility: NonNullable<ProgramDetails['eligibility']> = {};
  for (const key of ['min_seniority', 'max_seniority'] as const) {
    if (!text(f[key])) continue;
    const n = wholeIn(f[key], 1, 10);
    if (n === null) errors[`eligibility.${key}`] = 'a level from 1 to 10';
    else eligibility[key] = n;
  }
  if (eligibility.min_seniority && eligibility.max_seniority && eligibility.min_seniority > eligibility.max_seniority) {
    errors.eligibility = 'the lowest level is above the highest';
  }
  if (Object.keys(eligibility).length) details.eligibility = eligibility;
  const options: ModelOptions = { ...(keep.model_options ?? {}) };
  if (isStructural(model)) {
    for (const key of MODEL_OPTION_KEYS[model]) {
      if (key === 'mix') {
        options[key] = f[key];
        continue;
      }
      const [lo, hi] = MODEL_OPTION_RANGES[key];
      const n = wholeIn(f[key], lo, hi);
      if (n === null) errors[`model_options.${key}`] = `a whole number from ${lo} to ${hi}`;
      else options[key] = n;
    }
  }
  if (Object.keys(options).length) details.model_options = options;
  return { details, errors };
}

export interface GoalForm {
  title: string;
  due_date: string;
  milestones: string;
}

export function validateGoal(f: GoalForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!f.title.trim()) errors.title = 'Give the goal a title.';
  if (f.due_date && !/^\d{4}-\d{2}-\d{2}$/.test(f.due_date)) errors.due_date = 'a date (YYYY-MM-DD)';
  return errors;
}

export interface MeetingForm {
  start: string; // datetime-local value
  duration: string | number | null;
  location: string;
  agenda: string;
}

/** The meeting's UTC start and the errors; `now` lets tests fix the clock. */
export function validateMeeting(f: MeetingForm, timeZone?: string, now: Date = new Date()): { startsAt: string | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const startsAt = f.start ? localToUtc(f.start, timeZone) : null;
  if (!f.start) errors.starts_at = 'Choose a date and time.';
  else if (!startsAt) errors.starts_at = 'This is not a valid date and time.';
  else if (Date.parse(startsAt) < now.getTime() - 60000) errors.starts_at = 'This time has passed; choose a later one.';
  if (wholeIn(f.duration, 5, 480) === null) errors.duration_minutes = 'from 5 to 480 minutes';
  return { startsAt, errors };
}

/** Answers to every question, or which ones are missing (keyed like the server: "answers.<question>"). */
export function validateAnswers(questions: string[], answers: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const q of questions) if (!(answers[q] ?? '').trim()) errors[`answers.${q}`] = 'please answer this question';
  return errors;
}

/** The rule a 422 swap refusal names ("E1 with mentor E2 is not eligible: <rule> (send force…)"). */
export function swapRule(reason: string): string {
  const m = /is not eligible: (.*?)(?: \(send force: true to override\))?$/.exec(reason);
  return m ? m[1] : reason;
}

/** Bars of a feedback aggregate: rating 1..5 with count and share (0..1). */
export function ratingBars(byRating: number[] | undefined): { rating: number; count: number; share: number }[] {
  const counts = [0, 1, 2, 3, 4].map((i) => byRating?.[i] ?? 0);
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((count, i) => ({ rating: i + 1, count, share: total ? count / total : 0 }));
}
