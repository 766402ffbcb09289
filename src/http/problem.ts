// Every error leaves as application/problem+json with a stable code; the status comes from the
// catalogue, the message from the request's language. Unknown errors become INTERNAL: their
// detail goes to the (redacted) log, never to the client.
import { catalogue, messageFor, type Code, type Lang } from "../errors.js";

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: Code;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
  [extra: string]: unknown;
}

export function statusFor(code: Code): number {
  return catalogue[code].status;
}

export function problem(code: Code, lang: Lang, extra?: Record<string, unknown>): Problem {
  return {
    type: `urn:mcn-rights:problem:${code}`,
    title: messageFor(code, lang),
    status: statusFor(code),
    code,
    ...extra,
  };
}
