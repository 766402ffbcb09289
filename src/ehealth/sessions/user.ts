// Who the session's user is (SPEC §1.5, brochure §8.2.2.3: any authorised pharmacist of the
// pharmacy may open a session, and its activity is traced to that person). The SSIN comes from
// the certificate. The NIHII, in this order:
// 1. the one the pharmacist gives at opening (11 digits, a person's);
// 2. the titular's (MCN_HOLDER_NIHII) when the certificate is the titular's (MCN_HOLDER_SSIN):
//    the only person whose SSIN and NIHII the configuration ties together;
// 3. otherwise unknown (null). Never the titular's NIHII for another person. An API token's
//    `nihii` is not used: a token names who calls the API, not whose card opens the session.
// A NIHII given at opening that contradicts the configuration (the titular's number on another
// person's card, or another number on the titular's card) is refused: the trail would be false.
import { CodedError } from "../../errors.js";
import { parseNihii, type Nihii } from "../../identifiers/index.js";

/** The NIHII given at opening, or the precise identifier error (nothing is opened). */
export function readOpeningNihii(input: string): Nihii {
  const read = parseNihii(input);
  if (!read.ok) throw new CodedError(read.code);
  // A pharmacist is a person: 11 digits (an 8-digit number reads as a pharmacy's).
  if (read.value.kind !== "person") throw new CodedError("NIHII_FORMAT", { expected: "11 digits (person)" });
  return read.value;
}

export function sessionUserNihii(input: {
  ssin: string;
  given: Nihii | undefined;
  holder: { readonly ssin: string; readonly nihii: string };
}): string | null {
  const { ssin, given, holder } = input;
  const titular = ssin === holder.ssin;
  if (given) {
    // The identity is the first 8 digits (domain-rules §2.1); the qualification may differ.
    const holdersNumber = given.identity === holder.nihii.slice(0, 8);
    if (titular !== holdersNumber) throw new CodedError("SESSION_NIHII_MISMATCH");
    return given.normalized;
  }
  return titular ? holder.nihii : null;
}
