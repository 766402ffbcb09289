import { beforeAll, describe, expect, it } from "vitest";
import { testPki } from "../../tests/support/pki.js";
import { XSD_DIR } from "../../tests/support/xmltools.js";
import { addDays, brusselsDay } from "./oracle/index.js";
import { buildInsurabilityRequest, parseInsurabilityResponse } from "../ehealth/insurability/index.js";
import type { InsurabilityAnswer, ParsedResponse } from "../ehealth/insurability/index.js";
import { signWithSamlKeyId } from "../ehealth/wssec/saml-key-id.js";
import type { PatientIdentification } from "../ehealth/insurability/index.js";
import { organisationSigner, requestInput, signedRequest, testAssertion } from "./__fixtures__/session.js";
import { createFaults } from "./faults.js";
import { createInsurabilityEndpoint } from "./insurability-endpoint.js";
import { createPopulation } from "./population.js";
import type { ScenarioName } from "./scenarios.js";
import { SIMULATOR_LICENCE } from "./server.js";
import { certificateDerOf } from "./sts-mount.js";
import type { SoapEndpoint } from "./soap-endpoint.js";

const NOW = new Date("2025-03-10T10:00:00.000Z");
const TODAY = brusselsDay(NOW);
const SEED = 42;
const pki = testPki();
const population = createPopulation(SEED, TODAY, { size: 50 });
let endpoint: SoapEndpoint;

beforeAll(() => {
  endpoint = createInsurabilityEndpoint({
    population,
    seed: SEED,
    faults: createFaults(),
    stsCertificateDer: certificateDerOf(pki.sts.certPem),
    licence: SIMULATOR_LICENCE,
    strict: true,
    xsdDir: XSD_DIR,
    now: () => NOW,
  });
});

async function ask(body: string): Promise<{ status: number; parsed: ParsedResponse }> {
  const reply = await endpoint({ path: "/Insurability/v2", body, headers: {} });
  return { status: reply.status, parsed: parseInsurabilityResponse(reply.body) };
}

function patientOf(name: ScenarioName): PatientIdentification {
  const s = population.scenarios[name];
  return s.niss !== undefined
    ? { niss: s.niss }
    : { mutuality: s.mutuality ?? "", registrationNumber: s.registrationNumber ?? "" };
}

async function answerFor(name: ScenarioName, date = TODAY): Promise<InsurabilityAnswer> {
  const { status, parsed } = await ask(
    await signedRequest(pki, requestInput(pki, patientOf(name), date), { now: NOW }),
  );
  expect(status).toBe(200);
  if (parsed.type !== "answer") throw new Error(`expected an answer, got ${JSON.stringify(parsed)}`);
  return parsed.answer;
}

const d = (n: number): string => addDays(TODAY, n);

