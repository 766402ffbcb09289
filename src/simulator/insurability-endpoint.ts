// The simulated Insurability v2 service at /Insurability/v2 (SPEC §3; protocol notes §7): checks
// the session (holder-of-key signature, STS assertion), the payload (XSD in strict mode), the
// licence and the qualities, then lets the platform route to an insurer, acting out the faults
// of the plan on the way. Answers GetInsurabilityForPharmacistResponse or a SOA fault.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { XMLSerializer } from "@xmldom/xmldom";
import { brusselsDay } from "../commitment/index.js";
import {
  buildInsurabilityResponse,
  buildSoaFault,
  FAULT_HTTP_STATUS,
  HOLDER_QUALITY,
  insurabilityResponsePayload,
  PHARMACY_QUALITY,
  readInsurabilityRequest,
  returnCodeFor,
  SOA,
} from "../ehealth/insurability/index.js";
import type { InsurabilityAnswer, SoaEnvironment } from "../ehealth/insurability/index.js";
import { parseXml, XmlRejected } from "../ehealth/xml/parse.js";
import { soapPayload } from "../ehealth/xml/soap.js";
import type { FaultDecision, Faults } from "./faults.js";
import { insurerAnswer, route } from "./insurers.js";
import type { InsurabilityQuestion } from "./insurers.js";
import type { Population } from "./population.js";
import { createSessionChecker } from "./session.js";
import type { SoapEndpoint, SoapReply } from "./soap-endpoint.js";
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
  xsdDir: string;
  now?: () => Date;
  environment?: SoaEnvironment;
  /** Aborted when the simulator stops: pending latencies end at once. */
  signal?: AbortSignal;
  /** Called once per request that reaches the endpoint (the tests' upstream-call counter). */
  onCall?: () => void;
}

export function createInsurabilityEndpoint(config: InsurabilityEndpointConfig): SoapEndpoint {
  const now = config.now ?? (() => new Date());
  let serial = 0;
  const checkSession = createSessionChecker(config.stsCertificateDer);
  const fault = (code: string, message: string): SoapReply => ({
    status: FAULT_HTTP_STATUS,
    body: buildSoaFault({ kind: "system", code, message, environment: config.environment ?? "Simulation" }),
  });

  // Acts out a fault decision; undefined when the request goes on.
  const act = async (d: FaultDecision, answerBody: () => string): Promise<SoapReply | undefined> => {
    if (d.latencyMs > 0) await sleep(d.latencyMs, undefined, config.signal ? { signal: config.signal } : {});
    switch (d.kind) {
      case undefined:
      case "expired-token":
      case "wrong-key":
      case "insurer-silent":
        return undefined;
      case "down":
        return { status: 503, body: "", transport: "drop" };
      case "reset":
        return { status: 200, body: answerBody(), transport: "reset" };
      case "slow":
        return { status: 200, body: "", transport: "hang" };
      case "system-error":
        return d.code === SOA.temporarilyUnavailable
          ? fault(SOA.temporarilyUnavailable, "Service temporarily unavailable, retry later")
          : fault(SOA.serviceUnavailable, "Service not available");
      case "malformed": {
        const body = answerBody();
        return { status: 200, body: body.slice(0, Math.floor(body.length / 2)) };
      }
      case "unavailable":
        return { status: 503, body: UNAVAILABLE_PAGE, contentType: "text/html; charset=UTF-8" };
    }
  };

  return async (request) => {
    config.onCall?.();
    const at = now();
    const platform = config.faults.decide("all");
    const placeholder = (): string => buildInsurabilityResponse(silentAnswer());
    const early = await act(platform, placeholder);
    if (early !== undefined) return early;

    let doc: Document;
    try {
      doc = parseXml(request.body);
    } catch (error) {
      if (error instanceof XmlRejected)
        return fault(SOA.malformedContent, "The message is not well-formed XML");
      throw error;
    }
    const payload = soapPayload(doc);
    if (payload === undefined)
      return fault(SOA.notSoap, "The message is not a SOAP 1.1 envelope with a Body");

    const session = checkSession(request.body, at, doc);
    if (!session.ok) return fault(SOA.notAuthenticated, "Consumer is not authenticated");
    if (platform.kind === "expired-token")
      return fault(SOA.notAuthenticated, "Consumer is not authenticated");

    const payloadXml = new XMLSerializer().serializeToString(payload);
    if (config.strict) {
      const verdict = await validateXsd(payloadXml, config.xsdDir, INSURABILITY_XSD);
      if (!verdict.ok) return fault(SOA.notXsdConformant, "The message does not conform to the XSD");
    }
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
    const routing = route(config.population, question);
    let answer: InsurabilityAnswer;
    if (routing.to === "platform") {
      answer = routing.answer;
    } else {
      const insurer = config.faults.decide(routing.union);
      const silent = platform.kind === "insurer-silent" || insurer.kind === "insurer-silent";
      answer = silent ? silentAnswer(question.date) : insurerAnswer(routing, question, config.seed);
      const late = await act(insurer, () => buildInsurabilityResponse(answer));
      if (late !== undefined) return late;
    }

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

    if (config.strict) {
      const verdict = await validateXsd(insurabilityResponsePayload(answer), config.xsdDir, INSURABILITY_XSD);
      if (!verdict.ok) return fault(SOA.undefinedError, "The simulator built an answer that breaks the XSD");
    }
    return { status: 200, body: buildInsurabilityResponse(answer) };
  };
}

const UNAVAILABLE_PAGE =
  "<html><head><title>503 Service Unavailable</title></head>" +
  "<body><h1>Service Unavailable</h1><p>The service is down for maintenance.</p></body></html>";

/** The platform's answer when the insurer kept silent: an outage code, no coverage. */
function silentAnswer(date?: string): InsurabilityAnswer {
  const answer: InsurabilityAnswer = {
    returnCode: returnCodeFor("insurer-unavailable"),
    kind: "insurer-unavailable",
    patient: {},
  };
  if (date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date)) answer.requested = date;
  return answer;
}
