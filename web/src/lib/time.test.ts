import { describe, expect, it } from 'vitest';
import { defaultMeetingStart, localToUtc, offsetLabel, utcToLocalInput, zoneOffsetMinutes } from './time';

describe('localToUtc', () => {
  it('converts Berlin winter and summer time', () => {
    expect(localToUtc('2027-01-15T09:30', 'Europe/Berlin')).toBe('2027-01-15T08:30:00Z');
    expect(localToUtc('2027-07-15T09:30', 'Europe/Berlin')).toBe('2027-07-15T07:30:00Z');
  });
  it('crosses the date line backwards and forwards', () => {
    expect(localToUtc('2027-03-01T00:15', 'Europe/Berlin')).toBe('2027-02-28T23:15:00Z');
    expect(localToUtc('2027-03-01T20:00', 'America/New_York')).toBe('2027-03-02T01:00:00Z');
  });
  it('handles half-hour zones and UTC', () => {
    expect(localToUtc('2027-05-10T10:00', 'Asia/Kolkata')).toBe('2027-05-10T04:30:00Z');
    expect(localToUtc('2027-05-10T10:00', 'UTC')).toBe('2027-05-10T10:00:00Z');
  });
  it('moves a skipped spring-forward time by the gap, and takes the first of a repeated hour', () => {
    expect(localToUtc('2027-03-28T02:30', 'Europe/Berlin')).toBe('2027-03-28T01:30:00Z'); // 03:30 CEST
    expect(localToUtc('2027-10-31T02:30', 'Europe/Berlin')).toBe('2027-10-31T00:30:00Z'); // first 02:30 (CEST)
  });
  it('refuses text that is not a date and time', () => {
    expect(localToUtc('', 'UTC')).toBeNull();
    expect(localToUtc('2027-04-31T10:00', 'UTC')).toBeNull();
    expect(localToUtc('2027-01-01 25:00', 'UTC')).toBeNull();
    expect(localToUtc('tomorrow', 'UTC')).toBeNull();
  });
});

describe('utcToLocalInput and helpers', () => {
  it('round-trips through local time', () => {
    expect(utcToLocalInput('2027-07-15T07:30:00Z', 'Europe/Berlin')).toBe('2027-07-15T09:30');
    expect(localToUtc(utcToLocalInput('2027-11-02T18:45:00Z', 'America/New_York'), 'America/New_York')).toBe('2027-11-02T18:45:00Z');
  });
  it('reads zone offsets', () => {
    expect(zoneOffsetMinutes(Date.UTC(2027, 0, 1), 'Europe/Berlin')).toBe(60);
    expect(zoneOffsetMinutes(Date.UTC(2027, 6, 1), 'America/New_York')).toBe(-240);
    expect(offsetLabel(330)).toBe('UTC+05:30');
    expect(offsetLabel(-240)).toBe('UTC−04:00');
    expect(offsetLabel(0)).toBe('UTC');
  });
  it('proposes tomorrow at the next full hour', () => {
    expect(defaultMeetingStart(new Date('2027-01-15T08:10:00Z'), 'Europe/Berlin')).toBe('2027-01-16T10:00');
    expect(defaultMeetingStart(new Date('2027-01-15T12:40:00Z'), 'Europe/Berlin')).toBe('2027-01-16T14:00');
    expect(defaultMeetingStart(new Date('2027-01-15T20:40:00Z'), 'Europe/Berlin')).toBe('2027-01-16T10:00');
  });
});
