// The simulated eHealth STS, legacy SAML 1.1 front door (/IAM/Saml11TokenService/Legacy/v1).
// In order, as eHealth would:
// 1. mode: "down" → the server drops the connection; "system-error" → soa:SystemError fault.
// 2. WS-Security (X.509 profile, verify.ts): bad signature, stale Timestamp, wrapped message →
//    ESB fault SOA-01001 (Client), the consumer is not authenticated.
// 3. samlp:Status Requester with a message when: the signing (identification) or holder-of-key
//    certificate is untrusted, outside its validity or revoked; the proof of possession (the
//    request's enveloped signature) is not by the holder-of-key certificate's key; the pharmacy
//    NIHII is invalid or unknown; the holder-of-key certificate is not that pharmacy's; the
//    attributes claim another person than the certificate names.
// 4. Otherwise an assertion. Whether this person is the pharmacy's titular pharmacist is an
//    answer, not a refusal (mycarenet-protocol §3.5): pharmacy-holder:boolean is "false" when the
//    certificate's SSIN is not the registered holder's or the registered NIHII-11 is not a
//    titular pharmacist's (2…001), and the client must refuse such a session.
import { XMLSerializer } from "@xmldom/xmldom";
import { generateKeyPairSync } from "node:crypto";
import { describeCertificate } from "../../ehealth/keys/certificate.js";
import { MemorySigner } from "../../ehealth/keys/memory.js";
import type { Signer } from "../../ehealth/keys/signer.js";
import {
  CERTIFIED_NAMESPACE,
  IDENTIFICATION_NAMESPACE,
  PHARMACY_ATTRIBUTE as A,
} from "../../ehealth/sts/pharmacy-profile.js";
import { verifyEnveloped } from "../../ehealth/wssec/enveloped.js";
import { WsSecurityRejected } from "../../ehealth/wssec/rejected.js";
import { verifyBinaryTokenSignature } from "../../ehealth/wssec/verify.js";
import { NS } from "../../ehealth/xml/namespaces.js";
import { path } from "../../ehealth/xml/parse.js";
import { parseNihii } from "../../identifiers/index.js";
import type { SoapEndpoint, SoapReply, SoapRequest } from "../soap-endpoint.js";
import { mintAssertion, type MintedAttribute } from "./assertion-minter.js";
import type { StsSimulatorConfig } from "./config.js";
import { fault, issued, refused } from "./replies.js";
import { readStsRequest, type StsRequestFacts } from "./request-reader.js";
import { certificateProblem } from "./trust.js";

export const STS_PATH = "/IAM/Saml11TokenService/Legacy/v1";

export function createStsEndpoint(config: StsSimulatorConfig): SoapEndpoint {
  let wrongKey: Signer | undefined;
  const signerFor = (): Signer => {
    if (config.mode !== "wrong-key") return config.stsSigner;
    wrongKey ??= new MemorySigner(
      generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
      config.stsSigner.certificateDer, // the real certificate, the wrong key
    );
    return wrongKey;
  };
  return (request) => answer(request, config, signerFor);
}

async function answer(
  request: SoapRequest,
  config: StsSimulatorConfig,
  signerFor: () => Signer,
): Promise<SoapReply> {
  if (config.mode === "down") return { status: 503, body: "", transport: "drop" };
  if (config.mode === "system-error") return fault(config.systemErrorCode);
  const now = config.clock();

  let verified: ReturnType<typeof verifyBinaryTokenSignature>;
  try {
    verified = verifyBinaryTokenSignature(request.body, { now, maxSkewSeconds: config.maxSkewSeconds });
  } catch (error) {
    if (error instanceof WsSecurityRejected)
      return fault(error.reason === "malformed" ? "SOA-03001" : "SOA-01001");
    throw error;
  }
  const body = path(verified.document.documentElement!, [NS.soap, "Body"]);
  const facts = body && readStsRequest(body);
  if (!facts) return fault("SOA-03001");
  if (config.validate && !(await config.validate(new XMLSerializer().serializeToString(facts.request))).ok) {
    return fault("SOA-03006");
  }
  const refuse = (message: string): SoapReply => refused(facts.requestId, now, message);

  const identificationProblem = certificateProblem(verified.certificateDer, config, now);
  if (identificationProblem) return refuse(`Authentication certificate refused: ${identificationProblem}`);
  const hok = facts.holderOfKeyCertDer;
  if (!hok) return refuse("No holder-of-key certificate in SubjectConfirmation");
  const hokProblem = certificateProblem(hok, config, now);
  if (hokProblem) return refuse(`Holder-of-key certificate refused: ${hokProblem}`);
  try {
    verifyEnveloped(request.body, facts.request, "RequestID", hok);
  } catch (error) {
    if (error instanceof WsSecurityRejected)
      return refuse("The proof of possession of the holder-of-key is invalid");
    throw error;
  }

  const profile = checkProfile(facts, verified.certificateDer, hok, config);
  if (typeof profile === "string") return refuse(profile);
  const requested = facts.requestedLifetimeSeconds ?? config.lifetimeSeconds;
  const assertion = await mintAssertion(
    {
      identificationCertDer: verified.certificateDer,
      holderOfKeyCertDer: hok,
      attributes: profile,
      now,
      lifetimeSeconds: Math.max(1, Math.min(config.lifetimeSeconds, requested)),
    },
    signerFor(),
  );
  return issued(facts.requestId, now, assertion);
}

/** The attributes to issue, or the refusal message. */
function checkProfile(
  facts: StsRequestFacts,
  identificationDer: Buffer,
  hokDer: Buffer,
  config: StsSimulatorConfig,
): MintedAttribute[] | string {
  const value = (name: string): string | undefined => facts.identification.get(name)?.value;
  const pharmacyNihii = value(A.pharmacyNihii) ?? "";
  const nihii = parseNihii(pharmacyNihii);
  if (!nihii.ok || nihii.value.kind !== "organisation") return "The pharmacy NIHII number is invalid";
  const registration = config.pharmacies[pharmacyNihii];
  if (!registration) return "Unknown pharmacy";
  if (describeCertificate(hokDer).nihiiPharmacy !== pharmacyNihii) {
    return "The holder-of-key certificate does not belong to this pharmacy";
  }
  const ssin = describeCertificate(identificationDer).ssin;
  if (!ssin) return "The authentication certificate names no person";
  if (value(A.certificateHolderSsin) !== ssin || value(A.personSsin) !== ssin) {
    return "The identification attributes do not match the authentication certificate";
  }
  const holderNihii = parseNihii(registration.holderNihii11);
  const isHolder =
    ssin === registration.holderSsin &&
    value(A.pharmacyHolderSsin) === registration.holderSsin &&
    holderNihii.ok &&
    holderNihii.value.titularPharmacist;

  const out: MintedAttribute[] = [];
  for (const [name, attr] of facts.identification) {
    if (attr.namespace === IDENTIFICATION_NAMESPACE)
      out.push({ name, namespace: attr.namespace, value: attr.value });
  }
  const certified: Record<string, string> = {
    [A.recognisedPharmacy]: "true",
    [A.holderNihii11]: registration.holderNihii11,
    [A.pharmacyHolder]: isHolder ? "true" : "false",
  };
  for (const d of facts.designators) {
    const resolved = d.namespace === CERTIFIED_NAMESPACE ? certified[d.name] : undefined;
    if (resolved !== undefined) out.push({ name: d.name, namespace: CERTIFIED_NAMESPACE, value: resolved });
  }
  return out;
}
