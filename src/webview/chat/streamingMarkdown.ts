/**
 * Renders an answer while it streams, in time linear in its length.
 *
 * The container holds finished top-level blocks (rendered once, never touched again) followed by
 * the unfinished tail. The tail — the text from the last settled block boundary — is re-parsed
 * with markdown-it, but only once the text that arrived since its last render is at least
 * 1/TAIL_RATIO of it; until then that text is shown as plain text. Each render costs the tail's
 * length, so the total parsing is at most TAIL_RATIO × the answer (plus each closed code block
 * once). In a browser a catch-up render is also scheduled for the next animation frame, so the
 * plain-text stretch lasts at most a frame; that adds at most one tail render per frame.
 *
 * A top-level fenced code block is not re-parsed at all while open: its text goes straight into
 * the `<code>` element as text nodes, and the block is parsed and highlighted once when its
 * closing fence arrives (or at `finish`).
 */
import type { Env, Token } from 'markdown-it';
import { fenceLanguage } from './highlight';
import type { RenderHooks } from './markdown';
import { attachMarkdownHooks } from './markdownEvents';
import { codeBlockHtml, parseMarkdown, renderTokens, topLevelBlocks, type TopLevelBlock } from './markdownRenderer';

/** The tail is re-parsed once the unrendered text reaches 1/TAIL_RATIO of it. */
export const TAIL_RATIO = 4;

