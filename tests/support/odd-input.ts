// Inputs a careless parser lets through or chokes on: odd strings (other digits, invisible and
// bidi characters, NUL, lone surrogates), path segments that try to leave the route, whole
// request bodies that are not what any route takes, and a percent-encoding that can carry them.
import fc from "fast-check";

/** Strings a careless parser lets through: other digits, invisible and bidi characters, NUL... */
export const ODD_STRINGS = [
  "８５０７３００３３２８", // fullwidth digits
  "٨٥٠٧٣٠٠٣٣٢٨", // Arabic-Indic digits
  "𝟖𝟓𝟎𝟕𝟑𝟎𝟎𝟑𝟑𝟐𝟖", // mathematical digits
  "85073003328\u0000",
  "\u202e82330037058", // right-to-left override
  "8507300332\u200b8", // zero-width space
  "2026-11-2\uff12",
  "e\u0301\u0301\u0301",
  "\ud800", // lone surrogate
  "😀😀",
  "' OR 1=1 --",
  "../../../etc/passwd",
  "%00",
  "<script>alert(1)</script>",
  "${jndi:ldap://127.0.0.1/a}",
  "\r\nX-Injected: 1",
];

export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ unit: "binary", minLength: 1, maxLength: 24 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
);

/** Path segments that try to leave the route. */
export const PATH_TRICKS = [
  "..",
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%5C..%5Cwindows",
  "%00",
  "a%00.js",
  "%E0%A4%A", // broken percent-encoding
  "%",
  "%252e%252e",
  "%C0%AE%C0%AE", // overlong UTF-8 dot
  "index.html%3F",
  "~",
];

/** Whole-body attacks, whatever the schema: [label, content-type, text]. */
export const WHOLE_BODIES: Array<[string, string, (k: number) => string]> = [
  ["an array", "application/json", () => "[]"],
  ["a number", "application/json", () => "42"],
  ["a string", "application/json", () => '"body"'],
  ["null", "application/json", () => "null"],
  ["empty with a JSON type", "application/json", () => ""],
  ["not JSON", "application/json", () => "{'patient': }"],
  ["truncated JSON", "application/json", () => '{"patient": {"niss": "850'],
  [
    "prototype pollution",
    "application/json",
    () => '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
  ],
  ["nested 5000 deep", "application/json", (k) => `${"[".repeat(5000 + k)}${"]".repeat(5000 + k)}`],
  ["object nested 3000 deep", "application/json", () => `${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`],
  ["huge (over the body limit)", "application/json", (k) => `{"x":"${"A".repeat(70_000 + k * 1000)}"}`],
  ["4 MB", "application/json", () => `["${"\u00e9".repeat(2 * 1024 * 1024)}"]`],
  [
    "huge, many keys",
    "application/json",
    () => `{${Array.from({ length: 9000 }, (_, i) => `"k${i}":${i}`).join(",")}}`,
  ],
  ["text/plain", "text/plain", () => "patient=85073003328"],
  [
    "XML with an external entity",
    "application/xml",
    () => '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
  ],
  ["form-encoded", "application/x-www-form-urlencoded", () => "patient[niss]=85073003328"],
  ["JSON in UTF-16", "application/json; charset=utf-16", () => '{"a":1}'],
];

// Percent-encoding that keeps a lone surrogate as the bytes a careless client sends for it
// (ED A0 80…, not UTF-8): encodeURIComponent would throw.
export const enc = (s: string) =>
  s.replace(/[\s\S]/gu, (ch) =>
    /^\p{Cs}$/u.test(ch)
      ? Buffer.from([0xed, 0xa0 | ((ch.charCodeAt(0) >> 6) & 0x0f), 0x80 | (ch.charCodeAt(0) & 0x3f)])
          .toString("hex")
          .replace(/../g, "%$&")
          .toUpperCase()
      : encodeURIComponent(ch),
  );
