// src/commitment/calendar.ts: addDays and daysBetween (UTC-midnight arithmetic, ~0.6 µs cited),
// brusselsDay within the hour (~0.1 µs) and for a new hour each call (~3 µs).
export const name = "calendar";
export async function cases(load) {
  const { addDays, daysBetween, brusselsDay } = await load("commitment/calendar.js");
  const base = Date.parse("2026-03-29T00:30:00Z");
  return [
    { name: "addDays", fn: (i) => addDays("2026-03-29", (i % 400) - 200) },
    { name: "daysBetween", fn: (i) => daysBetween("2026-01-01", i % 2 ? "2026-10-25" : "2026-03-29") },
    { name: "brusselsDay (same hour)", fn: (i) => brusselsDay(new Date(base + (i % 1000))) },
    { name: "brusselsDay (a new hour each call)", fn: (i) => brusselsDay(new Date(base + i * 3_600_000)) },
  ];
}
