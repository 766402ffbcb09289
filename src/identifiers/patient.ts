// How a patient is identified to MyCareNet (SPEC §2): by NISS, or by the mutuality and the
// registration number there when the patient has no NISS at hand.
export type PatientIdentification = { niss: string } | { mutuality: string; registrationNumber: string };
