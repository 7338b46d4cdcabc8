/**
 * Fitting a FIM prompt into the context window Ollama will run it with. Ollama does not refuse a
 * prompt longer than its window: it drops tokens from the start (after the first few, `num_keep`)
 * and answers. For FIM that start is the FIM control token, the file header and the oldest code,
 * so the model is left guessing. Facts this works from (ollama/ollama docs/api.md, docs/faq.md,
 * docs/context-length.mdx):
 * - The window is the request's `options.num_ctx`, else the Modelfile's `PARAMETER num_ctx`
 *   (`parameters` in `POST /api/show`), else the server's default: `OLLAMA_CONTEXT_LENGTH`,
 *   2048 before 2025, 4096 since, and more on servers with much VRAM. 2048 is the least of them.
 * - The model's trained limit is `<architecture>.context_length` in `model_info` of /api/show.
 * - A request whose `num_ctx` differs from the loaded model's reloads the model (seconds).
 *
 * So: a Modelfile's num_ctx is the user's choice (often for memory) and is never overridden, only
 * fitted into. With none, a prompt that fits the smallest default is sent as it always was. A
 * larger one asks for a window: a power of two, never less than one asked before for the model
 * (so consecutive requests do not reload it), never more than the model was trained for. What
 * still does not fit is cut from the start of the code before the cursor, at a line start.
 * A chat is fitted by the same rules (ollamaChatContext.ts).
 */

/** What /api/show says of a model, as far as it could be read. */
export interface OllamaModelFacts {
  /** The model's template takes `suffix` (the `insert` capability, or `.Suffix` in its template). */
  suffix: boolean;
  /** `<architecture>.context_length`: the most it was trained for. */
  contextLength?: number;
  /** The Modelfile's `PARAMETER num_ctx`. */
  numCtx?: number;
  /** The model thinks before it answers unless asked not to (the `thinking` capability). */
  thinking?: true;
}

/** The least default window of any Ollama release. */
export const SMALLEST_DEFAULT_WINDOW = 2048;
/** The least window asked for once one is asked for: the default of current releases. */
const LEAST_ASKED_WINDOW = 4096;
/** Control tokens a template adds around the prompt (FIM markers, BOS), with room to spare. */
export const TEMPLATE_TOKENS = 32;
/** Code tokenizes at 3.5–4.5 characters a token; fewer assumed, so a prompt is not thought smaller than it is. */
const ASCII_CHARS_PER_TOKEN = 3.5;
const LARGEST_SANE_WINDOW = 16 * 1024 * 1024;

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= LARGEST_SANE_WINDOW
    ? value
    : undefined;
}

/** Reads the facts from an /api/show answer; what is missing or malformed is left out. */
export function modelFacts(show: unknown): OllamaModelFacts {
  const data = (typeof show === 'object' && show !== null ? show : {}) as Record<string, unknown>;
  const capabilities = Array.isArray(data.capabilities) ? data.capabilities : [];
  const template = typeof data.template === 'string' ? data.template : '';
  const facts: OllamaModelFacts = { suffix: capabilities.includes('insert') || /\.Suffix\b/.test(template) };
  if (capabilities.includes('thinking')) facts.thinking = true;
  const info = typeof data.model_info === 'object' && data.model_info !== null ? data.model_info : {};
  const entries = info as Record<string, unknown>;
  const architecture = entries['general.architecture'];
  const contextLength =
    (typeof architecture === 'string' ? count(entries[`${architecture}.context_length`]) : undefined) ??
    count(Object.entries(entries).find(([key]) => key.endsWith('.context_length'))?.[1]);
  if (contextLength !== undefined) facts.contextLength = contextLength;
  const parameters = typeof data.parameters === 'string' ? data.parameters : '';
  const numCtx = count(Number(/^num_ctx\s+(\d+)\s*$/m.exec(parameters)?.[1]));
  if (numCtx !== undefined) facts.numCtx = numCtx;
  return facts;
}