describe("the insurability endpoint answers each scenario (signed request, strict XSD both ways)", () => {
  it("ordinary: insured 110/110, standard, coverage start + 30 days, a payment commitment", async () => {
    const a = await answerFor("ordinary");
    expect(a.kind).toBe("insured");
    expect(a.returnCode).toEqual({ major: "01", minor: "00", detail: "00000" });
    expect(a.coverage).toEqual({
      communicated: TODAY,
      start: TODAY,
      end: d(30),
      ct1: "110",
      ct2: "110",
      thirdPartyPayerRegime: "standard",
    });
    expect(a.verification?.paymentApproval).toMatch(/^[0-9A-F]{32}$/);
    expect(a.verification?.paymentApprovalSeed).toMatch(/^[0-9]{10}$/);
    expect(a.verification?.invoicingOfficeCheckDigit).toMatch(/^[A-Z]{2}$/);
    expect(a.patient).toMatchObject({
      niss: population.scenarios.ordinary.niss,
      mutuality: "121",
      sex: "male",
    });
    expect(a.messageId).toMatch(/^urn:uuid:/);
    expect(a.userReference).toMatch(/^TICKET-/);
  });

  it("a delivery date in the past starts the coverage at that date", async () => {
    const a = await answerFor("ordinary", d(-12));
    expect(a.coverage).toMatchObject({ start: d(-12), end: d(18), communicated: TODAY });
  });

  it("preferential: 131/131 elevated", async () => {
    expect((await answerFor("preferential")).coverage).toMatchObject({
      ct1: "131",
      ct2: "131",
      thirdPartyPayerRegime: "elevated",
    });
  });

  it("CT change inside the window ends the coverage the day before", async () => {
    expect((await answerFor("ctChangeInWindow")).coverage).toMatchObject({
      start: TODAY,
      end: d(9),
      ct1: "110",
    });
  });

  it("consecutive periods with the same status are merged", async () => {
    expect((await answerFor("consecutiveSameStatus")).coverage).toMatchObject({ end: d(30), ct1: "120" });
  });

  it("transfer: today the new insurer answers; before the transfer, the old one", async () => {
    const now = await answerFor("transfer");
    expect(now.patient.mutuality).toBe("319");
    expect(now.coverage).toMatchObject({ start: TODAY, end: d(30) });
    const before = await answerFor("transfer", d(-15));
    expect(before.patient.mutuality).toBe("226");
    expect(before.coverage).toMatchObject({ start: d(-15), end: d(-11) });
  });

  it("end of rights limits the coverage", async () => {
    expect((await answerFor("endOfRights")).coverage).toMatchObject({ end: d(4) });
  });

  it("no right at the date, and deceased: no-right without coverage or commitment", async () => {
    for (const name of ["noRight", "deceased"] as const) {
      const a = await answerFor(name);
      expect(a.kind).toBe("no-right");
      expect(a.returnCode).toEqual({ major: "02", minor: "01", detail: "40000" });
      expect(a.coverage).toBeUndefined();
      expect(a.verification).toBeUndefined();
    }
    expect((await answerFor("deceased")).patient.deceased).toBe(d(-20));
    expect((await answerFor("deceased", d(-25))).coverage).toMatchObject({ start: d(-25), end: d(-20) });
  });

  it("unknown NISS: unknown-patient", async () => {
    const a = await answerFor("unknown");
    expect(a.kind).toBe("unknown-patient");
    expect(a.patient.niss).toBe(population.scenarios.unknown.niss);
  });

  it("BIS numbers of both kinds, served through CAAMI for 750 and 999", async () => {
    const known = await answerFor("bis");
    expect(known).toMatchObject({ kind: "insured", patient: { mutuality: "750", sex: "male" } });
    const unknownSex = await answerFor("bisSexUnknown");
    expect(unknownSex.kind).toBe("insured");
    expect(unknownSex.patient.mutuality).toBe("999");
    expect(unknownSex.patient.sex).toBeUndefined();
    expect(unknownSex.patient.birthDate).toBeUndefined();
  });

  it("by mutuality + registration number: the registration number comes back verbatim", async () => {
    const a = await answerFor("byRegistrationNumber");
    expect(a.kind).toBe("insured");
    expect(a.patient.niss).toBeUndefined();
    expect(a.patient.registrationNumber).toBe("0001 13 NB7X");
    expect(a.patient.mutuality).toBe("132");
  });

  it("regime mismatch: 110/110 with elevated", async () => {
    expect((await answerFor("regimeMismatch")).coverage).toMatchObject({
      ct1: "110",
      thirdPartyPayerRegime: "elevated",
    });
  });

  it("multiple insurers: MultipleIO lists the unions", async () => {
    const a = await answerFor("multipleInsurers");
    expect(a.kind).toBe("multiple-insurers");
    expect(a.multipleIo).toEqual(["1", "4"]);
  });

  it("a date after the consultation date: date-in-future", async () => {
    expect((await answerFor("ordinary", d(1))).kind).toBe("date-in-future");
  });

  it("a NISS with a bad checksum, and a bad mutuality: bad-input with the field in Detail", async () => {
    const bad = await ask(
      await signedRequest(pki, requestInput(pki, { niss: "75061512399" }, TODAY), { now: NOW }),
    );
    expect(bad.parsed).toMatchObject({
      type: "answer",
      answer: { kind: "bad-input", returnCode: { detail: "10012" } },
    });
    const mut = await ask(
      await signedRequest(pki, requestInput(pki, { mutuality: "700", registrationNumber: "123" }, TODAY), {
        now: NOW,
      }),
    );
    expect(mut.parsed).toMatchObject({
      type: "answer",
      answer: { kind: "bad-input", returnCode: { detail: "20011" } },
    });
  });
});

