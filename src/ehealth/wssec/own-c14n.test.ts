// The text canonicaliser must give exactly what xml-crypto's exclusive c14n gives for the parsed
// element: on every request we can build (any names, references, special characters), and on
// the namespace cases the c14n rules single out.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInsurabilityRequest } from "../insurability/request.js";
import { NS } from "../xml/namespaces.js";
import { child, parseXml, path } from "../xml/parse.js";
import { exclusiveC14n } from "./exclusive-signature.js";
import { ownExclusiveC14n, OwnXmlUnsupported } from "./own-c14n.js";
import { insertSecurityHeader, timestampXml } from "./security-header.js";

const byParsing = (xml: string, id: string): string => {
  const doc = parseXml(xml);
  const walk = (el: Element): Element | undefined => {
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i);
      if (a && a.localName === "Id" && a.value === id) return el;
    }
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1) {
        const hit = walk(n as Element);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  const el = doc.documentElement ? walk(doc.documentElement) : undefined;
  if (!el) throw new Error(`no element ${id}`);
  return exclusiveC14n(el);
};

// Characters XML 1.0 allows (the request builder's callers validate the rest away).
const xmlChar = fc
  .integer({ min: 0x09, max: 0x10ffff })
  .filter(
    (c) =>
      c === 0x09 ||
      c === 0x0a ||
      c === 0x0d ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000,
  )
  .map((c) => String.fromCodePoint(c));
const special = fc.constantFrom(
  "&",
  "<",
  ">",
  '"',
  "'",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\u0085",
  "\u2028",
  "]]>",
  "&amp;",
);
const text = fc.array(fc.oneof(xmlChar, special), { maxLength: 12 }).map((a) => a.join(""));

describe("ownExclusiveC14n", () => {
  it("gives xml-crypto's exclusive c14n of Body and Timestamp on any request we build", () => {
    fc.assert(
      fc.property(
        fc.record({
          name: text,
          pharmacy: text,
          user: text,
          password: text,
          userReference: fc.option(
            text.map((t) => [...t].slice(0, 25).join("")),
            { nil: undefined },
          ),
          byRegistration: fc.boolean(),
        }),
        (r) => {
          const envelope = buildInsurabilityRequest({
            reference: "12345678901234",
            ...(r.userReference !== undefined ? { userReference: r.userReference } : {}),
            date: "2026-12-03",
            patient: r.byRegistration
              ? { mutuality: "120", registrationNumber: r.name }
              : { niss: "85073003328" },
            holder: { nihii: "21000013001", ssin: "85073003328", name: r.name },
            pharmacy: { nihii: "21000013001", name: r.pharmacy },
            package: { name: "mcn-rights", licenseUser: r.user, licensePassword: r.password },
            isTest: true,
          });
          const xml = insertSecurityHeader(envelope, timestampXml("TS-1", new Date(0), 60), "id-1");
          const own = ownExclusiveC14n(xml, ["id-1", "TS-1"]);
          expect(own.get("id-1")).toBe(byParsing(xml, "id-1"));
          expect(own.get("TS-1")).toBe(byParsing(xml, "TS-1"));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("follows the namespace rules: visibly used only, default namespace, redeclared prefixes, attribute order", () => {
    const cases = [
      `<r xmlns="urn:d" xmlns:a="urn:a" xmlns:unused="urn:u"><a:x Id="t" z="1" a:b="2" b="3"><y/><a:y a="&amp;&#x9;&quot;"/></a:x></r>`,
      `<a:r xmlns:a="urn:a"><e Id="t"><a:e xmlns:a="urn:other"><a:f/></a:e><g xmlns="urn:g"><h xmlns=""/></g></e></a:r>`,
      `<r xmlns:b="urn:b" xmlns:a="urn:a"><x Id="t" b:z="1" a:z="2" xmlns:c="urn:c">t&lt;&gt;&#13;x</x></r>`,
      `<?xml version="1.0"?>\n<r><s xmlns:constructor="urn:c" xml:lang="fr" Id="t"><constructor:x/></s></r>`,
    ];
    for (const xml of cases) expect(ownExclusiveC14n(xml, ["t"]).get("t"), xml).toBe(byParsing(xml, "t"));
  });

  it("refuses what our own text never holds, so that the caller parses instead", () => {
    for (const xml of [
      `<r><x Id="t"><!-- c --></x></r>`,
      `<r><x Id="t"><![CDATA[a]]></x></r>`,
      `<r><x Id="t"><?pi x?></x></r>`,
      `<r><x Id="t">&nbsp;</x></r>`,
      `<r><x Id="t">a & b</x></r>`,
      `<r><x Id="t"><p:y/></x></r>`,
      `<r><x Id="t"></y></r>`,
      `<r><x Id="other"/></r>`,
    ]) {
      expect(() => ownExclusiveC14n(xml, ["t"]), xml).toThrow(OwnXmlUnsupported);
    }
  });

  it("canonicalises the signed parts of a real secured envelope as the parser path does", () => {
    const envelope = buildInsurabilityRequest({
      reference: "1",
      date: "2026-12-03",
      patient: { niss: "85073003328" },
      holder: { nihii: "21000013001", ssin: "85073003328", name: 'Émile & Zoé <"pharmacie">' },
      pharmacy: { nihii: "21000013001", name: "Pharmacie 'du Parc'" },
      package: { name: "mcn-rights", licenseUser: "u", licensePassword: "p" },
      isTest: false,
    });
    const xml = insertSecurityHeader(envelope, timestampXml("TS-9", new Date(), 60), "id-9");
    const root = parseXml(xml).documentElement as Element;
    const body = child(root, NS.soap, "Body") as Element;
    const ts = path(root, [NS.soap, "Header"], [NS.wsse, "Security"], [NS.wsu, "Timestamp"]) as Element;
    const own = ownExclusiveC14n(xml, ["id-9", "TS-9"]);
    expect(own.get("id-9")).toBe(exclusiveC14n(body));
    expect(own.get("TS-9")).toBe(exclusiveC14n(ts));
  });
});
