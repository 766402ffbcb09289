// The simulator's own calendar (independent of src/commitment: the peer must not agree with the
// daemon by construction). Days are `YYYY-MM-DD` strings of the Gregorian calendar.
//
// Working days and Belgian public holidays: the brochure counts none. §5.2 says "date de début de
// couverture + 30 jours" and every annex example counts calendar days, across week-ends,
// Christmas and New Year (annex ex. 6: 25/12/2011 → 24/01/2012). So there is no holiday table
// here; calendar.test.ts holds the examples that prove holidays do not shift the window.
export type Day = string;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days in a month of the Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A real calendar day written exactly `YYYY-MM-DD`. */
export function isDay(value: string): boolean {
  const m = DAY_PATTERN.exec(value);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function epochDay(day: Day): number {
  if (!isDay(day)) throw new RangeError("not a calendar day");
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

function fromEpochDay(n: number): Day {
  const date = new Date(n * MS_PER_DAY);
  return [
    String(date.getUTCFullYear()).padStart(4, "0"),
    String(date.getUTCMonth() + 1).padStart(2, "0"),
    String(date.getUTCDate()).padStart(2, "0"),
  ].join("-");
}

/** `day` moved by `n` calendar days. */
export function addDays(day: Day, n: number): Day {
  if (!Number.isInteger(n)) throw new RangeError("a whole number of days");
  return fromEpochDay(epochDay(day) + n);
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareDays(a: Day, b: Day): number {
  return epochDay(a) - epochDay(b);
}

const BRUSSELS = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Brussels",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar day in Brussels at an instant: the platform's "consultation date". */
export function brusselsDay(instant: Date): Day {
  const parts = Object.fromEntries(BRUSSELS.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts["year"]}-${parts["month"]}-${parts["day"]}`;
}
