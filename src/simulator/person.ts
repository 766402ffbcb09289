// A synthetic insured person as the simulated insurers know them (SPEC §3).
import type { Day, RightPeriod } from "./oracle/index.js";
import type { ThirdPartyPayerRegime } from "../ehealth/insurability/index.js";

/** An insurability period as one insurer states it, with the membership it is under. */
export interface SimPeriod extends RightPeriod {
  mutuality: string;
  /** With that mutuality; opaque, may hold spaces and letters (SPEC §1.1). */
  registrationNumber: string;
  /** Only set when it must disagree with CT1's third digit (the regimeMismatch scenario). */
  regime?: ThirdPartyPayerRegime;
}

export interface Person {
  /** Absent for a newborn known only by mutuality + registration number (brochure §4.3). */
  niss?: string;
  firstName: string;
  lastName: string;
  /** Absent when not known (a BIS number issued without a birth date). */
  birthDate?: Day;
  /** Absent when not known (a BIS number issued with the sex unknown). */
  sex?: "male" | "female";
  deceased?: Day;
  periods: SimPeriod[];
}

// SPEC §1.2: CT1's third digit 1 = preferential reimbursement, which the pharmacist service
// signals as the "elevated" third-party payer regime.
export function regimeOf(period: SimPeriod): ThirdPartyPayerRegime {
  return period.regime ?? (period.ct1[2] === "1" ? "elevated" : "standard");
}