/** Text appended to one streaming code text node before a new one starts (bounds each copy). */
const CODE_NODE_CHARS = 1024;
/** A line longer than this is taken not to be a closing fence while streaming (`finish` re-checks). */
const MAX_CLOSING_LINE = 200;
const CLOSING_PREFIX = /^ {0,3}(?:`*|~*)[ \t]*$/;

/**
 * Elements the plain-text preview may descend into to sit at the end of the last block. Not a
 * code block: text after a closed fence must not look like code.
 */
const DESCEND = new Set(['ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tr']);
const LEAF_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'td', 'th']);

export interface StreamingOptions {
  /**
   * Schedules a catch-up render of the tail (default: `requestAnimationFrame` where it exists;
   * `null`: never, so only the linear-cost policy renders).
   */
  scheduleFrame?: ((render: () => void) => void) | null;
}

/** An open top-level fenced code block, filled as text while it streams. */
interface OpenFence {
  /** Its markdown so far, from the opening fence line on. */
  source: string;
  marker: string;
  length: number;
  indent: number;
  nodes: ChildNode[];
  code: Element;
  lastText: Text | undefined;
  /** Lines already shown: a new line starts with "\n" unless it is the first. */
  lines: number;
  atLineStart: boolean;
  indentLeft: number;
  /** The current line while it could still be a closing fence. */
  closing: string | undefined;
}

export class StreamingMarkdown {
  readonly #container: HTMLElement;
  readonly #scheduleFrame: ((render: () => void) => void) | null;
  #text = '';
  /** A chunk's trailing "\r", held back in case the next chunk starts with "\n". */
  #heldCr = false;
  #references: NonNullable<Env['references']> = {};
  /** The unfinished markdown, from the last settled block boundary (outside an open fence). */
  #tail = '';
  #unrendered = 0;
  #tailNodes: ChildNode[] = [];
  #preview: HTMLElement | undefined;
  #previewText: Text | undefined;
  #fence: OpenFence | undefined;
  #frameScheduled = false;
  #finished = false;
  #parsedChars = 0;

  constructor(container: HTMLElement, hooks: RenderHooks, options: StreamingOptions = {}) {
    this.#container = container;
    attachMarkdownHooks(container, hooks);
    const hasFrames = typeof (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame === 'function';
    this.#scheduleFrame =
      options.scheduleFrame !== undefined
        ? options.scheduleFrame
        : hasFrames
          ? (render) => void globalThis.requestAnimationFrame(render)
          : null;
  }

  /** Everything appended so far, as given. */
  get text(): string {
    return this.#text;
  }

  /** Characters handed to the markdown parser so far: the work the linear bound is about. */
  get parsedChars(): number {
    return this.#parsedChars;
  }

  append(chunk: string): void {
    if (this.#finished) throw new Error('StreamingMarkdown.append after finish');
    if (!chunk) return;
    this.#text += chunk;
    let normal = this.#heldCr ? `\r${chunk}` : chunk;
    this.#heldCr = normal.endsWith('\r');
    if (this.#heldCr) normal = normal.slice(0, -1);
    // markdown-it turns "\r\n" and "\r" into "\n"; line numbers below must agree with its.
    this.#feed(normal.replace(/\r\n?/g, '\n'));
  }

  /** The answer ended (complete, stopped or failed): renders the tail as final. */
  finish(): void {
    if (this.#finished) return;
    if (this.#heldCr) this.#feed('\n');
    this.#finished = true;
    if (this.#fence) this.#closeFence(this.#fence);
    else if (this.#tail) this.#renderTail(true);
    this.#removePreview();
  }

  #feed(chunk: string): void {
    if (!chunk) return;
    const fence = this.#fence;
    if (fence) {
      const rest = this.#feedFence(fence, chunk);
      if (rest === undefined) return;
      this.#closeFence(fence);
      if (!rest) return;
      chunk = rest;
    }
    this.#tail += chunk;
    this.#unrendered += chunk.length;
    if (this.#unrendered * TAIL_RATIO >= this.#tail.length) {
      this.#renderTail(false);
    } else {
      this.#showPreview(chunk);
      this.#scheduleCatchUp();
    }
  }

  #scheduleCatchUp(): void {
    if (!this.#scheduleFrame || this.#frameScheduled) return;
    this.#frameScheduled = true;
    this.#scheduleFrame(() => {
      this.#frameScheduled = false;
      if (!this.#finished && !this.#fence && this.#unrendered > 0) this.#renderTail(false);
    });
  }

  /** Re-parses the tail, settles the blocks no later text can change, and redraws the rest. */
  #renderTail(final: boolean): void {
    const src = this.#tail;
    const env: Env = { references: { ...this.#references } };
    const tokens = parseMarkdown(src, env);
    this.#parsedChars += src.length;
    const blocks = topLevelBlocks(tokens);
    const lineStarts = lineStartsOf(src);
    // Lines before this one are complete; the last (maybe empty) one may still change.
    const openLine = lineStarts.length - 1;
    const last = blocks[blocks.length - 1];

    // Blocks before `keep` are settled; final: all of them.
    let keep = final ? blocks.length : 0;
    const fence = final || !last ? undefined : openFenceOf(tokens, last, src, lineStarts, openLine);
    if (fence) {
      // Nothing before a complete opening fence line can change any more.
      keep = blocks.length - 1;
    } else if (!final) {
      // A boundary is settled once the line that starts the next block and the line after it are
      // complete: a table's delimiter row or a setext underline looks one line ahead.
      for (let i = blocks.length - 1; i > 0 && !keep; i--) {
        if ((blocks[i]?.firstLine ?? 0) + 1 < openLine) keep = i;
      }
    }
    const cut = blocks[keep];
    const settledChars = cut ? (lineStarts[cut.firstLine] ?? 0) : final ? src.length : 0;

    this.#removePreview();
    for (const node of this.#tailNodes) node.remove();
    this.#tailNodes = [];
    const settledTokens = cut ? tokens.slice(0, cut.start) : final ? tokens : [];
    if (settledTokens.length) this.#container.append(...this.#nodes(renderTokens(settledTokens, env)));
    if (settledChars > 0 && Object.keys(env.references ?? {}).length > Object.keys(this.#references).length) {
      this.#settleReferences(src.slice(0, settledChars));
    }
    this.#tail = src.slice(settledChars);
    this.#unrendered = 0;
    if (!cut) return;

    if (fence) {
      const rest = this.#openFence(fence, src, lineStarts, cut);
      if (rest === undefined) return;
      // Only if this file and markdown-it disagree on a closing fence: follow this file.
      this.#closeFence(this.#fence ?? fail('no open fence'));
      if (rest) this.#feed(rest);
      return;
    }
    this.#tailNodes = this.#nodes(renderTokens(tokens.slice(cut.start), env));
    this.#container.append(...this.#tailNodes);
  }

  /** Link reference definitions in settled text stay known to later blocks. */
  #settleReferences(settled: string): void {
    const env: Env = { references: { ...this.#references } };
    parseMarkdown(settled, env);
    this.#parsedChars += settled.length;
    this.#references = env.references ?? {};
  }

  /** Starts streaming the block's code as text; returns what `#feedFence` returns for the code so far. */
  #openFence(token: Token, src: string, lineStarts: readonly number[], block: TopLevelBlock): string | undefined {
    const bodyStart = lineStarts[block.firstLine + 1] ?? src.length;
    const openingLine = src.slice(lineStarts[block.firstLine] ?? 0, bodyStart);
    const nodes = this.#nodes(codeBlockHtml('', fenceLanguage(token.info), false));
    const code = nodes.map((node) => (node as Element).querySelector?.('code')).find((element) => element);
    if (!code) throw new Error('code block markup without <code>');
    const fence: OpenFence = {
      source: openingLine,
      marker: token.markup.charAt(0),
      length: token.markup.length,
      indent: /^ */.exec(openingLine)?.[0].length ?? 0,
      nodes,
      code,
      lastText: undefined,
      lines: 0,
      atLineStart: true,
      indentLeft: 0,
      closing: '',
    };
    fence.indentLeft = fence.indent;
    this.#fence = fence;
    this.#tail = '';
    this.#container.append(...nodes);
    this.#tailNodes = nodes;
    return this.#feedFence(fence, src.slice(bodyStart));
  }

  /**
   * Shows `chunk` in the open code block. Returns the text after the closing fence line if the
   * chunk closes the block, else undefined.
   */
  #feedFence(fence: OpenFence, chunk: string): string | undefined {
    let from = 0;
    while (from < chunk.length) {
      const newline = chunk.indexOf('\n', from);
      const end = newline === -1 ? chunk.length : newline;
      let shown = chunk.slice(from, end);
      if (fence.closing !== undefined) {
        fence.closing += shown;
        if (fence.closing.length > MAX_CLOSING_LINE || !CLOSING_PREFIX.test(fence.closing)) fence.closing = undefined;
      }
      let strip = 0;
      while (fence.indentLeft > 0 && strip < shown.length && shown.charCodeAt(strip) === 0x20) {
        strip++;
        fence.indentLeft--;
      }
      if (strip < shown.length) fence.indentLeft = 0;
      shown = shown.slice(strip);
      if (fence.atLineStart && (shown || newline !== -1)) {
        if (fence.lines > 0) shown = `\n${shown}`;
        fence.atLineStart = false;
        fence.lines++;
      }
      this.#showCode(fence, shown);
      if (newline === -1) {
        fence.source += chunk.slice(from);
        return undefined;
      }
      fence.source += chunk.slice(from, newline + 1);
      from = newline + 1;
      if (fence.closing !== undefined && isClosingFence(fence.closing, fence.marker, fence.length)) {
        return chunk.slice(from);
      }
      fence.atLineStart = true;
      fence.indentLeft = fence.indent;
      fence.closing = '';
    }
    return undefined;
  }

  #showCode(fence: OpenFence, text: string): void {
    if (!text) return;
    if (fence.lastText && fence.lastText.length < CODE_NODE_CHARS) {
      fence.lastText.appendData(text);
    } else {
      fence.lastText = this.#container.ownerDocument.createTextNode(text);
      fence.code.append(fence.lastText);
    }
  }

  /** Parses and highlights the whole block once, replacing its streaming form; it is then settled. */
  #closeFence(fence: OpenFence): void {
    const env: Env = { references: { ...this.#references } };
    const tokens = parseMarkdown(fence.source, env);
    this.#parsedChars += fence.source.length;
    const nodes = this.#nodes(renderTokens(tokens, env));
    const anchor = fence.nodes[0];
    if (anchor) anchor.before(...nodes);
    else this.#container.append(...nodes);
    for (const node of fence.nodes) node.remove();
    this.#fence = undefined;
    this.#tailNodes = [];
    this.#tail = '';
    this.#unrendered = 0;
  }

  /** Shows text not yet parsed as plain text at the end of the last block, until the next render. */
  #showPreview(chunk: string): void {
    if (!this.#previewText) {
      const document = this.#container.ownerDocument;
      this.#preview = document.createElement('span');
      this.#preview.className = 'md-pending';
      this.#previewText = document.createTextNode('');
      this.#preview.append(this.#previewText);
      previewParent(this.#tailNodes, this.#container).append(this.#preview);
    }
    this.#previewText.appendData(chunk);
  }

  #removePreview(): void {
    this.#preview?.remove();
    this.#preview = undefined;
    this.#previewText = undefined;
  }

  /** Nodes for sanitized markup from markdownRenderer (never for raw model text). */
  #nodes(html: string): ChildNode[] {
    const holder = this.#container.ownerDocument.createElement('div');
    holder.innerHTML = html;
    return Array.from(holder.childNodes);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

