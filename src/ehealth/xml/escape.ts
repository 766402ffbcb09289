const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text or attribute content for XML built from templates. */
export function escapeXml(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (c) => entities[c] ?? c);
}
