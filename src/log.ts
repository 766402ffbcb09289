// Logs are structured (pino) and private by default: known sensitive keys are censored at any
// depth, and every string that looks like a NISS (11 digits, with or without separators) is masked
// wherever it appears, message included. Nothing here is configurable off.
import { join } from "node:path";
import pino, { type Logger, type DestinationStream } from "pino";

const SENSITIVE_KEYS = [
  "pin",
  "password",
  "passphrase",
  "token",
  "authorization",
  "niss",
  "ssin",
  "name",
  "firstName",
  "lastName",
  "registrationNumber",
  "key",
  "privateKey",
  "assertion",
  "body",
];

// Censored at any depth, in the same walk that masks NISS-like strings. (pino's own path
// redaction — these keys, then `*.key`, `*.*.key` — cost some 40 µs a line with its wildcards,
// and every request logs one line: more than the rest of a stateless request.)
const SENSITIVE = new Set(SENSITIVE_KEYS);
const CENSOR = "[redacted]";

// 11 digits as a whole, or written YY.MM.DD-SSS.CC with any of the usual separators.
const NISS_LIKE = /(?<![0-9])[0-9]{2}[ ./-]?[0-9]{2}[ ./-]?[0-9]{2}[ ./-]?[0-9]{3}[ ./-]?[0-9]{2}(?![0-9])/g;

export function maskNissLike(text: string): string {
  return text.replace(NISS_LIKE, "[NISS]");
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskNissLike(value);
  if (value === null || typeof value !== "object") return value;
  // Deeper than the walk goes, nothing is known to be clean: it is not written at all.
  if (depth > 6) return "[too deep]";
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE.has(k) ? CENSOR : scrub(v, depth + 1);
  return out;
}

export interface LogOptions {
  level?: string;
  destination?: DestinationStream;
}

// Test harness only (never set in production): with MCN_TEST_LOG_DIR set by the tests' global
// setup, every line any logger of this process writes is also appended to <dir>/<pid>.ndjson, so
// that the privacy check searches the logs of the whole suite, child daemons included (STYLE §8).
let testCopy: DestinationStream | undefined | null = null;
function testLogCopy(): DestinationStream | undefined {
  if (testCopy === null) {
    const dir = process.env["MCN_TEST_LOG_DIR"];
    testCopy = dir
      ? pino.destination({ dest: join(dir, `${process.pid}.ndjson`), sync: true, mkdir: true, append: true })
      : undefined;
  }
  return testCopy;
}

export function createLogger(options: LogOptions = {}): Logger {
  const copy = testLogCopy();
  const destination = copy
    ? pino.multistream([
        { level: "trace", stream: options.destination ?? pino.destination(1) },
        { level: "trace", stream: copy },
      ])
    : options.destination;
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "mcn-rights" },
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      serializers: {
        err: (err: Error) => {
          // The error's own properties (a CodedError's detail…) are walked like any logged value.
          const s = pino.stdSerializers.err(err);
          return scrub({ ...s, stack: s.stack ?? undefined }) as Record<string, unknown>;
        },
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === "string" ? maskNissLike(a) : a)) as Parameters<
            typeof method
          >;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
}

export type { Logger };
