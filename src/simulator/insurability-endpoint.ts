// The simulated Insurability v2 service at /Insurability/v2 (SPEC §3; protocol notes §7): checks
// the session (holder-of-key signature, STS assertion), the payload (XSD in strict mode), the
// licence and the qualities, then lets the platform route to an insurer, acting out the faults
// of the plan on the way. Answers GetInsurabilityForPharmacistResponse or a SOA fault. Every
// payload is validated against the official XSD and counted (stats.ts), in strict mode or not;
// only strict mode refuses an invalid one.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { XMLSerializer } from "@xmldom/xmldom";
import {
  buildInsurabilityResponse,
  buildSoaFault,
  FAULT_HTTP_STATUS,
  HOLDER_QUALITY,
  insurabilityResponsePayload,
  PHARMACY_QUALITY,
  readInsurabilityRequest,
  SOA,
} from "../ehealth/insurability/index.js";
import type { InsurabilityAnswer, SoaEnvironment } from "../ehealth/insurability/index.js";
import { parseXml, XmlRejected } from "../ehealth/xml/parse.js";
import { soapBody, soapPayload } from "../ehealth/xml/soap.js";
import { withMismatchedEcho, withUnknownCode } from "./answer-faults.js";
import { ANSWER_KINDS } from "./faults.js";
import type { FaultDecision, Faults, PatientFacts } from "./faults.js";
import { insurerAnswer, outcome, route } from "./insurers.js";
import type { InsurabilityQuestion } from "./insurers.js";
import { brusselsDay } from "./oracle/index.js";
import type { Population } from "./population.js";
import type { Stats } from "./stats.js";
import { createSessionChecker } from "./session.js";
import type { SoapEndpoint, SoapReply, SoapRequest } from "./soap-endpoint.js";
import { INSURABILITY_XSD, validateXsd } from "./xsd.js";

export const INSURABILITY_PATH = "/Insurability/v2";

export interface InsurabilityEndpointConfig {
  population: Population;
  /** Keys the payment approvals (payment-approval.ts). */
  seed: number;
  faults: Faults;
  /** DER of the certificate that must have signed the assertions (the simulator's STS). */
  stsCertificateDer: Buffer;
  /** The MyCareNet package licence the simulator accepts. */
  licence: { username: string; password: string };
  /** Validate every payload in and out against the XSDs (SPEC §3). */
  strict: boolean;
  /** Validate (and count) every payload even when not strict (default true). */
  checkXsd?: boolean;
  xsdDir: string;
  now?: () => Date;
  environment?: SoaEnvironment;
  /** Aborted when the simulator stops: pending latencies end at once. */
  signal?: AbortSignal;
  /** Called once per request that reaches the endpoint (the tests' upstream-call counter). */
  onCall?: () => void;
  stats?: Stats;
}

