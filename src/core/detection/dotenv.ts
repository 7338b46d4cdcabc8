/**
 * dotenv syntax as the `dotenv` package reads it: `KEY=value` or `KEY: value`, optional `export `,
 * `#` comments (an unquoted value ends at the first `#`), '…', "…" (with \n and \r escapes) and
 * `…` quotes, quoted values across lines; the last assignment of a key wins. A quote that never
 * closes leaves the value as written on its line, quote included.
 *
 * The file may come from anywhere on disk, so the parse is one pass over the text: a value that
 * opens a quote is searched for its closing quote once, and a search that reached the end without
 * one is never repeated (every later search for that quote would fail the same way).
 */

/** Larger files are not parsed: no real `.env` comes near this, and a huge one would only cost time. */
export const MAX_DOTENV_CHARS = 1_000_000;

/** Characters examined by one parse; the tests use it to see that the parse stays linear. */
export interface ParseCounter {
  steps: number;
}

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([\w.-]+)(?:[ \t]*=|:[ \t])[ \t]*/;

export function parseDotenv(input: string, counter: ParseCounter = { steps: 0 }): Record<string, string> {
  const out: Record<string, string> = {};
  if (input.length > MAX_DOTENV_CHARS) return out;
  const text = input.replace(/^\uFEFF/, '');
  // From this offset on there is no closing quote of that kind: set by the first search that failed.
  const unclosedFrom: Record<string, number> = {};
  let lineStart = 0;
  while (lineStart <= text.length) {
    const lineEnd = endOfLine(text, lineStart);
    counter.steps += lineEnd - lineStart + 1;
    const line = text.slice(lineStart, lineEnd);
    let next = afterBreak(text, lineEnd);
    const match = ASSIGNMENT.exec(line);
    if (match) {
      const key = match[1] as string;
      const rest = line.slice(match[0].length);
      const quote = rest[0];
      let value: string | undefined;
      if (quote === '"' || quote === "'" || quote === '`') {
        const bodyStart = lineStart + match[0].length + 1;
        const close = closingQuote(text, bodyStart, quote, unclosedFrom, counter);
        if (close >= 0) {
          value = normaliseBreaks(text.slice(bodyStart, close));
          if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
          next = afterBreak(text, endOfLine(text, close));
        }
      }
      out[key] = value ?? (rest.split('#')[0] ?? '').trim();
    }
    if (next <= lineStart) break;
    lineStart = next;
  }
  return out;
}

/** The offset of the quote that closes a value starting at `from` (`\` before a quote escapes it), or -1. */
function closingQuote(
  text: string,
  from: number,
  quote: string,
  unclosedFrom: Record<string, number>,
  counter: ParseCounter,
): number {
  const known = unclosedFrom[quote];
  if (known !== undefined && from >= known) return -1;
  for (let i = from; i < text.length; i++) {
    counter.steps++;
    if (text[i] === quote && (i === from || text[i - 1] !== '\\')) return i;
  }
  unclosedFrom[quote] = from;
  return -1;
}

function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
  return text.length;
}

/** The start of the next line: past `\r\n`, `\r` or `\n`; past the end at the last line. */
function afterBreak(text: string, lineEnd: number): number {
  if (lineEnd >= text.length) return text.length + 1;
  return text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1;
}

function normaliseBreaks(value: string): string {
  return value.replace(/\r\n|\r/g, '\n');
}
