// POST to the STS, either door: transport failures and HTTP statuses other than SOAP's (200, or
// 500 with a fault) are outages; `read` turns the body into a result or a coded error, and a 500
// that is not a readable fault is an outage too, not a bad answer.
import { CodedError } from "../../errors.js";
import type { SoapAgent } from "../transport/agent.js";
import { sendSoap } from "../transport/post.js";

export interface StsPost {
  readonly url: string;
  readonly timeoutMs: number;
  readonly agent?: SoapAgent;
}

export async function postToSts<T>(
  target: StsPost,
  message: { readonly body: string; readonly soapAction: string },
  read: (body: string) => T,
): Promise<T> {
  const sent = await sendSoap({
    url: target.url,
    body: message.body,
    soapAction: message.soapAction,
    timeoutMs: target.timeoutMs,
    ...(target.agent ? { agent: target.agent } : {}),
  });
  if (!sent.ok) {
    throw new CodedError(
      "STS_UNAVAILABLE",
      { reason: "transport", transport: sent.failure.kind },
      { cause: sent.failure },
    );
  }
  const answer = sent.response;
  if (answer.status !== 200 && answer.status !== 500) {
    throw new CodedError("STS_UNAVAILABLE", { reason: "http-status", httpStatus: answer.status });
  }
  try {
    return read(answer.body);
  } catch (error) {
    if (answer.status === 500 && error instanceof CodedError && error.code === "STS_ANSWER_INVALID") {
      throw new CodedError("STS_UNAVAILABLE", { reason: "http-status", httpStatus: 500 }, { cause: error });
    }
    throw error;
  }
}
