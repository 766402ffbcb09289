// Calendar days as `YYYY-MM-DD` strings. Every computation runs in an explicit zone (UTC for day
// arithmetic, Europe/Brussels to read the day of an instant), never in the process's zone.
import { format } from "date-fns";
import { tz } from "@date-fns/tz";

/** A calendar day, `YYYY-MM-DD` (SPEC §1.3: dates are Europe/Brussels calendar days). */
export type Day = string;

const DAY_PARTS = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const inBrussels = tz("Europe/Brussels");

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

/** The Europe/Brussels calendar day of an instant, whatever the process time zone. */
export function brusselsDay(instant: Date): Day {
  return format(instant, "yyyy-MM-dd", { in: inBrussels });
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