export function createInsurabilityEndpoint(config: InsurabilityEndpointConfig): SoapEndpoint {
  const now = config.now ?? (() => new Date());
  let serial = 0;
  const checkSession = createSessionChecker(config.stsCertificateDer);
  const stats = config.stats;
  let backlog: Promise<unknown> = Promise.resolve();
  const fault = (code: string, message: string): SoapReply => {
    stats?.outcome(`fault:${code}`);
    return {
      status: FAULT_HTTP_STATUS,
      body: buildSoaFault({ kind: "system", code, message, environment: config.environment ?? "Simulation" }),
    };
  };
  const transport = (reply: SoapReply, label: string): SoapReply => {
    stats?.outcome(label);
    return reply;
  };

  // Acts out a fault decision; undefined when the request goes on. Its latency is owed: the
  // reply, whatever it is, leaves once the request's latencies have passed since it arrived.
  const act = (d: FaultDecision, answerBody: () => string, owed: Owed): SoapReply | undefined => {
    owed.ms += d.latencyMs;
    switch (d.kind) {
      case undefined:
      case "expired-token":
      case "wrong-key":
      case "unknown-code":
      case "long-period":
      case "mismatched-echo":
      case "insurer-silent":
        return undefined;
      case "refuse":
        return d.code === SOA.contentInvalid
          ? fault(SOA.contentInvalid, "The content of the message is invalid")
          : fault(SOA.noAccess, "Consumer has no access to this service");
      case "down":
        return transport({ status: 503, body: "", transport: "drop" }, "transport:drop");
      case "reset":
        return transport({ status: 200, body: answerBody(), transport: "reset" }, "transport:reset");
      case "slow":
        return transport({ status: 200, body: "", transport: "hang" }, "transport:hang");
      case "system-error":
        return d.code === SOA.temporarilyUnavailable
          ? fault(SOA.temporarilyUnavailable, "Service temporarily unavailable, retry later")
          : fault(SOA.serviceUnavailable, "Service not available");
      case "malformed": {
        const body = answerBody();
        return transport(
          { status: 200, body: body.slice(0, Math.floor(body.length / 2)) },
          "transport:malformed",
        );
      }
      case "unavailable":
        return transport(
          { status: 503, body: UNAVAILABLE_PAGE, contentType: "text/html; charset=UTF-8" },
          "transport:unavailable",
        );
    }
  };

  // MyCareNet "at 50 ms" answers 50 ms after the question arrived: the simulator's own parsing,
  // verifying and answering are part of those 50 ms, not added to them (bench figure 3).
  const serve = async (request: SoapRequest): Promise<SoapReply> => {
    const arrived = performance.now();
    const owed: Owed = { ms: 0 };
    const reply = await respond(request, owed);
    const wait = arrived + owed.ms - performance.now();
    if (wait > 0) await sleep(wait, undefined, config.signal ? { signal: config.signal } : {});
    return reply;
  };

  const respond = async (request: SoapRequest, owed: Owed): Promise<SoapReply> => {
    config.onCall?.();
    stats?.consultation();
    const at = now();
    // Decided under the plan in force at arrival (faults.ts: generation).
    const plan = config.faults.generation();
    const platform = config.faults.decide("all", undefined, plan);
    const placeholder = (): string => buildInsurabilityResponse(silentAnswer());
    // A refusal and an insurer's silence concern a question: they wait until it is read.
    const atDoor =
      platform.kind === "refuse" || platform.kind === "insurer-silent"
        ? { latencyMs: platform.latencyMs }
        : platform;
    const early = act(atDoor, placeholder, owed);
    if (early !== undefined) return early;

    let doc: Document;
    try {
      doc = parseXml(request.body);
    } catch (error) {
      if (error instanceof XmlRejected) {
        stats?.invalid("not-xml");
        return fault(SOA.malformedContent, "The message is not well-formed XML");
      }
      throw error;
    }
    const payload = soapPayload(doc);
    if (payload === undefined) {
      // An Envelope whose Body holds nothing is what a "ping" with an empty envelope sends.
      if (soapBody(doc) !== undefined) {
        stats?.invalid("empty-body");
        return fault(SOA.emptyBody, "The SOAP Body is empty");
      }
      stats?.invalid("not-soap");
      return fault(SOA.notSoap, "The message is not a SOAP 1.1 envelope with a Body");
    }
    const payloadXml = new XMLSerializer().serializeToString(payload);
    // SPEC §2: every message posted must validate; checked for every payload, refused in strict mode.
    // Strict: checked now, the answer waits for it. Otherwise one check at a time, after the
    // answer: the count is the same, the answer's latency is not the validator's.
    const validate = (): Promise<boolean> =>
      validateXsd(payloadXml, config.xsdDir, INSURABILITY_XSD).then((v) => v.ok);
    let xsdVerdict: Promise<boolean> = Promise.resolve(true);
    if (config.strict) xsdVerdict = validate();
    else if (config.checkXsd !== false) {
      xsdVerdict = backlog.then(() => new Promise((tick) => setImmediate(tick))).then(validate);
      backlog = xsdVerdict.catch(() => false);
    }
    if (config.strict || config.checkXsd !== false) stats?.xsdCheck(xsdVerdict);

    const session = checkSession(request.body, at, doc);
    if (!session.ok) return fault(SOA.notAuthenticated, "Consumer is not authenticated");
    if (platform.kind === "expired-token")
      return fault(SOA.notAuthenticated, "Consumer is not authenticated");

    if (config.strict && !(await xsdVerdict))
      return fault(SOA.notXsdConformant, "The message does not conform to the XSD");
    const received = readInsurabilityRequest(payload);
    if (received === undefined) return fault(SOA.notSoap, "Unknown operation for this endpoint");

    const lic = received.package;
    if (lic.licenseUser !== config.licence.username || lic.licensePassword !== config.licence.password) {
      return fault(SOA.notAuthenticated, "Consumer is not authenticated (package licence)");
    }
    // Qualities compared case-insensitively (the eHealth connector writes them in lower case).
    const sameQuality = (a: string | undefined, b: string): boolean => a?.trim().toUpperCase() === b;
    if (
      !sameQuality(received.holder.quality, HOLDER_QUALITY) ||
      !sameQuality(received.pharmacy.quality, PHARMACY_QUALITY)
    ) {
      return fault(SOA.noAccess, "Consumer has no access to this service (quality)");
    }
    const { pharmacyNihii, entitled } = session.value;
    if (!entitled || pharmacyNihii === undefined || pharmacyNihii !== received.pharmacy.nihii?.trim()) {
      return fault(SOA.noAccess, "Consumer has no access to this service (pharmacy)");
    }

    const question: InsurabilityQuestion = {
      patient: received.patient,
      date: received.date?.trim() ?? "",
      consultationDate: brusselsDay(at),
      reference: received.reference?.trim() ?? "0",
    };
    serial += 1;
    const facts = factsOf(config.population, question);
    const asked = question.patient.mutuality ?? facts.mutualities[0];
    if (asked !== undefined) stats?.mutuality(asked);
    // Rules with filters (one patient, some mutualities) are decided now that the patient is known.
    const targeted = config.faults.decide("all", facts, plan);
    const refused = act(targeted, () => buildInsurabilityResponse(silentAnswer(question.date)), owed);
    if (refused !== undefined) return refused;
    if (platform.kind === "refuse") return act({ ...platform, latencyMs: 0 }, () => "", owed) as SoapReply;

    const routing = route(config.population, question);
    let answer: InsurabilityAnswer;
    let shaping: FaultDecision | undefined;
    if (routing.to === "platform") {
      answer = routing.answer;
      stats?.platformAnswer();
      shaping = [targeted, platform].find(isShaping);
    } else {
      stats?.insurer(String(routing.union));
      const insurer = config.faults.decide(routing.union, facts, plan);
      const silent = [insurer, targeted, platform].find((d) => d.kind === "insurer-silent");
      shaping = [insurer, targeted, platform].find(isShaping);
      if (silent?.silence === "timeout") {
        // The insurer never answers, and neither does the platform within the client's deadline.
        owed.ms += insurer.latencyMs;
        return transport({ status: 200, body: "", transport: "hang" }, "transport:insurer-timeout");
      }
      if (silent !== undefined) {
        stats?.platformAnswer();
        answer = silentAnswer(question.date);
      } else {
        const overlong = shaping?.kind === "long-period" ? (shaping.period ?? "start-plus-60") : undefined;
        answer = insurerAnswer(routing, question, config.seed, overlong);
      }
      const late = act(insurer, () => buildInsurabilityResponse(answer), owed);
      if (late !== undefined) return late;
    }
    if (shaping?.kind === "unknown-code") answer = withUnknownCode(answer, shaping, question, config.seed);

    // References: ours echoed, the platform's and the insurer's made up (14 characters).
    answer.reference = question.reference;
    if (received.userReference !== undefined) {
      // RecordCommonInput/UserReference: "truncated to 25 characters and uppercased".
      answer.userReference = [...received.userReference.toUpperCase()].slice(0, 25).join("");
    }
    answer.platformReference = `SIMU${String(serial).padStart(10, "0")}`;
    answer.platformIoReference = String(serial).padStart(14, "0");
    answer.ioReference = String(serial);
    answer.messageId = `urn:uuid:${randomUUID()}`;
    if (shaping?.kind === "mismatched-echo")
      answer = withMismatchedEcho(answer, shaping.echo ?? "reference", question);

    if (config.strict) {
      const verdict = await validateXsd(insurabilityResponsePayload(answer), config.xsdDir, INSURABILITY_XSD);
      if (!verdict.ok) return fault(SOA.undefinedError, "The simulator built an answer that breaks the XSD");
    }
    stats?.outcome(labelOf(answer, shaping));
    return { status: 200, body: buildInsurabilityResponse(answer) };
  };
  return serve;
}

