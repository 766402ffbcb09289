// Mutuality (organisme assureur / verzekeringsinstelling): SPEC §1.1, domain-rules §3.1.
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";

export type NationalUnion = 100 | 200 | 300 | 400 | 500 | 600 | 900;

export interface Mutuality {
  /** The 3-digit code exactly as given. */
  code: string;
  nationalUnion: NationalUnion;
  /** Short English name, with the official one where it helps. */
  union: string;
  /** The union that answers for this mutuality in MyCareNet. */
  servedThrough: NationalUnion;
}

// The seven members of the Collège Intermutualiste National (seed brochure §3.1).
export const NATIONAL_UNIONS: Readonly<Record<NationalUnion, string>> = Object.freeze({
  100: "Christian mutualities (Alliance nationale des Mutualités chrétiennes)",
  200: "Neutral mutualities (Union nationale des Mutualités neutres)",
  300: "Socialist mutualities (Union nationale des Mutualités socialistes)",
  400: "Liberal mutualities (Union nationale des Mutualités libérales)",
  500: "Independent mutualities (Union nationale des Mutualités libres)",
  600: "CAAMI/HZIV (Caisse auxiliaire d'assurance maladie-invalidité)",
  900: "HR Rail health care fund (Caisse des soins de santé de la SNCB)",
});

// `750` and `999` belong to no national union: the seafarers' fund (Caisse des Marins, 750) and
// OSSOM (999) "travailleront en collaboration avec la CAAMI (600)" (seed brochure §3.1; since
// 1 Jan 2018 seafarers are insured by CAAMI/HZIV, domain-rules §3.1). The first-digit rule
// would give no union for 750 and the wrong one (HR Rail) for 999, so both are attached to 600.
const SPECIAL_FUNDS: Readonly<Record<string, string>> = Object.freeze({
  "750": "Seafarers' fund (Caisse des Marins), served through CAAMI/HZIV",
  "999": "OSSOM (Office de sécurité sociale d'outre-mer), served through CAAMI/HZIV",
});

// genins `MutualityType` pattern (ehealth-genins-core-1_1.xsd): 100–699, 900–999 and 750.
const MUTUALITY_CODE = /^(?:750|999|[1-69][0-9]{2})$/;

export function parseMutuality(input: string): Result<Mutuality, "MUTUALITY_FORMAT"> {
  if (typeof input !== "string" || !MUTUALITY_CODE.test(input)) return fail("MUTUALITY_FORMAT");
  const special = SPECIAL_FUNDS[input];
  if (special !== undefined) {
    return ok({ code: input, nationalUnion: 600, union: special, servedThrough: 600 });
  }
  // National union = first digit × 100 (genins `InsuranceOrgInOneCharType`: 1–6, 9).
  const nationalUnion = (Number(input[0]) * 100) as NationalUnion;
  return ok({
    code: input,
    nationalUnion,
    union: NATIONAL_UNIONS[nationalUnion],
    servedThrough: nationalUnion,
  });
}
