/**
 * A small scanner that tells code from comments and strings, per VS Code language id. It is not a
 * parser: it exists so that a `//` inside a URL string or a `(` inside a comment does not mislead
 * the multi-line rules or the bracket counting in post-processing. Regex literals and heredocs are
 * read as code.
 */

/** How a language writes comments and strings. */
export interface LexicalSyntax {
  readonly lineComments: readonly string[];
  readonly blockComments: readonly (readonly [open: string, close: string])[];
  /** String delimiters whose string ends at a line break when left open. */
  readonly quotes: readonly string[];
  /** String delimiters whose string may span lines (template literals, Python triple quotes). */
  readonly longQuotes: readonly string[];
  /** A line comment starts only at a line start or after whitespace (shell `$#`, YAML `a#b`). */
  readonly commentAfterSpace?: boolean;
  /** Rust: `'` opens a char literal only when a quote closes it at once; otherwise it is a lifetime. */
  readonly charLiterals?: boolean;
  /**
   * YAML: a quote opens a string only where a value starts (a line's start, after `:`, `-`, `?`,
   * `[`, `{` or `,`); inside a plain value (`name: Run the project's tests`) it is text.
   */
  readonly quotesAtValueStart?: boolean;
}

/** The scanner's state between two pieces of text (the prefix, then the completion, then the suffix). */
export interface ScanState {
  readonly mode: 'code' | 'string' | 'line-comment' | 'block-comment';
  /** What ends the current string or block comment. */
  readonly close: string;
  /** Whether the current string survives a line break. */
  readonly spans: boolean;
}

/** The state at the start of a file. */
export const IN_CODE: ScanState = { mode: 'code', close: '', spans: false };

const C_STYLE: LexicalSyntax = {
  lineComments: ['//'],
  blockComments: [['/*', '*/']],
  quotes: ['"', "'"],
  longQuotes: ['`'],
};
const HASH: LexicalSyntax = {
  lineComments: ['#'],
  blockComments: [],
  quotes: ['"', "'"],
  longQuotes: [],
  commentAfterSpace: true,
};
// Prose: an apostrophe in "don't" must not open a string.
const PROSE: LexicalSyntax = { lineComments: [], blockComments: [], quotes: [], longQuotes: [] };
const MARKUP: LexicalSyntax = { ...PROSE, blockComments: [['<!--', '-->']] };
const CSS: LexicalSyntax = { ...C_STYLE, lineComments: [], longQuotes: [] };

/** VS Code language ids that do not write comments the C way; every other id gets C_STYLE. */
const SYNTAX_BY_LANGUAGE: Readonly<Record<string, LexicalSyntax>> = {
  python: { lineComments: ['#'], blockComments: [], quotes: ['"', "'"], longQuotes: ['"""', "'''"] },
  rust: { ...C_STYLE, longQuotes: [], charLiterals: true },
  php: { ...C_STYLE, lineComments: ['//', '#'] },
  css: CSS,
  scss: { ...CSS, lineComments: ['//'] },
  less: { ...CSS, lineComments: ['//'] },
  sql: { lineComments: ['--'], blockComments: [['/*', '*/']], quotes: ["'", '"'], longQuotes: [] },
  // Lua's block comment opens with the line-comment marker, so it is listed (and tried) first.
  lua: { lineComments: ['--'], blockComments: [['--[[', ']]']], quotes: ['"', "'"], longQuotes: [] },
  haskell: { lineComments: ['--'], blockComments: [['{-', '-}']], quotes: ['"'], longQuotes: [] },
  html: MARKUP,
  xml: MARKUP,
  markdown: PROSE,
  plaintext: PROSE,
  shellscript: HASH,
  yaml: { ...HASH, quotesAtValueStart: true },
  toml: HASH,
  ruby: HASH,
  perl: HASH,
  r: HASH,
  elixir: HASH,
  powershell: HASH,
  dockerfile: HASH,
  makefile: HASH,
  coffeescript: HASH,
};

