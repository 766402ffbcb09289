// Every call to the daemon's API: the pharmacist's bearer token, the chosen language (messages
// and question texts come back in it), JSON in and out, problem+json turned into ApiError.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? null;
    this.problem = problem;
  }
}

const TIMEOUT_MS = 60_000;

export function createApi({ token, lang, onUnauthorized }) {
  return async function call(method, path, body) {
    const headers = { accept: "application/json", "accept-language": lang() };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: abort.signal,
        cache: "no-store",
        credentials: "omit",
      });
    } catch {
      throw new ApiError(0, null);
    } finally {
      clearTimeout(timer);
    }
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const error = new ApiError(res.status, data);
      if (res.status === 401) onUnauthorized(error);
      throw error;
    }
    return data;
  };
}
