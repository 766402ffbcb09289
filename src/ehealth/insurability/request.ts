// GetInsurabilityForPharmacistRequest (protocol notes §1.4; SPEC §2): built from templates on the
// daemon's side, read back on the simulator's side. The shape follows the Recip-e pharmacy
// connector: CareProvider/Nihii = the titular pharmacist with quality PHARMACY-HOLDER, and
// CareProvider/Organization/Nihii = the pharmacy with quality PHARMACY.
import type { Day } from "../../commitment/index.js";
import { escapeXml } from "../xml/escape.js";
import { NS } from "../xml/namespaces.js";
import { child, path, text } from "../xml/parse.js";
import { soapEnvelope } from "../xml/soap.js";

export const INSURABILITY_SOAP_ACTION =
  "urn:be:fgov:ehealth:insurability:protocol:v2:GetInsurabilityForPharmacist";

export const HOLDER_QUALITY = "PHARMACY-HOLDER";
export const PHARMACY_QUALITY = "PHARMACY";

// RequestType is one character whose values only the cookbook defines (notes §8): "1" is the
// placeholder of the synthetic sample, and what our simulator expects.
export const DEFAULT_REQUEST_TYPE = "1";

import type { PatientIdentification } from "../../identifiers/patient.js";

export type { PatientIdentification } from "../../identifiers/patient.js";

export interface InsurabilityRequestInput {
  /** RecordCommonInput/Reference: unique per request, 1–14 digits. */
  reference: string;
  /** RecordCommonInput/UserReference: at most 25 characters (MyCareNet upper-cases it). */
  userReference?: string;
  /** The delivery date asked about. */
  date: Day;
  patient: PatientIdentification;
  holder: { nihii: string; ssin: string; name: string };
  pharmacy: { nihii: string; name: string };
  package: { name: string; licenseUser: string; licensePassword: string };
  isTest: boolean;
  requestType?: string;
}

const REFERENCE = /^[0-9]{1,14}$/;

/** The Body payload alone (what the XSD describes), with its namespaces declared on the root. */
export function insurabilityRequestPayload(input: InsurabilityRequestInput): string {
  // The callers validate everything before building; these are programming errors.
  if (!REFERENCE.test(input.reference)) throw new RangeError("reference must be 1 to 14 digits");
  if (input.userReference !== undefined && [...input.userReference].length > 25) {
    throw new RangeError("userReference is at most 25 characters");
  }
  const requestType = input.requestType ?? DEFAULT_REQUEST_TYPE;
  if ([...requestType].length !== 1) throw new RangeError("requestType is one character");

  const e = escapeXml;
  const p = input.patient;
  const careReceiver =
    "niss" in p
      ? `<ic:Ssin>${e(p.niss)}</ic:Ssin>`
      : `<ic:RegNrWithMut>${e(p.registrationNumber)}</ic:RegNrWithMut><ic:Mutuality>${e(p.mutuality)}</ic:Mutuality>`;
  const userReference =
    input.userReference === undefined ? "" : `<ic:UserReference>${e(input.userReference)}</ic:UserReference>`;

  return (
    `<ins:GetInsurabilityForPharmacistRequest xmlns:ins="${NS.insProtocol}" xmlns:ic="${NS.insCore}">` +
    `<ins:CommonInput>` +
    `<ic:Request><ic:IsTest>${input.isTest ? "true" : "false"}</ic:IsTest></ic:Request>` +
    `<ic:Origin>` +
    `<ic:Package><ic:Name>${e(input.package.name)}</ic:Name>` +
    `<ic:License><ic:Username>${e(input.package.licenseUser)}</ic:Username>` +
    `<ic:Password>${e(input.package.licensePassword)}</ic:Password></ic:License></ic:Package>` +
    `<ic:CareProvider>` +
    `<ic:Nihii><ic:Quality>${HOLDER_QUALITY}</ic:Quality><ic:Value>${e(input.holder.nihii)}</ic:Value></ic:Nihii>` +
    `<ic:PhysicalPerson><ic:Name>${e(input.holder.name)}</ic:Name><ic:Ssin>${e(input.holder.ssin)}</ic:Ssin></ic:PhysicalPerson>` +
    `<ic:Organization><ic:Name>${e(input.pharmacy.name)}</ic:Name>` +
    `<ic:Nihii><ic:Quality>${PHARMACY_QUALITY}</ic:Quality><ic:Value>${e(input.pharmacy.nihii)}</ic:Value></ic:Nihii>` +
    `</ic:Organization>` +
    `</ic:CareProvider>` +
    `</ic:Origin>` +
    `</ins:CommonInput>` +
    `<ins:RecordCommonInput><ic:Reference>${input.reference}</ic:Reference>${userReference}</ins:RecordCommonInput>` +
    `<ins:InsurabilityRequest>` +
    `<ic:Date>${e(input.date)}</ic:Date><ic:RequestType>${e(requestType)}</ic:RequestType>` +
    `<ic:CareReceiver>${careReceiver}</ic:CareReceiver>` +
    `</ins:InsurabilityRequest>` +
    `<ins:ExtendedInformation/>` +
    `</ins:GetInsurabilityForPharmacistRequest>`
  );
}