describe("the endpoint refuses what eHealth refuses", () => {
  const soaCode = (parsed: ParsedResponse): string =>
    parsed.type === "fault" ? parsed.fault.code : parsed.type;
  const input = () => requestInput(pki, { niss: population.scenarios.ordinary.niss ?? "" }, TODAY);

  it("unsigned: SOA-01001", async () => {
    const r = await ask(buildInsurabilityRequest(input()));
    expect(r.status).toBe(500);
    expect(soaCode(r.parsed)).toBe("SOA-01001");
  });

  it("tampered after signing: SOA-01001", async () => {
    const signed = await signedRequest(pki, input(), { now: NOW });
    const tampered = signed.replace(`<ic:Date>${TODAY}</ic:Date>`, `<ic:Date>${d(-1)}</ic:Date>`);
    expect(tampered).not.toBe(signed);
    expect(soaCode((await ask(tampered)).parsed)).toBe("SOA-01001");
  });

  it("expired assertion: SOA-01001", async () => {
    const assertion = await testAssertion(pki, {
      now: new Date(NOW.getTime() - 7200_000),
      lifetimeSeconds: 3600,
    });
    expect(soaCode((await ask(await signedRequest(pki, input(), { now: NOW, assertion }))).parsed)).toBe(
      "SOA-01001",
    );
  });

  it("assertion signed by another key than the STS's: SOA-01001", async () => {
    const assertion = await testAssertion(pki, { now: NOW, signer: organisationSigner(pki) });
    expect(soaCode((await ask(await signedRequest(pki, input(), { now: NOW, assertion }))).parsed)).toBe(
      "SOA-01001",
    );
  });

  it("wrong licence: SOA-01001", async () => {
    const body = await signedRequest(
      pki,
      { ...input(), package: { name: "x", licenseUser: "someone", licensePassword: "else" } },
      { now: NOW },
    );
    expect(soaCode((await ask(body)).parsed)).toBe("SOA-01001");
  });

  it("pharmacy NIHII other than the session's: SOA-01002", async () => {
    const body = await signedRequest(
      pki,
      { ...input(), pharmacy: { nihii: "12345678", name: "Other" } },
      { now: NOW },
    );
    expect(soaCode((await ask(body)).parsed)).toBe("SOA-01002");
  });

  it("a session for a pharmacy the STS does not recognise: SOA-01002", async () => {
    const assertion = await testAssertion(pki, { now: NOW, recognisedPharmacy: false });
    expect(soaCode((await ask(await signedRequest(pki, input(), { now: NOW, assertion }))).parsed)).toBe(
      "SOA-01002",
    );
  });

  it("qualities are compared case-insensitively; another quality is refused", async () => {
    const signed = await signedRequest(pki, input(), { now: NOW });
    const lower = await signWithSamlKeyId(
      buildInsurabilityRequest(input())
        .replace(">PHARMACY-HOLDER<", ">pharmacy-holder<")
        .replace(">PHARMACY<", ">pharmacy<"),
      await testAssertion(pki, { now: NOW }),
      organisationSigner(pki),
      { now: NOW },
    );
    expect((await ask(signed)).parsed.type).toBe("answer");
    expect((await ask(lower)).parsed.type).toBe("answer");
    const doctor = await signWithSamlKeyId(
      buildInsurabilityRequest(input()).replace(">PHARMACY-HOLDER<", ">DOCTOR<"),
      await testAssertion(pki, { now: NOW }),
      organisationSigner(pki),
      { now: NOW },
    );
    expect(soaCode((await ask(doctor)).parsed)).toBe("SOA-01002");
  });

  it("a payload that breaks the XSD (strict mode): SOA-03006", async () => {
    const invalid = buildInsurabilityRequest(input()).replace(
      "<ic:RequestType>1</ic:RequestType>",
      "<ic:RequestType>12</ic:RequestType>",
    );
    const body = await signWithSamlKeyId(
      invalid,
      await testAssertion(pki, { now: NOW }),
      organisationSigner(pki),
      { now: NOW },
    );
    expect(soaCode((await ask(body)).parsed)).toBe("SOA-03006");
  });

  it("not XML: SOA-03001", async () => {
    expect(soaCode((await ask("<soap:Envelope")).parsed)).toBe("SOA-03001");
  });
});
