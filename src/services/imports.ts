// Results obtained elsewhere (SPEC §1.6, brochure §9.3.3: « stocker le résultat de cette requête
// et l'injecter a posteriori dans l'application »): the insurability answer a Recip-e retrieval
// brought back, or what the pharmacist read on the MyCareNet portal, recorded as the consultation
// of a delivery without asking MyCareNet again. The XML passes the XSD and the online reader;
// typed data the same checks as an answer's fields. Either way it must be about the patient and
// the delivery date given. Nothing is stored unless everything holds.
import { compareDays, isDay, type Day } from "../commitment/index.js";
import { CodedError } from "../errors.js";
import type { Principal } from "../actors.js";
import { onlineView, type ConsultationView, type ImportView } from "../consultation/document.js";
import { readQuestion, type Question, type QuestionBody } from "../consultation/question.js";
import { factsOf, recallDifferences } from "../consultation/recall-differences.js";
import { warningsFor } from "../consultation/warnings.js";
import type { InsurabilityAnswer, ThirdPartyPayerRegime } from "../consultation/answer.js";
import { parseInsurabilityResponse } from "../ehealth/insurability/response.js";
import { validateInsurabilityResponse } from "../ehealth/insurability/response-schema.js";
import { NS } from "../ehealth/xml/namespaces.js";
import { parseMutuality } from "../identifiers/index.js";
import type { Store } from "../store/store.js";
import type { ImportInput } from "../store/imports.js";
import { commitmentAndPatientOf } from "./online-record.js";

export interface PortalResultBody {
  ct1: string;
  ct2: string;
  thirdPartyPayerRegime: ThirdPartyPayerRegime;
  mutuality: string;
  coverage: { start: string; end: string };
  paymentApproval: string;
  paymentApprovalSeed: string;
  invoicingOfficeCheckDigit: string;
}

export interface ImportBody {
  patient: QuestionBody["patient"];
  deliveryDate: string;
  reference: string;
  source: "recipe" | "portal";
  response?: string;
  messageId?: string;
  portal?: PortalResultBody;
  resolves?: string;
}

export interface ImportDeps {
  readonly store: Store;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly onRecorded?: (view: ConsultationView) => void;
}

// Kinds that are MyCareNet's word on the patient; the others say the question could not be answered.
const ANSWER_KINDS: ReadonlySet<InsurabilityAnswer["kind"]> = new Set([
  "insured",
  "no-right",
  "unknown-patient",
  "multiple-insurers",
]);

type Problem = { path: string; message: string };

export class ConsultationImports {
  readonly #d: ImportDeps;

  constructor(deps: ImportDeps) {
    this.#d = deps;
  }

  record(body: ImportBody, principal: Principal): ConsultationView {
    const q = readQuestion(
      { patient: body.patient, deliveryDate: body.deliveryDate, reference: body.reference },
      this.#d.clock(),
    );
    const read: { answer: InsurabilityAnswer; messageId?: string } =
      body.source === "recipe" ? this.#readRecipe(body, q) : this.#readPortal(body, q);
    const { answer } = read;
    const id = this.#d.newId();
    const imported: ImportView = {
      source: body.source,
      messageId: read.messageId ?? null,
      typedBy: body.source === "portal" ? { name: principal.name, nihii: principal.nihii ?? null } : null,
      resolves: body.resolves ?? null,
    };
    const online = onlineView({
      id,
      reference: q.reference,
      patient: q.patient,
      deliveryDate: q.deliveryDate,
      consultedAt: q.consultedAt,
      consultedOn: q.consultedOn,
      answer,
      warnings: warningsFor(answer, q.deliveryDate, q.consultedOn),
      session: null,
    });
    // A typed result has no return code of MyCareNet's: none is made up.
    const view: ConsultationView = {
      ...online,
      source: body.source,
      import: imported,
      ...(body.source === "portal" ? { returnCode: null } : {}),
    };
    const resolves = body.resolves === undefined ? undefined : this.#resolution(body.resolves, q, view);
    const input: ImportInput = {
      record: {
        id,
        reference: q.reference,
        patientKey: q.patientKey,
        deliveryDate: q.deliveryDate,
        consultedAt: q.consultedAt,
        principal: principal.name,
        role: principal.role,
        ...(principal.nihii ? { sessionUser: principal.nihii } : {}),
        ...(answer.reference ? { upstreamReference: answer.reference } : {}),
        outcome: "online",
        guarantee: view.guarantee ?? "none",
        insured: view.insured ?? false,
        answer: view,
        ...(body.source === "recipe" && body.response ? { upstreamXml: body.response } : {}),
        warnings: view.warnings.map((w) => w.code),
        // SPEC §1.6: its commitment is usable as any online one's.
        ...commitmentAndPatientOf(view, answer),
      },
      source: body.source,
      ...(read.messageId !== undefined ? { messageId: read.messageId } : {}),
      ...(imported.typedBy
        ? { typedBy: { name: imported.typedBy.name, ...(principal.nihii ? { nihii: principal.nihii } : {}) } }
        : {}),
      ...(resolves ? { resolves } : {}),
      by: principal,
    };
    this.#d.store.imports.record(input);
    this.#d.onRecorded?.(view);
    return view;
  }

