// The SOAP 1.1 envelope every call sends; WS-Security adds its header afterwards.
import { NS } from "../xml/namespaces.js";

export function soapEnvelope(bodyPayload: string): string {
  return `<soapenv:Envelope xmlns:soapenv="${NS.soap}"><soapenv:Body>${bodyPayload}</soapenv:Body></soapenv:Envelope>`;
}
