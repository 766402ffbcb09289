// Retention (SPEC §1.3, brochure §5.3): commitment data is kept "le temps nécessaire au
// traitement de la facture et des rejets éventuels, mais pas plus longtemps". The claim for
// payment of health care prescribes two years from the end of the month in which the care was
// given (loi coordonnée du 14 juillet 1994, art. 174, 3°): past that, no invoice or rejection
// can still need the data. Hence the default: the current month and the 24 months before it.
import { isDay, type Day } from "../commitment/index.js";

export const DEFAULT_RETENTION_MONTHS = 24;

/**
 * The first day that is kept: consultations made before it are purged. With 24 months on
 * 2026-03-15 it is 2024-03-01: February 2024 prescribed at the end of February 2026.
 */
export function retentionCutoff(today: Day, months: number): Day {
  if (!isDay(today)) throw new RangeError("retentionCutoff: today is not a calendar day");
  if (!Number.isInteger(months) || months < 0)
    throw new RangeError("retentionCutoff: months must be a whole number ≥ 0");
  const index = Number(today.slice(0, 4)) * 12 + (Number(today.slice(5, 7)) - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-01`;
}
