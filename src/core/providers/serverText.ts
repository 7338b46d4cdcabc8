/**
 * Text a server sent, made inert before it reaches any UI. VS Code renders `[x](command:…)` in a
 * notification as a clickable command, Markdown and HTML in a tooltip, and `$(icon)` in a quick
 * pick; an error message, a model id or a currency from a backend must be none of those. Every
 * ProviderError message passes `plainServerText`, and every model id a backend names passes
 * `serverModelId` (see `guardedProvider`), so no call site has to remember.
 */

export const MAX_MESSAGE_CHARS = 600;
export const MAX_MODEL_ID_CHARS = 200;

// Controls, zero-width and bidirectional overrides (which can make text read backwards).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * One line of plain text, at most `maxChars` long: HTML tags and autolinks removed, Markdown links
 * and images reduced to their label, any other `](` or `$(` broken apart.
 */
export function plainServerText(text: string, maxChars = MAX_MESSAGE_CHARS): string {
  const flat = text
    .slice(0, maxChars * 4)
    .replace(INVISIBLE, ' ')
    .replace(/<\/?[A-Za-z!?/][^<>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)?/g, '$1')
    .replace(/\]\s*\(/g, '] (')
    .replace(/\]\s*\[/g, '] [')
    .replace(/\$\(/g, '$ (')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
}

/** Characters model ids use across backends (`org/model:tag`, `@cf/…`, `model (free)`); the rest goes. */
const NOT_IN_MODEL_ID = /[^\p{L}\p{N} ._:/@+=~,()#%-]/gu;

/** A model id or name from a server, capped and reduced to the characters model ids use. */
export function serverModelId(id: string): string {
  const clean = id
    .slice(0, MAX_MODEL_ID_CHARS * 4)
    .replace(NOT_IN_MODEL_ID, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.slice(0, MAX_MODEL_ID_CHARS);
}
