/**
 * The one markdown-it configuration the chat uses, and the rendering rules that make model output
 * inert: raw HTML is escaped (`html: false`), links become `<a data-href>` with no `href` (the
 * host opens them), images become their alt text, code blocks become class-highlighted `<pre>`
 * with a toolbar. Nothing here emits a `style`, `src`, `href` or event-handler attribute.
 */
import MarkdownIt from 'markdown-it';
import type { Env, Token } from 'markdown-it';
import { fenceLanguage, highlightCode } from './highlight';
import { isAllowedLinkTarget } from './markdownLinks';
import { hiddenDirectionWarning } from '../../core/chat/hiddenDirection';

/** The buttons of a code block's toolbar, in order; `data-code-action` carries the action. */
export const CODE_ACTIONS = [
  { action: 'copy', label: 'Copy', ariaLabel: 'Copy code' },
  { action: 'insert', label: 'Insert', ariaLabel: 'Insert code at cursor' },
  { action: 'replace', label: 'Replace', ariaLabel: 'Replace selection with code' },
] as const;

export type CodeAction = (typeof CODE_ACTIONS)[number]['action'];

const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: false });
const { escapeHtml } = md.utils;

// markdown-it calls this for link, autolink, linkify and image targets and for reference
// definitions; a refused target stays literal text.
md.validateLink = isAllowedLinkTarget;

/** Attributes markdown-it's own rules may set that are harmless to keep (`<ol start>`). */
const KEPT_ATTRIBUTES = new Set(['start']);
const ALIGN = /^text-align:(left|center|right)$/;

/**
 * Table cells carry `style="text-align:…"`, which the CSP would block anyway: turn it into a class.
 * Any other attribute on a non-link token is dropped, so a future rule cannot add one unnoticed.
 */
md.core.ruler.push('switchboard_attributes', (state) => {
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.children) visit(token.children);
      if (!token.attrs || token.type === 'link_open' || token.type === 'image') continue;
      const align = ALIGN.exec(String(token.attrGet('style') ?? ''));
      token.attrs = token.attrs.filter(([name]) => KEPT_ATTRIBUTES.has(name));
      if (align) token.attrJoin('class', `md-align-${align[1]}`);
    }
  };
  visit(state.tokens);
});

/**
 * A table markdown-it would pad far past its own text (every row gets the header's columns: 181
 * of them over 362 one-cell rows is 65,000 cells from 1.4 KB, seconds to parse and to lay out) is
 * shown as that text, in a plain block, before any cell is made. A real table has no more cells
 * than characters of source; twice that is allowed.
 */
const MAX_CELLS_PER_CHAR = 2;
const MIN_CELL_ALLOWANCE = 200;
const DELIMITER_ROW = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

md.block.ruler.before(
  'table',
  'switchboard_table_size',
  (state, startLine, endLine, silent) => {
    if (startLine + 2 > endLine || state.sCount[startLine]! - state.blkIndent >= 4) return false;
    const text = (line: number) => state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
    const header = text(startLine);
    const delimiter = text(startLine + 1);
    if (!header.includes('|') || !DELIMITER_ROW.test(delimiter)) return false;
    const columns = delimiter
      .replace(/^\|/, '')
      .replace(/\|\s*$/, '')
      .split('|').length;
    let line = startLine + 2;
    let length = header.length + delimiter.length;
    while (line < endLine && !state.isEmpty(line)) length += text(line++).length;
    const rows = line - startLine - 1;
    if (columns * rows <= MIN_CELL_ALLOWANCE + MAX_CELLS_PER_CHAR * length) return false;
    if (silent) return true;
    const plain = state.push('code_block', 'code', 0);
    plain.content = `${state.getLines(startLine, line, state.blkIndent, false)}`;
    plain.map = [startLine, line];
    state.line = line;
    return true;
  },
  { alt: ['paragraph', 'reference'] },
);

/**
 * Link targets are copied into the page with each use: one long reference link written thousands
 * of times would make hundreds of megabytes. Past this many characters of targets in one render,
 * further links are plain text.
 */
const MAX_LINK_CHARS = 100_000;

md.core.ruler.push('switchboard_link_budget', (state) => {
  let spent = 0;
  for (const block of state.tokens) {
    const children = block.children ?? [];
    for (let i = 0; i < children.length; i++) {
      const token = children[i]!;
      if (token.type !== 'link_open') continue;
      spent += String(token.attrGet('href') ?? '').length;
      if (spent <= MAX_LINK_CHARS) continue;
      // The link's text stays; its open and close become nothing.
      let depth = 0;
      for (let j = i; j < children.length; j++) {
        const inner = children[j]!;
        if (inner.type === 'link_open') depth++;
        else if (inner.type === 'link_close') depth--;
        else continue;
        Object.assign(inner, { type: 'text', tag: '', content: '', attrs: null, nesting: 0 });
        if (depth === 0) break;
      }
    }
  }
});

