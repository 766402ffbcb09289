// A report month (`YYYY-MM`) as Brussels calendar days and as instants (SPEC §1.3: dates are
// Europe/Brussels calendar days; audit entries carry UTC instants).
import { addDays, type Day } from "../commitment/index.js";
import { brusselsMidnight } from "../commitment/calendar.js";

const MONTH = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

export interface MonthBounds {
  /** First day of the month. */
  fromDay: Day;
  /** First day of the next month (excluded). */
  untilDay: Day;
  /** Brussels midnight starting the month, and the next one. */
  from: Date;
  until: Date;
}

export function monthBoundsOf(month: string): MonthBounds {
  const m = MONTH.exec(month);
  if (m?.[1] === undefined || m[2] === undefined) throw new RangeError("not a month (YYYY-MM)");
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  const nextYear = index === 11 ? year + 1 : year;
  const nextIndex = (index + 1) % 12;
  const day = (y: number, i: number): Day =>
    `${String(y).padStart(4, "0")}-${String(i + 1).padStart(2, "0")}-01`;
  const fromDay = day(year, index);
  const untilDay = day(nextYear, nextIndex);
  return { fromDay, untilDay, from: brusselsMidnight(fromDay), until: brusselsMidnight(untilDay) };
}

/** The month (`YYYY-MM`) of a Brussels day. */
export const monthOf = (day: Day): string => day.slice(0, 7);

/** Brussels midnight starting `day`, and the next one (23, 24 or 25 hours later). */
export function dayBoundsOf(day: Day): { from: Date; until: Date } {
  return { from: brusselsMidnight(day), until: brusselsMidnight(addDays(day, 1)) };
}
