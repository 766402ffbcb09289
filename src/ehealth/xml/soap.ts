// SOAP 1.1 envelopes (every eHealth service is SOAP 1.1 document/literal, protocol notes §1.1):
// writing one around a payload built from templates, and finding the payload of one received.
import { NS } from "./namespaces.js";
import { child, childElements } from "./parse.js";
import type { XmlDocument, XmlElement } from "./parse.js";

/** `<soap:Envelope>` around `body` (and `header` content, if any). Both are trusted XML text. */
export function soapEnvelope(parts: { body: string; header?: string; bodyAttributes?: string }): string {
  const header = parts.header === undefined ? "" : `<soap:Header>${parts.header}</soap:Header>`;
  const attrs = parts.bodyAttributes === undefined ? "" : ` ${parts.bodyAttributes}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope xmlns:soap="${NS.soap}">${header}<soap:Body${attrs}>${parts.body}</soap:Body></soap:Envelope>`
  );
}

export function soapBody(doc: Document): Element | undefined;
export function soapBody(doc: XmlDocument): XmlElement | undefined;
export function soapBody(doc: XmlDocument): XmlElement | undefined {
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS.soap || root.localName !== "Envelope") return undefined;
  return child(root, NS.soap, "Body");
}

export function soapHeader(doc: Document): Element | undefined;
export function soapHeader(doc: XmlDocument): XmlElement | undefined;
export function soapHeader(doc: XmlDocument): XmlElement | undefined {
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS.soap || root.localName !== "Envelope") return undefined;
  return child(root, NS.soap, "Header");
}

/** The first element of the Body (the payload or a soap:Fault), or undefined. */
export function soapPayload(doc: Document): Element | undefined;
export function soapPayload(doc: XmlDocument): XmlElement | undefined;
export function soapPayload(doc: XmlDocument): XmlElement | undefined {
  const body = soapBody(doc);
  return body === undefined ? undefined : childElements(body)[0];
}

/** A SOAP answer as a server side of a protocol writes it (the simulator's peers serve these). */
export interface SoapAnswer {
  readonly status: number;
  readonly body: string;
  /** Defaults to text/xml; charset=UTF-8. */
  readonly contentType?: string;
}