/** Milliseconds of latency a request has been dealt so far (fault decisions add to it). */
interface Owed {
  ms: number;
}

const isShaping = (d: FaultDecision): boolean => d.kind !== undefined && ANSWER_KINDS.includes(d.kind);

function labelOf(answer: InsurabilityAnswer, shaping: FaultDecision | undefined): string {
  if (shaping?.kind === "unknown-code") return "unknown-code";
  if (shaping?.kind === "mismatched-echo") return "mismatched-echo";
  if (shaping?.kind === "long-period" && answer.coverage !== undefined) return "long-period";
  return answer.kind === "insurer-unavailable" ? "insurer-silent" : answer.kind;
}

// What the filters of the plan are matched against: the NISS asked (or of the person found by
// registration number) and the mutualities asked or held.
function factsOf(population: Population, q: InsurabilityQuestion): PatientFacts {
  const { niss, mutuality, registrationNumber } = q.patient;
  const person =
    niss !== undefined
      ? population.byNiss(niss)
      : mutuality !== undefined && registrationNumber !== undefined
        ? population.byRegistration(mutuality, registrationNumber)
        : undefined;
  const mutualities = [
    ...new Set([
      ...(mutuality === undefined ? [] : [mutuality]),
      ...(person?.periods.map((p) => p.mutuality) ?? []),
    ]),
  ];
  const known = niss ?? person?.niss;
  return known === undefined ? { mutualities } : { niss: known, mutualities };
}
const UNAVAILABLE_PAGE =
  "<html><head><title>503 Service Unavailable</title></head>" +
  "<body><h1>Service Unavailable</h1><p>The service is down for maintenance.</p></body></html>";

/** The platform's answer when the insurer kept silent: an outage code, no coverage. */
function silentAnswer(date?: string): InsurabilityAnswer {
  const answer: InsurabilityAnswer = {
    ...outcome("insurer-silent"),
    patient: {},
  };
  if (date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date)) answer.requested = date;
  return answer;
}
