// Meeting times: the form takes a local date and time (an <input type="datetime-local"> value,
// "YYYY-MM-DDTHH:MM", in the browser's time zone or a given IANA zone); the API takes UTC
// ("YYYY-MM-DDTHH:MM:SSZ").

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The browser's IANA time zone, e.g. "Europe/Berlin". */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Minutes `timeZone` is ahead of UTC at the instant `utcMs`. */
export function zoneOffsetMinutes(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60000);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "2027-03-01T09:30:00Z" for a Date (seconds kept, milliseconds dropped). */
export function toUtcString(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

/**
 * A local wall time ("YYYY-MM-DDTHH:MM") in `timeZone` as UTC ("YYYY-MM-DDTHH:MM:SSZ"); null when
 * the text is not a valid date and time. A time that a daylight-saving change skips (02:30 on the
 * spring-forward night) moves forward by the gap, as clocks do.
 */
export function localToUtc(local: string, timeZone: string = browserTimeZone()): string | null {
  const m = LOCAL.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null; // e.g. 31 April
  // The offsets just before and after any change that day; a wall time maps through an offset
  // if that offset holds at the resulting instant.
  const before = zoneOffsetMinutes(wall - 86400000, timeZone);
  const after = zoneOffsetMinutes(wall + 86400000, timeZone);
  const fits = [before, after]
    .map((o) => wall - o * 60000)
    .filter((t) => wall - zoneOffsetMinutes(t, timeZone) * 60000 === t);
  // Twice on the fall-back night: the first. Never in the spring-forward gap: shifted by the gap.
  const utc = fits.length ? Math.min(...fits) : wall - before * 60000;
  return toUtcString(new Date(utc));
}

/** A UTC instant as the local "YYYY-MM-DDTHH:MM" of `timeZone` (for a datetime-local input). */
export function utcToLocalInput(utc: string, timeZone: string = browserTimeZone()): string {
  const ms = Date.parse(utc);
  if (Number.isNaN(ms)) return '';
  const local = new Date(ms + zoneOffsetMinutes(ms, timeZone) * 60000);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** "UTC+01:00", "UTC−03:30", "UTC" for an offset in minutes. */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const a = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/**
 * The form's default start, as a datetime-local value in `timeZone`: tomorrow at the next full
 * hour, or at 10:00 when that hour falls outside 08:00 to 18:00.
 */
export function defaultMeetingStart(now: Date = new Date(), timeZone: string = browserTimeZone()): string {
  const ms = now.getTime() + 24 * 3600 * 1000;
  const local = utcToLocalInput(toUtcString(new Date(ms)), timeZone);
  const hour = Number(local.slice(11, 13)) + 1;
  return `${local.slice(0, 11)}${hour >= 8 && hour <= 18 ? pad(hour) : '10'}:00`;
}
