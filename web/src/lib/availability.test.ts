import { describe, expect, it } from 'vitest';
import { countHours, formatOffset, utcHoursToLocalGrid } from './availability';

const on = (grid: boolean[][]) =>
  grid.flatMap((day, d) => day.map((v, h) => (v ? `${d}:${h}` : null))).filter((x) => x !== null);

describe('utcHoursToLocalGrid', () => {
  it('keeps UTC hours in place at offset 0', () => {
    // 8 = Monday 08:00, 35 = Tuesday 11:00, 167 = Sunday 23:00
    expect(on(utcHoursToLocalGrid([8, 35, 167], 0))).toEqual(['0:8', '1:11', '6:23']);
  });

  it('shifts east of UTC and wraps Sunday night into Monday', () => {
    // Berlin in winter, UTC+1: Sunday 23:00 UTC is Monday 00:00.
    expect(on(utcHoursToLocalGrid([8, 167], 60))).toEqual(['0:0', '0:9']);
  });

  it('shifts west of UTC and wraps Monday morning into Sunday', () => {
    // New York in winter, UTC-5: Monday 02:00 UTC is Sunday 21:00.
    expect(on(utcHoursToLocalGrid([2, 30], -300))).toEqual(['1:1', '6:21']);
  });

  it('puts a half-hour zone in the hour where the slot starts', () => {
    // India, UTC+5:30: Monday 08:00 UTC is 13:30 local.
    expect(on(utcHoursToLocalGrid([8], 330))).toEqual(['0:13']);
  });

  it('ignores values outside the week and counts hours', () => {
    const grid = utcHoursToLocalGrid([-1, 0, 1, 168, 2.5], 0);
    expect(countHours(grid)).toBe(2);
  });

  it('formats offsets', () => {
    expect(formatOffset(60)).toBe('UTC+01:00');
    expect(formatOffset(-300)).toBe('UTC−05:00');
    expect(formatOffset(330)).toBe('UTC+05:30');
  });
});
