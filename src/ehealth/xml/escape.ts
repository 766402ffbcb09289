const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // Parsers rewrite line ends (XML 1.0 §2.11; xmldom also rewrites NEL, LS and PS) and turn tabs
  // and line feeds in attribute values into spaces (§3.3.3): written as character references,
  // they come back as they were sent.
  "\t": "&#x9;",
  "\n": "&#xA;",
  "\r": "&#xD;",
  "\u0085": "&#x85;",
  "\u2028": "&#x2028;",
  "\u2029": "&#x2029;",
};

/** Escapes text or attribute content for XML built from templates. */
export function escapeXml(value: string | number | boolean): string {
  return String(value).replace(/[&<>"'\t\n\r\u0085\u2028\u2029]/g, (c) => entities[c] ?? c);
}
