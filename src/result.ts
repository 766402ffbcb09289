// Errors as values for the pure domain rooms: a stable code, and what the caller may show.
export type Result<T, C extends string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: C; readonly detail?: Readonly<Record<string, unknown>> };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

export const fail = <C extends string>(
  code: C,
  detail?: Record<string, unknown>,
): { readonly ok: false; readonly code: C; readonly detail?: Readonly<Record<string, unknown>> } =>
  detail === undefined ? { ok: false, code } : { ok: false, code, detail };