/** The comment and string syntax for a VS Code language id (C style when unknown). */
export function syntaxFor(languageId: string): LexicalSyntax {
  return SYNTAX_BY_LANGUAGE[languageId] ?? C_STYLE;
}

/**
 * Scans `text` from state `from`, calling `visit` for every character that is code (outside
 * strings and comments), with its index in `text`. Returns the state at the end of `text`, so a
 * later piece of text can be scanned as its continuation.
 */
export function scanCode(
  text: string,
  syntax: LexicalSyntax,
  from: ScanState = IN_CODE,
  visit?: (ch: string, index: number) => void,
): ScanState {
  let state = from;
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (state.mode === 'code') {
      const opened = openingAt(text, i, syntax);
      if (opened) {
        state = opened.state;
        i += opened.length;
      } else {
        visit?.(ch, i);
        i++;
      }
    } else if (state.mode === 'line-comment') {
      if (ch === '\n') state = IN_CODE;
      i++;
    } else if (state.mode === 'string' && ch === '\\') {
      i += 2;
    } else if (text.startsWith(state.close, i)) {
      i += state.close.length;
      state = IN_CODE;
    } else {
      // A one-line string left open ends with its line, which keeps one stray quote from
      // turning the rest of the file into a string.
      if (ch === '\n' && state.mode === 'string' && !state.spans) state = IN_CODE;
      i++;
    }
  }
  return state;
}

function openingAt(text: string, i: number, syntax: LexicalSyntax): { state: ScanState; length: number } | undefined {
  for (const [open, close] of syntax.blockComments) {
    if (text.startsWith(open, i)) return { state: { mode: 'block-comment', close, spans: true }, length: open.length };
  }
  for (const marker of syntax.lineComments) {
    if (!text.startsWith(marker, i)) continue;
    if (syntax.commentAfterSpace && i > 0 && !/\s/.test(text.charAt(i - 1))) continue;
    return { state: { mode: 'line-comment', close: '\n', spans: false }, length: marker.length };
  }
  for (const quote of syntax.longQuotes) {
    if (text.startsWith(quote, i))
      return { state: { mode: 'string', close: quote, spans: true }, length: quote.length };
  }
  for (const quote of syntax.quotes) {
    if (!text.startsWith(quote, i)) continue;
    if (quote === "'" && syntax.charLiterals && !isCharLiteral(text, i)) return undefined;
    if (syntax.quotesAtValueStart && !atValueStart(text, i)) return undefined;
    return { state: { mode: 'string', close: quote, spans: false }, length: quote.length };
  }
  return undefined;
}

/** Whether what precedes `i` on its line, spaces aside, lets a YAML value start there. */
function atValueStart(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text.charAt(j) === ' ' || text.charAt(j) === '\t')) j--;
  // The start of the text scanned (a piece that continues earlier text) is taken as a start too.
  return j < 0 || '\n:-?[{,'.includes(text.charAt(j));
}

function isCharLiteral(text: string, i: number): boolean {
  const literal = /'(?:\\[^'\n]*|[^\\'\n])'/y;
  literal.lastIndex = i;
  return literal.test(text);
}

/** How far back `codeWindowStart` reads to learn where a window starts; a string longer is not seen. */
const LOOKBACK_CHARS = 64 * 1024;

/**
 * Where a window of `text` that would start at `start` has to start so that scanning it from code
 * reads it right: `start` itself when that is in code, else the opening of the string or comment
 * `start` falls in (a window that starts inside a docstring would read its closing quotes as an
 * opening, and the code after them as a string). Reads at most 64 KB before `start`.
 */
export function codeWindowStart(text: string, start: number, syntax: LexicalSyntax): number {
  if (start <= 0) return 0;
  const from = Math.max(0, start - LOOKBACK_CHARS);
  let lastCode = -1;
  const state = scanCode(text.slice(from, start), syntax, IN_CODE, (_ch, index) => (lastCode = index));
  // The string or comment opened right after the last character of code.
  return state.mode === 'code' ? start : from + lastCode + 1;
}