/**
 * The full, unsigned SOAP envelope, without Header and without an Id on the Body: the
 * WS-Security layer (signWithSamlKeyId) inserts both when it signs.
 */
export function buildInsurabilityRequest(input: InsurabilityRequestInput): string {
  return soapEnvelope({ body: insurabilityRequestPayload(input) });
}

/** The request as read on the simulator's side: raw strings, nothing validated yet. */
export interface ReceivedInsurabilityRequest {
  isTest?: string;
  package: { name?: string; licenseUser?: string; licensePassword?: string };
  holder: { quality?: string; nihii?: string; ssin?: string; name?: string };
  pharmacy: { quality?: string; nihii?: string; name?: string };
  reference?: string;
  userReference?: string;
  date?: string;
  requestType?: string;
  patient: { niss?: string; mutuality?: string; registrationNumber?: string };
}

const ic = (name: string): readonly [string, string] => [NS.insCore, name];
const ins = (name: string): readonly [string, string] => [NS.insProtocol, name];

/** Reads a GetInsurabilityForPharmacistRequest element; undefined when the root is another one. */
export function readInsurabilityRequest(payload: Element): ReceivedInsurabilityRequest | undefined {
  if (
    payload.namespaceURI !== NS.insProtocol ||
    payload.localName !== "GetInsurabilityForPharmacistRequest"
  ) {
    return undefined;
  }
  const origin = path(payload, ins("CommonInput"), ic("Origin"));
  const careProvider = origin && child(origin, ...ic("CareProvider"));
  const organization = careProvider && child(careProvider, ...ic("Organization"));
  const careReceiver = path(payload, ins("InsurabilityRequest"), ic("CareReceiver"));
  const record = child(payload, ...ins("RecordCommonInput"));
  const request = child(payload, ...ins("InsurabilityRequest"));
  const t = (parent: Element | undefined, ...steps: Array<readonly [string, string]>): string | undefined =>
    parent === undefined ? undefined : text(path(parent, ...steps));
  return drop({
    isTest: t(payload, ins("CommonInput"), ic("Request"), ic("IsTest")),
    package: drop({
      name: t(origin, ic("Package"), ic("Name")),
      licenseUser: t(origin, ic("Package"), ic("License"), ic("Username")),
      licensePassword: t(origin, ic("Package"), ic("License"), ic("Password")),
    }),
    holder: drop({
      quality: t(careProvider, ic("Nihii"), ic("Quality")),
      nihii: t(careProvider, ic("Nihii"), ic("Value")),
      ssin: t(careProvider, ic("PhysicalPerson"), ic("Ssin")),
      name: t(careProvider, ic("PhysicalPerson"), ic("Name")),
    }),
    pharmacy: drop({
      quality: t(organization, ic("Nihii"), ic("Quality")),
      nihii: t(organization, ic("Nihii"), ic("Value")),
      name: t(organization, ic("Name")),
    }),
    reference: t(record, ic("Reference")),
    userReference: t(record, ic("UserReference")),
    date: t(request, ic("Date")),
    requestType: t(request, ic("RequestType")),
    patient: drop({
      niss: t(careReceiver, ic("Ssin")),
      mutuality: t(careReceiver, ic("Mutuality")),
      registrationNumber: t(careReceiver, ic("RegNrWithMut")),
    }),
  });
}

/** Leaves absent fields out (the type's optional properties mean "absent", not "undefined"). */
function drop<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}
