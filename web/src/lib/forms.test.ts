import { describe, expect, it } from 'vitest';
import { detailsToForm, formToDetails, lines, ratingBars, swapRule, validateAnswers, validateGoal, validateMeeting } from './forms';

const empty = { objectives: '', format: '', duration_weeks: '', meeting_cadence: '', application_questions: '', min_seniority: '', max_seniority: '', slots: '6', rounds: '4', group_min: '2', circle_size: '4', mix: false } as const;

describe('program details form', () => {
  it('turns lines into lists and numbers into numbers', () => {
    const { details, errors } = formToDetails({ ...empty, objectives: ' grow managers \n\n share skills', format: 'hybrid', duration_weeks: '26', application_questions: 'Why?\nWhat?', min_seniority: '2', max_seniority: '6' });
    expect(errors).toEqual({});
    expect(details).toEqual({ objectives: ['grow managers', 'share skills'], format: 'hybrid', duration_weeks: 26, application_questions: ['Why?', 'What?'], eligibility: { min_seniority: 2, max_seniority: 6 } });
  });
  it('names each bad field like the server does', () => {
    const { errors } = formToDetails({ ...empty, duration_weeks: '500', min_seniority: '0', application_questions: 'A\nA' });
    expect(errors.duration_weeks).toMatch(/1 to 104/);
    expect(errors['eligibility.min_seniority']).toMatch(/1 to 10/);
    expect(errors.application_questions).toBe('each question once');
    expect(formToDetails({ ...empty, min_seniority: '7', max_seniority: '3' }).errors.eligibility).toMatch(/above/);
  });
  it('takes the numbers that number inputs bind', () => {
    const { details, errors } = formToDetails({ ...empty, duration_weeks: 12, min_seniority: null, max_seniority: 4 });
    expect(errors).toEqual({});
    expect(details).toEqual({ duration_weeks: 12, eligibility: { max_seniority: 4 } });
    expect(validateMeeting({ start: '2027-01-15T09:30', duration: 30, location: '', agenda: '' }, 'UTC', new Date('2027-01-01T00:00:00Z')).errors).toEqual({});
  });
  it('keeps the request limits it does not edit and round-trips', () => {
    const d = { objectives: ['x'], meeting_cadence: 'weekly' as const, max_open_requests: 2, request_ttl_days: 7 };
    expect(formToDetails(detailsToForm(d), d).details).toEqual(d);
    expect(lines('a\n  \n b ')).toEqual(['a', 'b']);
  });
  it('sends the options of a structural model, checked like the server does', () => {
    expect(formToDetails({ ...empty, slots: '3' }, {}, 'speed')).toEqual({ details: { model_options: { slots: 3 } }, errors: {} });
    expect(formToDetails({ ...empty, rounds: 2 }, {}, 'rotation').details).toEqual({ model_options: { rounds: 2 } });
    expect(formToDetails({ ...empty, group_min: '3', mix: true }, {}, 'group').details).toEqual({ model_options: { group_min: 3, mix: true } });
    const bad = formToDetails({ ...empty, slots: '21', circle_size: '1' }, {}, 'speed').errors;
    expect(bad).toEqual({ 'model_options.slots': 'a whole number from 1 to 20' });
    expect(formToDetails({ ...empty, circle_size: '1' }, {}, 'circle').errors['model_options.circle_size']).toMatch(/2 to 12/);
    // a one-to-one program keeps stored options untouched; the form starts from them
    const d = { model_options: { slots: 5 } };
    expect(formToDetails(detailsToForm(d), d, 'traditional').details).toEqual(d);
    expect(detailsToForm(d).slots).toBe('5');
    expect(detailsToForm({}).rounds).toBe('4');
  });
});

describe('relationship forms', () => {
  it('needs a goal title', () => {
    expect(validateGoal({ title: ' ', due_date: '', milestones: '' }).title).toBeTruthy();
    expect(validateGoal({ title: 'Lead a team', due_date: '2027-06-30', milestones: '' })).toEqual({});
  });
  it('converts the meeting start to UTC and checks the duration and the past', () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const ok = validateMeeting({ start: '2027-01-15T09:30', duration: '45', location: '', agenda: '' }, 'Europe/Berlin', now);
    expect(ok).toEqual({ startsAt: '2027-01-15T08:30:00Z', errors: {} });
    const bad = validateMeeting({ start: '2026-12-01T09:30', duration: '2', location: '', agenda: '' }, 'UTC', now);
    expect(bad.errors.starts_at).toMatch(/passed/);
    expect(bad.errors.duration_minutes).toMatch(/5 to 480/);
    expect(validateMeeting({ start: '', duration: '60', location: '', agenda: '' }, 'UTC', now).errors.starts_at).toMatch(/Choose/);
  });
  it('needs an answer to every application question', () => {
    expect(validateAnswers(['Why?', 'Goal?'], { 'Why?': 'growth', 'Goal?': ' ' })).toEqual({ 'answers.Goal?': 'please answer this question' });
  });
  it('reads the rule out of a swap refusal and makes rating bars', () => {
    expect(swapRule('E1 with mentor E2 is not eligible: the mentor is in the mentee\'s reporting line (send force: true to override)')).toBe("the mentor is in the mentee's reporting line");
    expect(swapRule('something else')).toBe('something else');
    expect(ratingBars([0, 1, 1, 0, 2]).map((b) => b.share)).toEqual([0, 0.25, 0.25, 0, 0.5]);
    expect(ratingBars(undefined).every((b) => b.count === 0)).toBe(true);
  });
});
