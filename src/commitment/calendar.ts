// Calendar days as `YYYY-MM-DD` strings. Every computation runs in an explicit zone (UTC for day
// arithmetic, Europe/Brussels to read the day of an instant), never in the process's zone.
import { addDays as addCalendarDays, differenceInCalendarDays, format, parseISO } from "date-fns";
import { tz } from "@date-fns/tz";

/** A calendar day, `YYYY-MM-DD` (SPEC §1.3: dates are Europe/Brussels calendar days). */
export type Day = string;

const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const inUtc = tz("UTC");
const inBrussels = tz("Europe/Brussels");

function toDate(day: Day): Date {
  const date = parseISO(day, { in: inUtc });
  if (!DAY_SHAPE.test(day) || Number.isNaN(date.getTime())) {
    throw new RangeError("not a calendar day (YYYY-MM-DD)");
  }
  return date;
}

/** True for a real calendar day written exactly `YYYY-MM-DD` (2011-02-29 and 2011-2-3 are not). */
export function isDay(s: string): boolean {
  if (!DAY_SHAPE.test(s)) return false;
  const date = parseISO(s, { in: inUtc });
  return !Number.isNaN(date.getTime()) && format(date, "yyyy-MM-dd") === s;
}

/** The Europe/Brussels calendar day of an instant, whatever the process time zone. */
export function brusselsDay(instant: Date): Day {
  return format(instant, "yyyy-MM-dd", { in: inBrussels });
}

/** `day` moved by `n` calendar days (negative goes back). Throws RangeError on a malformed day. */
export function addDays(day: Day, n: number): Day {
  return format(addCalendarDays(toDate(day), n, { in: inUtc }), "yyyy-MM-dd");
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: Day, to: Day): number {
  return differenceInCalendarDays(toDate(to), toDate(from), { in: inUtc });
}

/** Negative, zero or positive as `a` is before, the same as or after `b`. */
export function compareDays(a: Day, b: Day): number {
  // The fixed-width `YYYY-MM-DD` form sorts like the calendar, so no parsing is needed here.
  return a < b ? -1 : a > b ? 1 : 0;
}

export const minDay = (a: Day, b: Day): Day => (compareDays(a, b) <= 0 ? a : b);
export const maxDay = (a: Day, b: Day): Day => (compareDays(a, b) >= 0 ? a : b);