const rules = md.renderer.rules;

rules.link_open = (tokens, idx) => {
  const token = tokens[idx];
  const href = String(token?.attrGet('href') ?? '');
  // The tooltip is the only preview of where a link goes: it shows the target itself, never a
  // title the answer chose ("https://nodejs.org/api/" over a link to a local admin page).
  return `<a class="md-link" role="link" tabindex="0" data-href="${escapeHtml(href)}" title="${escapeHtml(href)}">`;
};
rules.link_close = () => '</a>';

// Images are never loaded (the CSP would refuse them too): the alt text stands in.
rules.image = (tokens, idx, options, env, renderer) => {
  const alt = renderer.renderInlineAsText(tokens[idx]?.children ?? [], options, env);
  return `<span class="md-image">[image: ${escapeHtml(alt)}]</span>`;
};

rules.fence = (tokens, idx) => {
  const token = tokens[idx];
  return codeBlockHtml(withoutFinalNewline(token?.content ?? ''), fenceLanguage(token?.info ?? ''), true);
};
rules.code_block = (tokens, idx) => codeBlockHtml(withoutFinalNewline(tokens[idx]?.content ?? ''), undefined, true);

// `html: false` means these tokens are never produced; escaping them anyway keeps it so if an
// option is ever flipped.
rules.html_block = (tokens, idx) => `<p>${escapeHtml(tokens[idx]?.content ?? '')}</p>\n`;
rules.html_inline = (tokens, idx) => escapeHtml(tokens[idx]?.content ?? '');

function withoutFinalNewline(code: string): string {
  return code.endsWith('\n') ? code.slice(0, -1) : code;
}

/**
 * A code block: toolbar, then `<pre><code>`. The `<code>` element's text is exactly the raw code
 * (highlight.js only wraps it in spans), which is what the toolbar buttons hand to the host.
 */
export function codeBlockHtml(code: string, language: string | undefined, highlight: boolean): string {
  const highlighted = highlight ? highlightCode(code, language) : undefined;
  const body = highlighted ?? escapeHtml(code);
  const languageClass = language ? ` language-${language}` : '';
  const languageData = language ? ` data-lang="${escapeHtml(language)}"` : '';
  const languageLabel = language ? `<span class="md-code-lang">${escapeHtml(language)}</span>` : '';
  const hidden = hiddenDirectionWarning(code);
  const warning = hidden
    ? `<span class="md-code-warning" role="note" title="${escapeHtml(hidden)}">⚠ hidden characters</span>`
    : '';
  const buttons = CODE_ACTIONS.map(
    ({ action, label, ariaLabel }) =>
      `<button type="button" class="md-code-button" data-code-action="${action}" aria-label="${ariaLabel}" title="${ariaLabel}">${label}</button>`,
  ).join('');
  return (
    `<div class="md-code"${languageData}><div class="md-code-toolbar">${languageLabel}${warning}${buttons}</div>` +
    `<pre><code class="hljs${languageClass}">${body}</code></pre></div>\n`
  );
}

/** Renders a complete markdown text to sanitized HTML; as escaped text if rendering fails. */
export function renderMarkdown(text: string): string {
  try {
    return md.render(text, {});
  } catch {
    // An answer must never take the conversation's later turns down with it.
    return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
  }
}

/** Block tokens of `src`; `env.references` collects (and supplies) link reference definitions. */
export function parseMarkdown(src: string, env: Env): Token[] {
  return md.parse(src, env);
}

/** HTML for a run of block tokens, as `renderMarkdown` would produce it for them. */
export function renderTokens(tokens: Token[], env: Env): string {
  return md.renderer.render(tokens, md.options, env);
}

/** One top-level block: its tokens are `tokens.slice(start, end)`, its source lines `[firstLine, endLine)`. */
export interface TopLevelBlock {
  start: number;
  end: number;
  firstLine: number;
  endLine: number;
}

/** Splits a token stream into its top-level blocks (paragraph, list, fence, table…). */
export function topLevelBlocks(tokens: readonly Token[]): TopLevelBlock[] {
  const blocks: TopLevelBlock[] = [];
  let start = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token || token.level !== 0) continue;
    if (token.nesting === 1) {
      start = i;
      continue;
    }
    const first = token.nesting === 0 ? i : start;
    const map = tokens[first]?.map;
    if (map) blocks.push({ start: first, end: i + 1, firstLine: map[0], endLine: map[1] });
  }
  return blocks;
}
