// The simulated eHealth STS, WS-Trust 1.3 front door (/IAM/SecurityTokenService/v1,
// mycarenet-protocol §3.3). In order, as eHealth would:
// 1. mode "down" / "system-error" as the legacy door (endpoint.ts).
// 2. WS-Security X.509 (verify.ts) with RSA-SHA256 or ECDSA-SHA256 — the two eHealth accepts;
//    anything else, a bad signature or a stale Timestamp → ESB fault SOA-01001.
// 3. An RST: TokenType SAML 1.1, RequestType Issue and KeyType PublicKey, a UseKey certificate,
//    the pharmacy profile (profile.ts) → else wst:InvalidRequest; the signing and UseKey
//    certificates trusted → else wst:FailedAuthentication. Signed by the UseKey key itself: the
//    token at once. Otherwise a SignChallenge, remembered for `challengeSeconds` under the RST's
//    Context.
// 4. The challenge's answer: same Context and challenge, signed by the UseKey key, once → the
//    token; else wst:FailedAuthentication.
import { randomBytes } from "node:crypto";
import { certificateOf } from "../../ehealth/wssec/dsig.js";
import { WS_TRUST_PATH } from "../../ehealth/sts/door.js";
import { WS_TRUST } from "../../ehealth/sts/wstrust-request.js";
import { ALG, NS } from "../../ehealth/xml/namespaces.js";
import { descendants } from "../../ehealth/xml/parse.js";
import type { SoapEndpoint, SoapReply, SoapRequest } from "../soap-endpoint.js";
import { mintAssertion, type MintedAttribute } from "../../ehealth/sts/server/assertion-minter.js";
import type { StsSimulatorConfig } from "./config.js";
import { assertionSigner } from "./endpoint.js";
import { checkProfile } from "./profile.js";
import { checkWsSecurity, schemaFault } from "./esb-checks.js";
import { fault } from "../../ehealth/sts/server/replies.js";
import type { StsCounters, StsOutcome } from "./stats.js";
import { certificateProblem } from "./trust.js";
import { challenged, issuedToken, wsTrustFault } from "../../ehealth/sts/server/wstrust-replies.js";
import { readWsTrustMessage, type RstFacts } from "../../ehealth/sts/server/wstrust-reader.js";

export const WS_TRUST_STS_PATH = WS_TRUST_PATH;

const ACCEPTED_METHODS = new Set<string>([ALG.rsaSha256, ALG.ecdsaSha256]);

interface Pending {
  readonly challenge: string;
  readonly useKeyCertDer: Buffer;
  readonly identificationCertDer: Buffer;
  readonly attributes: MintedAttribute[];
  readonly lifetimeSeconds: number;
  readonly until: number;
}

export function createWsTrustEndpoint(
  config: StsSimulatorConfig,
  counters?: StsCounters,
  options: {
    challengeSeconds?: number;
    /** Strict mode: the Body payload against ws-trust-1.3.xsd (config.validate is the legacy door's). */
    validate?: StsSimulatorConfig["validate"];
  } = {},
): SoapEndpoint {
  const signerFor = assertionSigner(config);
  const pending = new Map<string, Pending>();
  const challengeMs = (options.challengeSeconds ?? 60) * 1000;

  const issue = async (
    context: string,
    p: Omit<Pending, "challenge" | "until">,
    now: Date,
  ): Promise<SoapReply> => {
    const assertion = await mintAssertion(
      {
        identificationCertDer: p.identificationCertDer,
        holderOfKeyCertDer: p.useKeyCertDer,
        attributes: p.attributes,
        now,
        lifetimeSeconds: p.lifetimeSeconds,
      },
      signerFor(),
    );
    return issuedToken(context, assertion, now, new Date(now.getTime() + p.lifetimeSeconds * 1000));
  };

  const answer = async (request: SoapRequest): Promise<{ reply: SoapReply; outcome?: StsOutcome }> => {
    if (config.mode === "down") return { reply: { status: 503, body: "", transport: "drop" } };
    if (config.mode === "system-error") return { reply: fault(config.systemErrorCode) };
    const now = config.clock();
    for (const [context, p] of pending) if (p.until <= now.getTime()) pending.delete(context);

    const verified = checkWsSecurity(request.body, config, now);
    if ("fault" in verified) return { reply: verified.fault };
    const method = descendants(verified.document, NS.ds, "SignatureMethod")[0]?.getAttribute("Algorithm");
    if (!ACCEPTED_METHODS.has(method ?? "")) return { reply: fault("SOA-01001") };
    const message = verified.body && readWsTrustMessage(verified.body);
    if (!message) return { reply: fault("SOA-03001") };
    const invalid = await schemaFault(options.validate, message.element);
    if (invalid) return { reply: invalid };
    const refuse = (code: "InvalidRequest" | "FailedAuthentication", text: string) => ({
      reply: wsTrustFault(code, text),
      outcome: "refused" as const,
    });

    if (message.kind === "challenge-response") {
      const p = pending.get(message.context);
      pending.delete(message.context); // one answer per challenge, right or wrong
      if (!p) return refuse("FailedAuthentication", "Unknown or expired challenge");
      if (message.challenge !== p.challenge)
        return refuse("FailedAuthentication", "The challenge does not match");
      if (!verified.certificateDer.equals(p.useKeyCertDer))
        return refuse("FailedAuthentication", "The challenge is not signed by the UseKey key");
      return { reply: await issue(message.context, p, now) };
    }

    const problem = rstProblem(message);
    if (problem) return refuse("InvalidRequest", problem);
    const useKey = message.useKeyCertDer as Buffer;
    const identificationProblem = certificateProblem(verified.certificateDer, config, now);
    if (identificationProblem)
      return refuse("FailedAuthentication", `Authentication certificate refused: ${identificationProblem}`);
    const useKeyProblem = certificateProblem(useKey, config, now);
    if (useKeyProblem) return refuse("FailedAuthentication", `UseKey certificate refused: ${useKeyProblem}`);
    const attributes = checkProfile(message, verified.certificateDer, useKey, config);
    if (typeof attributes === "string") return refuse("InvalidRequest", attributes);
    const requested = message.requestedLifetimeSeconds ?? config.lifetimeSeconds;
    const issuing = {
      useKeyCertDer: useKey,
      identificationCertDer: verified.certificateDer,
      attributes,
      lifetimeSeconds: Math.max(1, Math.min(config.lifetimeSeconds, requested)),
    };
    // The signer possesses the UseKey key: nothing more to prove.
    if (verified.certificateDer.equals(useKey)) return { reply: await issue(message.context, issuing, now) };
    const challenge = randomBytes(24).toString("base64");
    pending.set(message.context, { ...issuing, challenge, until: now.getTime() + challengeMs });
    return { reply: challenged(message.context, challenge) };
  };

  return async (request) => {
    const { reply, outcome } = await answer(request);
    counters?.count("ws-trust", reply, outcome);
    return reply;
  };
}

function rstProblem(rst: RstFacts): string | undefined {
  if (rst.context === "") return "The request has no Context";
  if (rst.tokenType !== WS_TRUST.samlV11) return "Only SAML 1.1 tokens are issued";
  if (rst.requestType !== WS_TRUST.issue) return "Only Issue requests are served here";
  if (rst.keyType !== WS_TRUST.publicKey) return "Only holder-of-key (PublicKey) tokens are issued";
  if (!rst.useKeyCertDer) return "No UseKey certificate";
  try {
    certificateOf(rst.useKeyCertDer);
  } catch {
    return "The UseKey certificate cannot be read";
  }
  return undefined;
}
