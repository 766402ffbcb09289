// The exclusive c14n of our own Body (src/ehealth/wssec/exclusive-signature.ts) and reading an
// answer (src/ehealth/insurability/response.ts): the two XML steps of a consultation besides
// the signature.
import { readFileSync } from "node:fs";
export const name = "c14n";
export async function cases(load) {
  const { exclusiveC14n } = await load("ehealth/wssec/exclusive-signature.js");
  // Builds before issue 18 have no text canonicaliser: that case is then left out.
  const { ownExclusiveC14n } = await load("ehealth/wssec/own-c14n.js").catch(() => ({}));
  const { insertSecurityHeader, timestampXml } = await load("ehealth/wssec/security-header.js");
  const { parseXml, child } = await load("ehealth/xml/parse.js");
  const { NS } = await load("ehealth/xml/namespaces.js");
  const { buildInsurabilityRequest } = await load("ehealth/insurability/request.js");
  const { parseInsurabilityResponse } = await load("ehealth/insurability/response.js");
  const { buildInsurabilityResponse } = await load("ehealth/insurability/response-build.js");
  const { soapEnvelope } = await load("ehealth/xml/soap.js");
  const envelope = buildInsurabilityRequest({
    reference: "12345678901234",
    date: "2026-12-03",
    patient: { niss: "85073003328" },
    holder: { nihii: "21000013001", ssin: "85073003328", name: "Pharmacist" },
    pharmacy: { nihii: "21000013001", name: "Pharmacy" },
    package: { name: "mcn-rights", licenseUser: "user", licensePassword: "password" },
    isTest: true,
  });
  const body = child(parseXml(envelope).documentElement, NS.soap, "Body");
  const sample = readFileSync(
    new URL(
      "../../reference/mycarenet/samples/insurability-pharmacist-GetInsurabilityForPharmacistResponse-v2.synthetic.xml",
      import.meta.url,
    ),
    "utf8",
  ).replace(/^<\?xml[^>]*\?>\s*(<!--[\s\S]*?-->\s*)?/, "");
  // The reference sample, written again as the simulator writes an answer.
  const read = parseInsurabilityResponse(soapEnvelope({ body: sample }));
  if (read.type !== "answer") throw new Error("the sample answer does not parse");
  const answer = buildInsurabilityResponse(read.answer);
  const secured = insertSecurityHeader(envelope, timestampXml("TS-1", new Date(), 60), "id-1");
  return [
    ...(ownExclusiveC14n
      ? [
          {
            name: "ownExclusiveC14n: Body and Timestamp from our text",
            fn: () => ownExclusiveC14n(secured, ["id-1", "TS-1"]),
          },
        ]
      : []),
    { name: "parse our request envelope (xmldom, hostile-XML checks)", fn: () => parseXml(envelope) },
    { name: "exclusive c14n of our Body (parsed)", fn: () => exclusiveC14n(body) },
    { name: "parseInsurabilityResponse (sample answer)", fn: () => parseInsurabilityResponse(answer) },
  ];
}
