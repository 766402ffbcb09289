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
}

export type SoapEndpoint = (request: SoapRequest) => Promise<SoapReply>;
