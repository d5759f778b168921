// Weekly availability: the API gives the hours of the week in UTC (Monday 00:00 UTC = 0,
// Sunday 23:00 UTC = 167). The profile shows them as a 7×24 grid in the browser's time zone.

export const HOURS_PER_WEEK = 168;
export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * grid[day][hour] (day 0 = Monday) in local time, for a zone `offsetMinutes` ahead of UTC
 * (Berlin in winter: +60; New York: -300). A whole-hour shift moves cells around the week
 * (Sunday 23:00 UTC is Monday 00:00 in Berlin). A zone with a half-hour offset (India, +330)
 * shows an hour in the local hour when it starts (13:30 -> the 13:00 row).
 */
export function utcHoursToLocalGrid(hoursUtc: readonly number[], offsetMinutes: number): boolean[][] {
  const grid = Array.from({ length: 7 }, () => new Array<boolean>(24).fill(false));
  for (const h of hoursUtc) {
    if (!Number.isInteger(h) || h < 0 || h >= HOURS_PER_WEEK) continue;
    const localMinutes = mod(h * 60 + offsetMinutes, HOURS_PER_WEEK * 60);
    const localHour = Math.floor(localMinutes / 60);
    grid[Math.floor(localHour / 24)][localHour % 24] = true;
  }
  return grid;
}

/** The browser's offset from UTC in minutes, positive east of Greenwich (the reverse of Date's). */
export function browserOffsetMinutes(at: Date = new Date()): number {
  return -at.getTimezoneOffset();
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  } catch {
    return 'local time';
  }
}

/** "UTC+01:00", "UTC−05:00", "UTC+05:30". */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '−' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `UTC${sign}${hh}:${mm}`;
}

export function countHours(grid: boolean[][]): number {
  return grid.reduce((n, day) => n + day.filter(Boolean).length, 0);
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
