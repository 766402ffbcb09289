import { it } from "vitest";
import { writeFileSync } from "node:fs";
import { tempPki } from "./__fixtures__/temp-pki.js";
import { MemorySigner } from "../keys/memory.js";
import { signWithBinaryToken } from "./binary-token.js";
import { signWithSamlKeyId } from "./saml-key-id.js";
it("smoke", async () => {
const pki = tempPki();
const s = new MemorySigner(pki.personal.key, pki.personal.certificateDer);
const env = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Test xmlns="http://www.example.com">x &amp; y</Test></soapenv:Body></soapenv:Envelope>`;
const out = await signWithBinaryToken(env, s, { now: new Date() });
writeFileSync("/tmp/bst.xml", out); writeFileSync("/tmp/personal.pem", pki.personal.certificatePem);
const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" AssertionID="_abc" Issuer="x" MajorVersion="1" MinorVersion="1" IssueInstant="2024-01-01T00:00:00Z"/>`;
const out2 = await signWithSamlKeyId(env, assertion, s, { now: new Date() });
writeFileSync("/tmp/saml.xml", out2);
console.log(out); console.log(out2);
});