  /** Recip-e: the raw response, schema-checked, then read as an online answer would be. */
  #readRecipe(body: ImportBody, q: Question): { answer: InsurabilityAnswer; messageId?: string } {
    if (body.response === undefined || body.portal !== undefined) {
      throw new CodedError("REQUEST_INVALID", {
        errors: [{ path: "body", message: "source recipe takes `response` (and `messageId`), not `portal`" }],
      });
    }
    const valid = validateInsurabilityResponse(body.response);
    if (!valid.ok) throw new CodedError("IMPORT_XSD_INVALID", valid.detail ? { ...valid.detail } : undefined);
    const root = valid.value.doc.documentElement as Element;
    const envelope =
      root.namespaceURI === NS.soap && root.localName === "Envelope"
        ? body.response
        : `<s:Envelope xmlns:s="${NS.soap}"><s:Body>${body.response.replace(/^\s*<\?xml[^>]*\?>/, "")}</s:Body></s:Envelope>`;
    const parsed = parseInsurabilityResponse(envelope);
    if (parsed.type === "fault") throw new CodedError("IMPORT_NOT_AN_ANSWER", { problem: parsed.fault.kind });
    if (parsed.type === "malformed") throw new CodedError("IMPORT_NOT_AN_ANSWER", { problem: parsed.reason });
    const { answer } = parsed;
    // eHealth's Status alone (no ReturnInfo) is not an answer about anyone.
    if (
      !ANSWER_KINDS.has(answer.kind) ||
      valid.value.payload.getElementsByTagNameNS(NS.insProtocol, "ReturnInfo").length === 0
    )
      throw new CodedError("IMPORT_NOT_AN_ANSWER", { problem: answer.kind });
    this.#samePatient(answer, q);
    this.#sameDate(answer, q.deliveryDate);
    if (
      body.messageId !== undefined &&
      answer.messageId !== undefined &&
      body.messageId !== answer.messageId
    ) {
      throw new CodedError("IMPORT_DATA_INVALID", {
        errors: [{ path: "body/messageId", message: "differs from the response's wsa:MessageID" }],
      });
    }
    const messageId = body.messageId ?? answer.messageId;
    return messageId === undefined ? { answer } : { answer, messageId };
  }

  /** Portal: what was typed, checked field by field as the reader checks an answer's. */
  #readPortal(body: ImportBody, q: Question): { answer: InsurabilityAnswer } {
    const p = body.portal;
    if (p === undefined || body.response !== undefined || body.messageId !== undefined) {
      throw new CodedError("REQUEST_INVALID", {
        errors: [{ path: "body", message: "source portal takes `portal`, not `response` or `messageId`" }],
      });
    }
    const problems: Problem[] = [];
    const at = (field: string, message: string) => problems.push({ path: `body/portal/${field}`, message });
    if (!/^[0-9]{3}$/.test(p.ct1)) at("ct1", "must be 3 digits");
    if (!/^[0-9]{3}$/.test(p.ct2)) at("ct2", "must be 3 digits");
    const mutuality = parseMutuality(p.mutuality);
    if (!mutuality.ok) at("mutuality", mutuality.code);
    // SPEC §1.3: the commitment's three values have fixed lengths and go back untouched; as
    // read off a screen they are visible ASCII characters.
    const visible = /^[\x21-\x7E]*$/;
    for (const [field, length] of [
      ["paymentApproval", 32],
      ["paymentApprovalSeed", 10],
      ["invoicingOfficeCheckDigit", 2],
    ] as const) {
      const value = p[field];
      if (!visible.test(value)) at(field, "must be visible characters, without spaces");
      else if (value.length !== length) at(field, `must be exactly ${length} characters`);
    }
    if (!isDay(p.coverage.start) || !isDay(p.coverage.end)) at("coverage", "is not a calendar day");
    else if (compareDays(p.coverage.end, p.coverage.start) < 0) at("coverage", "ends before it starts");
    if (problems.length > 0) throw new CodedError("IMPORT_DATA_INVALID", { errors: problems });
    const answer: InsurabilityAnswer = {
      returnCode: { major: "", minor: "", detail: "" },
      kind: "insured",
      requested: q.deliveryDate,
      patient: {
        ...("niss" in q.patient
          ? { niss: q.patient.niss }
          : { registrationNumber: q.patient.registrationNumber }),
        mutuality: mutuality.ok ? mutuality.value.code : p.mutuality,
      },
      coverage: {
        communicated: q.consultedOn,
        start: p.coverage.start,
        end: p.coverage.end,
        ct1: p.ct1,
        ct2: p.ct2,
        thirdPartyPayerRegime: p.thirdPartyPayerRegime,
      },
      verification: {
        paymentApproval: p.paymentApproval,
        paymentApprovalSeed: p.paymentApprovalSeed,
        invoicingOfficeCheckDigit: p.invoicingOfficeCheckDigit,
      },
    };
    // A patient identified by mutuality + registration number is insured by that mutuality.
    if (!("niss" in q.patient) && answer.patient.mutuality !== q.patient.mutuality)
      throw new CodedError("IMPORT_PATIENT_MISMATCH");
    this.#sameDate(answer, q.deliveryDate);
    return { answer };
  }

  /** The answer must name the patient of the delivery (by NISS, or mutuality + registration number). */
  #samePatient(answer: InsurabilityAnswer, q: Question): void {
    const a = answer.patient;
    const same =
      "niss" in q.patient
        ? a.niss === q.patient.niss
        : a.mutuality === q.patient.mutuality && a.registrationNumber === q.patient.registrationNumber;
    if (!same) throw new CodedError("IMPORT_PATIENT_MISMATCH");
  }

  /** Asked for the delivery date, and a coverage that contains it (SPEC §1.3: start = the date asked). */
  #sameDate(answer: InsurabilityAnswer, deliveryDate: Day): void {
    if (answer.requested !== undefined && answer.requested !== deliveryDate)
      throw new CodedError("IMPORT_DATE_MISMATCH", { requested: answer.requested });
    const cov = answer.coverage;
    if (cov && (compareDays(cov.start, deliveryDate) > 0 || compareDays(deliveryDate, cov.end) > 0))
      throw new CodedError("IMPORT_DATE_MISMATCH", { coverage: { start: cov.start, end: cov.end } });
  }

  /** The fallback delivery this result settles: same patient and date, its recall pending. */
  #resolution(consultationId: string, q: Question, view: ConsultationView): ImportInput["resolves"] {
    const { store } = this.#d;
    const row = store.getConsultation(consultationId);
    if (row === undefined) throw new CodedError("CONSULTATION_NOT_FOUND");
    const recall = store.pendingRecalls().find((r) => r.consultationId === consultationId);
    if (
      row.fallback === null ||
      row.patientKey !== q.patientKey ||
      row.deliveryDate !== q.deliveryDate ||
      !recall
    )
      throw new CodedError("IMPORT_NOT_RESOLVABLE");
    // brochure §9.3.5: the same comparison a recall makes with the online answer.
    const differences = recallDifferences(
      row.outcome,
      factsOf(row.answer as ConsultationView),
      factsOf(view),
    );
    return {
      consultationId,
      recallId: recall.id,
      resolution: { status: differences.length === 0 ? "confirmed" : "discrepancy", differences },
    };
  }
}
