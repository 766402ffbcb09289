// What every simulated SOAP endpoint (STS, insurability) exposes to the simulator's HTTP server.
export interface SoapRequest {
  readonly path: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface SoapReply {
  readonly status: number;
  readonly body: string;
  /** Defaults to text/xml; charset=UTF-8. */
  readonly contentType?: string;
  /**
   * A transport failure the HTTP server acts out instead of (or while) answering (faults.ts):
   * "drop" closes the socket without a byte, "reset" sends the headers and half the body then
   * resets the connection, "hang" never answers. Absent: a normal answer.
   */
  readonly transport?: "drop" | "reset" | "hang";
}

export type SoapEndpoint = (request: SoapRequest) => Promise<SoapReply>;
