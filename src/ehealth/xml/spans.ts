// Where elements sit in the source text, for the two places that must edit a message without
// re-serialising it: inserting a WS-Security header into an envelope we built, and lifting the
// STS assertion out of its answer byte for byte (mycarenet-protocol §3.7: the assertion goes
// out verbatim). Only the shallow levels are recorded; deeper elements are just counted.
// The text must already be well-formed (parse it with parseXml first when it comes from outside).

export interface ElementSpan {
  /** Qualified name as written (`soap:Body`). */
  readonly name: string;
  /** 0 for the document element. */
  readonly depth: number;
  /** Index of the `<` of the start tag. */
  readonly start: number;
  /** Index just after the `>` of the start tag. */
  readonly startTagEnd: number;
  /** Index just after the end tag (equals startTagEnd for `<x/>`). */
  readonly end: number;
  readonly selfClosing: boolean;
}

/** Elements at depth 0..maxDepth, in document order. Throws on unbalanced tags. */
export function elementSpans(text: string, maxDepth: number): ElementSpan[] {
  const out: Array<{ -readonly [K in keyof ElementSpan]: ElementSpan[K] }> = [];
  const open: Array<{ name: string; index: number }> = [];
  let i = text.indexOf("<");
  while (i !== -1 && i < text.length) {
    if (text.startsWith("<?", i)) i = after(text, "?>", i);
    else if (text.startsWith("<!--", i)) i = after(text, "-->", i);
    else if (text.startsWith("<![CDATA[", i)) i = after(text, "]]>", i);
    else if (text.startsWith("<!", i)) throw new SyntaxError("declarations are not accepted");
    else if (text[i + 1] === "/") {
      const close = after(text, ">", i);
      const name = text.slice(i + 2, close - 1).trim();
      const top = open.pop();
      if (top === undefined || top.name !== name) throw new SyntaxError(`unbalanced end tag ${name}`);
      if (top.index >= 0) {
        const span = out[top.index];
        if (span) span.end = close;
      }
      i = close;
    } else {
      const tagEnd = startTagEnd(text, i);
      const selfClosing = text[tagEnd - 2] === "/";
      const name = /^<([^\s/>]+)/.exec(text.slice(i, Math.min(tagEnd, i + 256)))?.[1];
      if (name === undefined) throw new SyntaxError("start tag without a name");
      const depth = open.length;
      let index = -1;
      if (depth <= maxDepth) {
        index = out.length;
        out.push({ name, depth, start: i, startTagEnd: tagEnd, end: tagEnd, selfClosing });
      }
      if (!selfClosing) open.push({ name, index });
      i = tagEnd;
    }
    i = text.indexOf("<", i);
  }
  if (open.length > 0) throw new SyntaxError("unclosed element");
  return out;
}

function after(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  if (at === -1) throw new SyntaxError(`unterminated markup, expected ${marker}`);
  return at + marker.length;
}

// A `>` may appear inside a quoted attribute value, so quotes are followed.
function startTagEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let j = from + 1; j < text.length; j++) {
    const c = text[j];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return j + 1;
  }
  throw new SyntaxError("unterminated start tag");
}
