// src/identifiers/niss.ts: parsing and checking a NISS (format, month, mod 97), valid and not.
export const name = "niss";
export async function cases(load) {
  const { parseNiss } = await load("identifiers/niss.js");
  return [
    { name: "parseNiss (valid)", fn: () => parseNiss("85073003328") },
    { name: "parseNiss (wrong check digits)", fn: () => parseNiss("85073003329") },
    { name: "parseNiss (written with separators)", fn: () => parseNiss("85.07.30-033.28") },
  ];
}
