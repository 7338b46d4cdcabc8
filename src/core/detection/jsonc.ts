/**
 * JSON with // and /* comments, as VS Code and Qwen Code (strip-json-comments) read their settings.
 * One pass over the text, capped in size; errors say where, never what (the text may hold a key).
 */

/** Settings files are small; anything larger is refused unread rather than parsed. */
export const MAX_JSONC_CHARS = 2_000_000;

export type JsoncResult = { ok: true; value: unknown } | { ok: false; where: string };

export function parseJsonWithComments(text: string): JsoncResult {
  if (text.length > MAX_JSONC_CHARS) return { ok: false, where: ` (larger than ${MAX_JSONC_CHARS / 1_000_000} MB)` };
  const source = stripJsonComments(text.replace(/^\uFEFF/, ''));
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (error) {
    // V8 messages can quote the text around the error, which may be a key: report a position only.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    if (position === undefined) return { ok: false, where: '' };
    const before = source.slice(0, Number(position)).split('\n');
    return { ok: false, where: ` (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})` };
  }
}

/** Blanks out comments (keeping line/column positions) outside strings. */
export function stripJsonComments(text: string): string {
  const out: string[] = [];
  let inString = false;
  let copiedTo = 0;
  const blank = (from: number, to: number) => {
    out.push(text.slice(copiedTo, from), text.slice(from, to).replace(/[^\n]/g, ' '));
    copiedTo = to;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const block = text[i + 1] === '*';
      const endAt = block ? text.indexOf('*/', i + 2) : text.indexOf('\n', i);
      const stop = endAt < 0 ? text.length : block ? endAt + 2 : endAt;
      blank(i, stop);
      i = stop - 1;
    }
  }
  out.push(text.slice(copiedTo));
  return out.join('');
}
