// This computer's clock against eHealth's (issue 15): eHealth refuses messages whose Timestamp is
// stale or in the future (a 60-second tolerance, mycarenet-protocol §3.4), so a clock that drifts
// makes every call fail for no visible reason. The HTTP `Date` of each answer says eHealth's time
// to the second; more than 60 s apart raises the alert, which clears when the clocks agree again.
export const MAX_SKEW_SECONDS = 60;

export interface ClockSkewState {
  /** Local minus eHealth, in whole seconds, at the last answer; null before any answer. */
  readonly skewSeconds: number | null;
  readonly alert: boolean;
  readonly since: string | null;
}

export class ClockSkew {
  #skew: number | null = null;
  #since: Date | null = null;
  readonly #onChange: ((alert: boolean, skewSeconds: number) => void) | undefined;

  constructor(onChange?: (alert: boolean, skewSeconds: number) => void) {
    this.#onChange = onChange;
  }

  /** `serverDate` from an answer's Date header, `localNow` the daemon's clock at that moment. */
  observe(serverDate: Date, localNow: Date): void {
    // Date has a one-second resolution: the answer was stamped up to a second before we read it.
    const skew = Math.round((localNow.getTime() - serverDate.getTime()) / 1000);
    const wasAlert = this.alert;
    this.#skew = skew;
    const alert = this.alert;
    if (alert !== wasAlert) {
      this.#since = alert ? localNow : null;
      this.#onChange?.(alert, skew);
    }
  }

  get alert(): boolean {
    return this.#skew !== null && Math.abs(this.#skew) > MAX_SKEW_SECONDS;
  }

  state(): ClockSkewState {
    return { skewSeconds: this.#skew, alert: this.alert, since: this.#since?.toISOString() ?? null };
  }
}
