import { describe, expect, it } from "vitest";
import { NS } from "../xml/namespaces.js";
import { parseXml, path } from "../xml/parse.js";
import { insertSecurityHeader, timestampXml } from "./security-header.js";

const env = (inner: string, decl = `xmlns:s="${NS.soap}"`) => `<s:Envelope ${decl}>${inner}</s:Envelope>`;

describe("insertSecurityHeader", () => {
  it("adds a Header with the Security block and an Id on the Body, leaving the rest as it was", () => {
    const out = insertSecurityHeader(
      env(`<s:Body ><p:x xmlns:p="urn:p">a &amp; b</p:x></s:Body>`),
      "<content/>",
      "id-1",
    );
    expect(out).toBe(
      env(
        `<s:Header><wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" s:mustUnderstand="1"><content/></wsse:Security></s:Header>` +
          `<s:Body  xmlns:wsu="${NS.wsu}" wsu:Id="id-1"><p:x xmlns:p="urn:p">a &amp; b</p:x></s:Body>`,
      ),
    );
    const doc = parseXml(out);
    expect(path(doc.documentElement!, [NS.soap, "Body"])?.getAttributeNS(NS.wsu, "Id")).toBe("id-1");
  });

  it("puts Security first in an existing Header, and opens a self-closing one", () => {
    const existing = insertSecurityHeader(env(`<s:Header><h/></s:Header><s:Body/>`), "", "b");
    expect(existing).toContain(`<s:Header><wsse:Security`);
    expect(existing).toContain(`</wsse:Security><h/></s:Header>`);
    expect(existing).toContain(`<s:Body xmlns:wsu="${NS.wsu}" wsu:Id="b"/>`);
    const selfClosing = insertSecurityHeader(env(`<s:Header /><s:Body/>`), "", "b");
    expect(selfClosing).toContain(`<s:Header><wsse:Security`);
    expect(() => parseXml(selfClosing)).not.toThrow();
  });

  it("declares a prefix for mustUnderstand when the envelope uses the default namespace", () => {
    const out = insertSecurityHeader(`<Envelope xmlns="${NS.soap}"><Body/></Envelope>`, "", "b");
    const security = parseXml(out).getElementsByTagNameNS(NS.wsse, "Security")[0];
    expect(security?.getAttributeNS(NS.soap, "mustUnderstand")).toBe("1");
  });

  it("refuses what it cannot safely edit", () => {
    const refuse = (xml: string) => expect(() => insertSecurityHeader(xml, "", "b")).toThrow(TypeError);
    refuse(`<a/>`);
    refuse(env(`<s:Body/>`, `xmlns:s="urn:not-soap"`));
    refuse(env(``));
    refuse(env(`<s:Body/><s:Body/>`));
    refuse(env(`<s:Header/><s:Header/><s:Body/>`));
    refuse(env(`<s:Header><wsse:Security xmlns:wsse="${NS.wsse}"/></s:Header><s:Body/>`));
    refuse(env(`<s:Body xmlns:wsu="${NS.wsu}" wsu:Id="x"/>`));
  });
});

describe("timestampXml", () => {
  it("writes Created and Expires in UTC with milliseconds", () => {
    expect(timestampXml("TS-1", new Date("2025-01-01T23:59:30Z"), 60)).toBe(
      `<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>2025-01-01T23:59:30.000Z</wsu:Created><wsu:Expires>2025-01-02T00:00:30.000Z</wsu:Expires></wsu:Timestamp>`,
    );
  });
});
