// What a request to the STS says of the session it asks for, either door (request-reader.ts,
// wstrust-reader.ts): the identification attributes with their values, the attributes to
// certify, and the lifetime asked for. The pharmacy profile check reads these alone.
export interface SessionAsked {
  /** AttributeName → value of the identification attributes sent. */
  readonly identification: ReadonlyMap<string, { readonly namespace: string; readonly value: string }>;
  readonly designators: ReadonlyArray<{ readonly name: string; readonly namespace: string }>;
  /** From the request's start to its end, seconds; undefined when either is absent. */
  readonly requestedLifetimeSeconds: number | undefined;
}

export const lifetimeSeconds = (from: Date | undefined, until: Date | undefined): number | undefined =>
  from && until ? Math.floor((until.getTime() - from.getTime()) / 1000) : undefined;
