// xs:dateTime values on the wire (wsu:Created, Conditions/@NotOnOrAfter…) must name their zone:
// a time without one would silently be read in the machine's local zone.
const XS_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

/** The instant, or undefined when the text is not a zoned xs:dateTime. */
export function parseXsDateTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!XS_DATETIME.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