/** Characters enough to hold `tokens` tokens or more: what to cut from text to take that many out of it. */
export function charsHolding(tokens: number): number {
  // Each character cut takes at least 1/3.5 of a token with it (see tokensAtMost).
  return Math.ceil(tokens * ASCII_CHARS_PER_TOKEN);
}

/** At least as many tokens as `text` takes in a code model's tokenizer, as far as one can tell without it. */
export function tokensAtMost(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) ascii++;
    // A surrogate pair is one character: counted once, at its high half.
    else if (code < 0xdc00 || code > 0xdfff) other++;
  }
  return Math.ceil(ascii / ASCII_CHARS_PER_TOKEN) + other;
}

/** The FIM text of one request: a prefix and suffix, or a whole raw prompt and how to cut its prefix. */
export interface FimText {
  prefix: string;
  suffix: string;
  /** The raw-template prompt, when that is what is sent. */
  raw?: string;
  /** The raw prompt built again with the prefix's first `chars` characters (or more, to a line start) left out. */
  rawCut?: (chars: number) => string;
}

export interface FittedFim extends FimText {
  /** `options.num_ctx` to send; undefined sends none. */
  numCtx?: number;
  /** Characters cut from the start of the prefix (0 when it fitted). */
  cutChars: number;
}

/** `text` without at least its first `chars` characters: to the next line start, if there is one. */
export function dropStart(text: string, chars: number): string {
  if (chars <= 0) return text;
  if (chars >= text.length) return '';
  const lineStart = text[chars - 1] === '\n' ? chars : text.indexOf('\n', chars) + 1;
  return text.slice(lineStart > 0 ? lineStart : chars);
}

function smallestPowerOfTwoAtLeast(value: number): number {
  let power = 1;
  while (power < value) power *= 2;
  return power;
}

/** The window a request runs in, and the `num_ctx` to send for it (undefined sends none). */
export interface OllamaWindow {
  window: number;
  numCtx?: number;
}

/**
 * The window for a request that needs `needed` tokens (prompt, answer and template). `askedBefore`
 * is the num_ctx this client last sent for the model, if any: a window once asked for is kept, or
 * the model would reload.
 */
export function windowFor(needed: number, facts: OllamaModelFacts, askedBefore: number | undefined): OllamaWindow {
  if (facts.numCtx !== undefined) return { window: facts.numCtx };
  if (askedBefore === undefined && needed <= SMALLEST_DEFAULT_WINDOW) return { window: SMALLEST_DEFAULT_WINDOW };
  let numCtx = Math.max(askedBefore ?? 0, LEAST_ASKED_WINDOW, smallestPowerOfTwoAtLeast(needed));
  if (facts.contextLength !== undefined) numCtx = Math.min(numCtx, facts.contextLength);
  return { window: numCtx, numCtx };
}

/** The request fitted to the window Ollama will give it (see `windowFor`). */
export function fitToContext(
  text: FimText,
  maxTokens: number,
  facts: OllamaModelFacts,
  askedBefore: number | undefined,
): FittedFim {
  const promptOf = (fim: FimText) => fim.raw ?? fim.prefix + fim.suffix;
  const needed = tokensAtMost(promptOf(text)) + maxTokens + TEMPLATE_TOKENS;
  const { window, numCtx } = windowFor(needed, facts, askedBefore);
  const over = needed - window;
  if (over <= 0) return { ...text, numCtx, cutChars: 0 };
  const cutChars = charsHolding(over);
  // Beyond the whole prefix nothing is cut: the server's own truncation is all that is left.
  if (cutChars >= text.prefix.length) return { ...text, numCtx, cutChars: 0 };
  const prefix = dropStart(text.prefix, cutChars);
  const cut = text.prefix.length - prefix.length;
  if (text.raw !== undefined) {
    if (!text.rawCut) return { ...text, numCtx, cutChars: 0 };
    return { ...text, prefix, raw: text.rawCut(cut), numCtx, cutChars: cut };
  }
  return { ...text, prefix, numCtx, cutChars: cut };
}
