// Why a WS-Security header (or an enveloped XML signature) was not accepted. Callers branch on
// `reason`, never on the message (STYLE: a failure taxonomy with stable codes).
export type WsSecurityReason =
  | "signature-invalid"
  | "reference-missing"
  | "timestamp-expired"
  | "timestamp-missing"
  | "token-missing"
  | "malformed";

export class WsSecurityRejected extends Error {
  readonly reason: WsSecurityReason;
  constructor(reason: WsSecurityReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WsSecurityRejected";
    this.reason = reason;
  }
}
