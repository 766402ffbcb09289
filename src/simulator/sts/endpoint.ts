// The simulated eHealth STS, legacy SAML 1.1 front door (/IAM/Saml11TokenService/Legacy/v1).
// In order, as eHealth would:
// 1. mode: "down" → the server drops the connection; "system-error" → soa:SystemError fault.
// 2. WS-Security (X.509 profile, verify.ts): bad signature, stale Timestamp, wrapped message, or
//    an EC key (this door predates ECDSA) → ESB fault SOA-01001 (Client), the consumer is not
//    authenticated.
// 3. samlp:Status Requester with a message when: the signing (identification) or holder-of-key
//    certificate is untrusted, outside its validity or revoked; the proof of possession (the
//    request's enveloped signature) is not by the holder-of-key certificate's key; the pharmacy
//    NIHII is invalid or unknown; the holder-of-key certificate is not that pharmacy's; the
//    attributes claim another person than the certificate names; that person is not a
//    pharmacist of the authentic source (brochure §8.2.2.3, profile.ts).
// 4. Otherwise an assertion, for the titular or any other pharmacist. Whether the request names
//    the pharmacy's titular is an answer, not a refusal (mycarenet-protocol §3.5):
//    pharmacy-holder:boolean is "false" when the `pharmacy-holder` SSIN named is not the
//    registered holder's or the registered NIHII-11 is not a titular pharmacist's (2…001), and
//    the client must refuse such a session.
import { generateKeyPairSync } from "node:crypto";
import { MemorySigner } from "../../ehealth/keys/memory.js";
import type { Signer } from "../../ehealth/keys/signer.js";
import { verifyEnveloped } from "../../ehealth/wssec/enveloped.js";
import { WsSecurityRejected } from "../../ehealth/wssec/rejected.js";
import type { SoapEndpoint, SoapReply, SoapRequest } from "../soap-endpoint.js";
import { certificateOf } from "../../ehealth/wssec/dsig.js";
import { SAML_P_PATH } from "../../ehealth/sts/door.js";
import { mintAssertion } from "../../ehealth/sts/server/assertion-minter.js";
import { checkProfile } from "./profile.js";
import { checkWsSecurity, schemaFault } from "./esb-checks.js";
import type { StsCounters } from "./stats.js";
import type { StsSimulatorConfig } from "./config.js";
import { fault, issued, refused } from "../../ehealth/sts/server/replies.js";
import { readStsRequest } from "../../ehealth/sts/server/request-reader.js";
import { certificateProblem } from "./trust.js";

export const STS_PATH = SAML_P_PATH;

export function createStsEndpoint(config: StsSimulatorConfig, counters?: StsCounters): SoapEndpoint {
  const signerFor = assertionSigner(config);
  return async (request) => {
    const reply = await answer(request, config, signerFor);
    counters?.count("saml-p", reply);
    return reply;
  };
}

/** The STS's signer, or in "wrong-key" mode the real certificate with another key. */
export function assertionSigner(config: StsSimulatorConfig): () => Signer {
  let wrongKey: Signer | undefined;
  return () => {
    if (config.mode !== "wrong-key") return config.stsSigner;
    wrongKey ??= new MemorySigner(
      generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
      config.stsSigner.certificateDer, // the real certificate, the wrong key
    );
    return wrongKey;
  };
}

async function answer(
  request: SoapRequest,
  config: StsSimulatorConfig,
  signerFor: () => Signer,
): Promise<SoapReply> {
  if (config.mode === "down") return { status: 503, body: "", transport: "drop" };
  if (config.mode === "system-error") return fault(config.systemErrorCode);
  const now = config.clock();

  const verified = checkWsSecurity(request.body, config, now);
  if ("fault" in verified) return verified.fault;
  // This door predates ECDSA: an EC key's signature is not one it can check.
  if (certificateOf(verified.certificateDer).publicKey.asymmetricKeyType !== "rsa") return fault("SOA-01001");
  const facts = verified.body && readStsRequest(verified.body);
  if (!facts) return fault("SOA-03001");
  const invalid = await schemaFault(config.validate, facts.request);
  if (invalid) return invalid;
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
