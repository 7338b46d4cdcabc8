/**
 * Syntax highlighting for chat code blocks: highlight.js's core with the languages answers use
 * most, registered by hand so the webview bundle stays small (the full build is ~1 MB).
 * Output is class-based spans only (`hljs-keyword` …), coloured by media/chat-markdown.css,
 * because the webview's CSP allows no inline styles.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  shell,
  sql,
  typescript,
  xml,
  yaml,
};
for (const [name, definition] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, definition);

/** Code longer than this is shown plain: highlighting it would stall the view for little benefit. */
const MAX_HIGHLIGHT_CHARS = 100_000;
/**
 * A line longer than this leaves the block plain: highlight.js grammars rescan long runs of
 * identifier or number characters, so one line costs time growing with the square of its length
 * (40,000 characters on a line took 9 s). VS Code's own editor stops tokenizing long lines too.
 */
const MAX_HIGHLIGHT_LINE = 2_000;

function hasLongLine(code: string): boolean {
  let start = 0;
  while (start < code.length) {
    const end = code.indexOf('\n', start);
    const stop = end === -1 ? code.length : end;
    if (stop - start > MAX_HIGHLIGHT_LINE) return true;
    start = stop + 1;
  }
  return false;
}

/**
 * The language of a fence's info string (its first word, lower-cased), or undefined when there is
 * none. Only letters, digits and `+#._-` survive, so the result is safe in a class name.
 */
export function fenceLanguage(info: string): string | undefined {
  const word = info.trim().split(/\s+/, 1)[0] ?? '';
  const language = word.toLowerCase().replace(/[^a-z0-9+#._-]/g, '');
  return language || undefined;
}

/**
 * `code` as highlighted HTML (escaped text in `<span class="hljs-…">`), or undefined when the
 * language is unknown or the code too long; the caller then escapes the code itself.
 */
export function highlightCode(code: string, language: string | undefined): string | undefined {
  if (!language || code.length > MAX_HIGHLIGHT_CHARS || !hljs.getLanguage(language) || hasLongLine(code))
    return undefined;
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    // A grammar bug must cost the colours, never the answer.
    return undefined;
  }
}
