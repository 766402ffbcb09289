// Puts a wsse:Security header into a SOAP 1.1 envelope we built, and a wsu:Id on its Body, by
// editing the text: the signer canonicalises it without parsing it (own-c14n.ts), and the
// caller's bytes stay as they were (mycarenet-protocol §3.4, §3.7).
import { randomUUID } from "node:crypto";
import { escapeXml } from "../xml/escape.js";
import { NS } from "../xml/namespaces.js";
import { elementSpans, type ElementSpan } from "../xml/spans.js";
import { step } from "./sign-xml.js";

export const ENVELOPE_XPATH = `/${step(NS.soap, "Envelope")}`;
export const BODY_XPATH = `${ENVELOPE_XPATH}/${step(NS.soap, "Body")}`;
export const SECURITY_XPATH = `${ENVELOPE_XPATH}/${step(NS.soap, "Header")}/${step(NS.wsse, "Security")}`;
export const TIMESTAMP_XPATH = `${SECURITY_XPATH}/${step(NS.wsu, "Timestamp")}`;

/** A fresh identifier for wsu:Id and similar attributes (an NCName: starts with a letter). */
export const newId = (prefix: string): string => `${prefix}-${randomUUID()}`;

/** `wsu:Timestamp` with Created = now and Expires = now + ttl, in UTC with milliseconds. */
export function timestampXml(id: string, now: Date, ttlSeconds: number): string {
  const expires = new Date(now.getTime() + ttlSeconds * 1000);
  return (
    `<wsu:Timestamp wsu:Id="${escapeXml(id)}"><wsu:Created>${now.toISOString()}</wsu:Created>` +
    `<wsu:Expires>${expires.toISOString()}</wsu:Expires></wsu:Timestamp>`
  );
}

/**
 * Returns the envelope with `<wsse:Security mustUnderstand="1">content</wsse:Security>` as the
 * first header block and `wsu:Id=bodyId` on the Body. Throws on anything but a SOAP 1.1 envelope
 * with one Body and no Security header yet.
 */
export function insertSecurityHeader(envelope: string, securityContent: string, bodyId: string): string {
  const spans = elementSpans(envelope, 2);
  const root = spans[0];
  if (!root || root.depth !== 0) throw new TypeError("not an XML document");
  const colon = root.name.indexOf(":");
  const prefix = colon === -1 ? "" : root.name.slice(0, colon);
  const q = (local: string): string => (prefix ? `${prefix}:${local}` : local);
  const rootTag = envelope.slice(root.start, root.startTagEnd);
  const declared = new RegExp(
    `\\sxmlns${prefix ? `:${prefix}` : ""}\\s*=\\s*["']${NS.soap.replace(/[./]/g, "\\$&")}["']`,
  );
  if (root.name !== q("Envelope") || !declared.test(rootTag)) throw new TypeError("not a SOAP 1.1 envelope");

  const children = spans.filter((s) => s.depth === 1);
  const bodies = children.filter((s) => s.name === q("Body"));
  const headers = children.filter((s) => s.name === q("Header"));
  const body = bodies[0];
  if (!body || bodies.length > 1 || headers.length > 1)
    throw new TypeError("an envelope has one Body and at most one Header");
  const header = headers[0];
  if (
    header &&
    spans.some(
      (s) => s.depth === 2 && s.start > header.start && s.end <= header.end && localName(s) === "Security",
    )
  ) {
    throw new TypeError("the envelope already has a Security header");
  }
  const bodyTag = envelope.slice(body.start, body.startTagEnd);
  if (/\s(?:[\w.-]+:)?Id\s*=/.test(bodyTag)) throw new TypeError("the Body already has an Id");

  const mustUnderstand = prefix
    ? `${prefix}:mustUnderstand="1"`
    : `xmlns:soapenv="${NS.soap}" soapenv:mustUnderstand="1"`;
  const security =
    `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" ${mustUnderstand}>` +
    `${securityContent}</wsse:Security>`;
  const bodyIdAttrs = ` xmlns:wsu="${NS.wsu}" wsu:Id="${escapeXml(bodyId)}"`;
  const bodyInsertAt = body.startTagEnd - (body.selfClosing ? 2 : 1);

  // Edit from the end backwards so earlier indexes stay valid.
  let out = envelope.slice(0, bodyInsertAt) + bodyIdAttrs + envelope.slice(bodyInsertAt);
  if (!header) {
    out = out.slice(0, body.start) + `<${q("Header")}>${security}</${q("Header")}>` + out.slice(body.start);
  } else if (header.selfClosing) {
    const open = envelope.slice(header.start, header.startTagEnd - 2).trimEnd() + ">";
    out = out.slice(0, header.start) + open + security + `</${q("Header")}>` + out.slice(header.end);
  } else {
    out = out.slice(0, header.startTagEnd) + security + out.slice(header.startTagEnd);
  }
  return out;
}

function localName(span: ElementSpan): string {
  const colon = span.name.indexOf(":");
  return colon === -1 ? span.name : span.name.slice(colon + 1);
}
