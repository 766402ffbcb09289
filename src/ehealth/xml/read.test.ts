// The light tree against xmldom's DOM: the same elements, namespaces, attributes and text for
// what eHealth sends (prefixes, default namespaces, redeclarations, entities, CDATA, comments).
// Its refusals are in parse.test.ts, beside xmldom's.
import { describe, expect, it } from "vitest";
import { childElements, parseXml } from "./parse.js";
import type { XmlElement } from "./parse.js";
import { readXml } from "./read.js";

/** What a reader can see of a tree, as plain data. */
function view(el: XmlElement): unknown {
  const kids = childElements(el);
  return {
    // No namespace: xmldom says undefined or "", the light tree null; readers test `!namespaceURI`.
    ns: el.namespaceURI || null,
    local: el.localName,
    // xmldom 0.8 answers "" for a missing attribute, today's DOM (and the light tree) null.
    id: el.getAttribute("Id") || null,
    wsuId: el.getAttribute("wsu:Id") || null,
    text: el.textContent,
    children: kids.map(view),
  };
}

const same = (xml: string): void => {
  const light = readXml(xml).documentElement;
  const dom = parseXml(xml).documentElement;
  if (light === null || dom === null) throw new Error("no root");
  expect(view(light)).toEqual(view(dom));
};

describe("readXml reads what xmldom reads", () => {
  it.each([
    ["prefixed namespaces", '<s:E xmlns:s="urn:s" xmlns:b="urn:b"><s:B><b:X>1</b:X></s:B></s:E>'],
    ["a default namespace and an unqualified child", '<E xmlns="urn:d"><X xmlns="">u</X><Y>d</Y></E>'],
    ["a prefix bound again lower down", '<p:E xmlns:p="urn:1"><p:X xmlns:p="urn:2"><p:Y/></p:X><p:Z/></p:E>'],
    ["the predefined and numeric entities", "<a>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;</a>"],
    ["CDATA beside text", "<a>x<![CDATA[<y>&amp;]]>z</a>"],
    ["comments and instructions inside text", "<a>x<!-- c -->y<?pi data?>z</a>"],
    ["whitespace kept as sent", "<a>\n  <b> 12 </b>\t\r\n</a>"],
    ["an XML declaration and mixed content", '<?xml version="1.0" encoding="UTF-8"?><a>t<b>u</b>v<c/></a>'],
    ["attributes, prefixed and not", '<a xmlns:wsu="urn:wsu" Id="i1" wsu:Id="w1"><b Id="i&amp;2"/></a>'],
    ["non-ASCII names and text", '<é xmlns="urn:é">Bénédicte Ünal 元</é>'],
  ])("%s", (_label, xml) => same(xml));

  it("on a real insurability answer", () => {
    const ns =
      'xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ic="urn:be:fgov:ehealth:insurability:core:v2"';
    same(
      `<s:Envelope ${ns}><s:Header/><s:Body><r:R xmlns:r="urn:r"><ic:CareReceiver><ic:Ssin>85073003328</ic:Ssin>` +
        `<ic:RegNrWithMut>  0120 </ic:RegNrWithMut></ic:CareReceiver></r:R></s:Body></s:Envelope>`,
    );
  });
});