function lineStartsOf(src: string): number[] {
  const starts = [0];
  for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The last block's fence token if it is a top-level fence whose opening line is complete and which has not closed. */
function openFenceOf(
  tokens: readonly Token[],
  block: TopLevelBlock,
  src: string,
  lineStarts: readonly number[],
  openLine: number,
): Token | undefined {
  const token = tokens[block.start];
  if (token?.type !== 'fence' || block.firstLine >= openLine) return undefined;
  const lastLine = block.endLine - 1;
  if (lastLine > block.firstLine) {
    const line = src.slice(lineStarts[lastLine] ?? src.length, lineStarts[lastLine + 1] ?? src.length);
    if (isClosingFence(line.replace(/\n$/, ''), token.markup.charAt(0), token.markup.length)) return undefined;
  }
  return token;
}

function isClosingFence(line: string, marker: string, length: number): boolean {
  const match = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  return !!match?.[1] && match[1].charAt(0) === marker && match[1].length >= length;
}

/** Where the plain-text preview goes: inside the last block's innermost text block. */
function previewParent(tailNodes: readonly ChildNode[], container: HTMLElement): Element {
  let target: Element | undefined;
  for (let i = tailNodes.length - 1; i >= 0 && !target; i--) {
    const node = tailNodes[i];
    if (node?.nodeType === 1) target = node as Element;
  }
  if (!target || !(DESCEND.has(target.localName) || LEAF_BLOCKS.has(target.localName))) return container;
  for (;;) {
    const child: Element | null = target.lastElementChild;
    if (!child || !DESCEND.has(target.localName)) break;
    if (!DESCEND.has(child.localName) && !LEAF_BLOCKS.has(child.localName)) break;
    target = child;
  }
  return target;
}
