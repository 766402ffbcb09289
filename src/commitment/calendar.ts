// Calendar days as `YYYY-MM-DD` strings. Every computation runs in an explicit zone (UTC for day
// arithmetic, Europe/Brussels to read the day of an instant), never in the process's zone.

/** A calendar day, `YYYY-MM-DD` (SPEC §1.3: dates are Europe/Brussels calendar days). */
export type Day = string;

const DAY_PARTS = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
// The zone's rules come from the runtime's ICU data (as for @date-fns/tz, which reads them
// through Intl too), formatted once per call without date-fns' generic formatter (~13 µs a call).
const BRUSSELS = new Intl.DateTimeFormat("en-US", {
  timeZone: "Europe/Brussels",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

// Day arithmetic is plain arithmetic on UTC midnights: UTC has no daylight saving, so a day is
// always 86 400 000 ms there. (date-fns with a time-zone context did the same at ~60 µs a call;
// it runs several times per consultation and per synthetic person.)
function utcMidnight(day: Day): number | undefined {
  const m = DAY_PARTS.exec(day);
  if (!m) return undefined;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, date); // not Date.UTC: it reads years 0–99 as 1900–1999
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === date
    ? d.getTime()
    : undefined;
}

function toUtcMidnight(day: Day): number {
  const t = utcMidnight(day);
  if (t === undefined) throw new RangeError("not a calendar day (YYYY-MM-DD)");
  return t;
}

function dayOfUtc(t: number): Day {
  const d = new Date(t);
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** True for a real calendar day written exactly `YYYY-MM-DD` (2011-02-29 and 2011-2-3 are not). */
export function isDay(s: string): boolean {
  return utcMidnight(s) !== undefined;
}

// Since 1892 Brussels has only ever been a whole number of hours from UTC, and its changes fall
// on whole UTC hours: within one UTC hour the Brussels day cannot change. The last hour's day is
// kept (every request reads "today").
const HOUR_MS = 3_600_000;
const WHOLE_HOURS_SINCE = Date.UTC(1900, 0, 1);
let lastHour = Number.NaN;
let lastDay = "";

/** The Europe/Brussels calendar day of an instant, whatever the process time zone. */
export function brusselsDay(instant: Date): Day {
  const t = instant.getTime();
  const hour = Math.floor(t / HOUR_MS);
  if (hour === lastHour) return lastDay;
  let year = "";
  let month = "";
  let day = "";
  for (const part of BRUSSELS.formatToParts(instant)) {
    if (part.type === "year") year = part.value;
    else if (part.type === "month") month = part.value;
    else if (part.type === "day") day = part.value;
  }
  const result = `${year.padStart(4, "0")}-${month}-${day}`;
  if (t >= WHOLE_HOURS_SINCE) {
    lastHour = hour;
    lastDay = result;
  }
  return result;
}

const BRUSSELS_CLOCK = new Intl.DateTimeFormat("en-US", {
  timeZone: "Europe/Brussels",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** How far Brussels's wall clock is ahead of UTC at instant `t` (ms), from the same ICU data. */
function brusselsOffset(t: number): number {
  const p: Record<string, number> = {};
  for (const part of BRUSSELS_CLOCK.formatToParts(new Date(t))) p[part.type] = Number(part.value);
  const wall = new Date(0);
  wall.setUTCFullYear(p["year"] ?? 0, (p["month"] ?? 1) - 1, p["day"] ?? 1);
  wall.setUTCHours(p["hour"] ?? 0, p["minute"] ?? 0, p["second"] ?? 0, 0);
  return wall.getTime() - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The instant Brussels's `day` begins (its local midnight): the inverse of brusselsDay. Brussels
 * changes its clocks at 01:00 UTC, never around local midnight, so the offset read at the first
 * guess is the day's; a second reading settles any other zone history.
 */
export function brusselsMidnight(day: Day): Date {
  const utc = toUtcMidnight(day);
  let t = utc - brusselsOffset(utc);
  t = utc - brusselsOffset(t);
  return new Date(t);
}

/** `day` moved by `n` calendar days (negative goes back). Throws RangeError on a malformed day. */
export function addDays(day: Day, n: number): Day {
  if (!Number.isFinite(n)) throw new RangeError("not a number of days");
  return dayOfUtc(toUtcMidnight(day) + Math.trunc(n) * DAY_MS);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((toUtcMidnight(to) - toUtcMidnight(from)) / DAY_MS);
}

/** Negative, zero or positive as `a` is before, the same as or after `b`. */
export function compareDays(a: Day, b: Day): number {
  // The fixed-width `YYYY-MM-DD` form sorts like the calendar, so no parsing is needed here.
  return a < b ? -1 : a > b ? 1 : 0;
}

export const minDay = (a: Day, b: Day): Day => (compareDays(a, b) <= 0 ? a : b);
export const maxDay = (a: Day, b: Day): Day => (compareDays(a, b) >= 0 ? a : b);
