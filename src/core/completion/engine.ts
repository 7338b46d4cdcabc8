/**
 * Turns a document and a cursor into ghost text, spending as few requests as it can. Knows nothing
 * of VS Code: documents arrive as text, an offset and a language id.
 *
 * Order of the checks on each keystroke, cheapest first:
 *   1. policy: disabled, snoozed, language off, untitled, file too large, mid-word → nothing;
 *   2. type-ahead: the user is typing what an earlier answer says → the rest of it, no request;
 *   3. in flight: a request started for an earlier point of this typing may still match → wait for it;
 *   4. debounce on the user's typing rhythm; a newer keystroke cancels the wait, no request sent;
 *   5. cache, keyed on everything that decides the answer (backend, model, template, prompt);
 *   6. a request, kept alive while later keystrokes still match it and aborted once stale.
 */
import { createHash } from 'node:crypto';
import { cleanHoleFillAnswer } from '../providers/holeFillPrompt';
import { dropStart } from '../providers/ollamaContext';
import { ProviderError } from '../providers/providerError';
import type { FimRequest, FimResult } from '../providers/types';
import { sleep, systemClock, type Clock } from '../clock';
import { promptPath } from '../fsPaths/promptPath';
import { templateForModel, type FimTemplate, type TemplateId } from './fimTemplates';
import { unwrapChatAnswer } from './chatAnswer';
import { closersReplaced } from './closersReplaced';
import { cutAtControlTokens } from './leakedTokens';
import { LruCache } from './lruCache';
import { completionShape, type CompletionShape } from './multiline';
import { postProcess } from './postprocess';
import { readCursor, type Cursor } from './postprocessCursor';
import { documentIndentStyle, reindent, type IndentStyle } from './reindent';
import { buildPrompt, type BuiltPrompt, type ContextSnippet, type PromptOrder } from './prompt';
import { skipReason, type RequestPolicy, type SkipReason } from './requestPolicy';
import { codeWindowStart, syntaxFor } from './codeScan';
import { settledAnswer } from './settledAnswer';
import { repeatsWhatFollows } from './suffixOverlap';
import { keyKind, SEND_AT_ONCE_SHARE, TypingRhythm, type CompletionSpeed } from './typingRhythm';
import { toLf } from './whitespace';

export interface CompletionSettings extends RequestPolicy {
  /** Prompt budget in tokens, context snippets and suffix included. */
  promptTokens: number;
  /** Most tokens a multi-line answer may have; single-line answers get at most 64. */
  maxTokens: number;
  /** Most lines a multi-line completion shows. */
  maxLines: number;
  /** A fixed debounce in milliseconds; undefined adapts to the user's typing. */
  debounceMs: number | undefined;
  /** Overrides the FIM template chosen from the model id. */
  template: TemplateId | undefined;
  /** Requests sent for a manual trigger, whose answers the user cycles through. */
  manualCandidates: number;
  /**
   * Serve from earlier answers: type-ahead, a request still in flight, the cache. Off only to
   * measure what reuse saves (the benchmarks' baseline).
   */
  reuse: boolean;
  /**
   * How eagerly automatic completion asks where this user tends to pause (see SEND_AT_ONCE_SHARE):
   * faster ghost text at more pauses for more requests, or the other way round.
   */
  speed: CompletionSpeed;
  /** 'legacy' lays prompts out as before prompt-cache ordering; only the benchmark's baseline sets it. */
  promptOrder?: PromptOrder;
}

export const DEFAULT_COMPLETION_SETTINGS: CompletionSettings = {
  enabled: true,
  languages: {},
  maxFileChars: 500_000,
  skipUntitled: false,
  snoozedUntil: 0,
  promptTokens: 1_500,
  maxTokens: 128,
  maxLines: 12,
  debounceMs: undefined,
  template: undefined,
  manualCandidates: 2,
  reuse: true,
  speed: 'balanced',
};

export interface CompletionInput {
  /** Identifies the document (its URI): type-ahead and in-flight reuse never cross documents. */
  documentId: string;
  text: string;
  offset: number;
  languageId: string;
  /** Workspace-relative path, for the prompt header and repo-level templates. */
  path?: string;
  untitled?: boolean;
  /** 'invoke' is an explicit request: no debounce, several candidates. */
  trigger: 'automatic' | 'invoke';
  /** Candidate context from other files; called only when a prompt is actually built. */
  snippets?: () => readonly ContextSnippet[];
  /** How the editor indents this document; when absent, answers are fitted to the text before the cursor. */
  indentation?: IndentStyle;
}

/** The backend as the engine needs it: an identity for the cache and a FIM call. */
export interface CompletionBackend {
  /** Distinguishes backends in the cache (the provider id). */
  id: string;
  model: string;
  fim(request: FimRequest): Promise<FimResult>;
}

export type SuggestionSource = 'request' | 'cache' | 'type-ahead' | 'in-flight';

export interface Suggestion {
  /** Text to insert at the cursor. */
  insertText: string;
  /** Whether the text spans several lines. */
  multiline: boolean;
  source: SuggestionSource;
  /** Characters after the cursor the text replaces (closers the editor inserted on its own). */
  replaceAfter?: number;
}

export type EngineEvent =
  | { type: 'skipped'; reason: SkipReason }
  | { type: 'debounce-cancelled' }
  | { type: 'request' }
  | { type: 'request-aborted' }
  | { type: 'held' }
  | { type: 'served'; source: SuggestionSource }
  | { type: 'empty' };

/** Counts kept for the replay benchmark and the log. */
export interface EngineStats {
  requests: number;
  aborted: number;
  debounceCancelled: number;
  served: Record<SuggestionSource, number>;
  skipped: number;
}

interface Remembered {
  /** Backend and model that gave the answer: another model would answer differently. */
  source: string;
  documentId: string;
  /** Offset of the cursor the answer was made for. */
  offset: number;
  /** Text just before and after that cursor, to tell the document has not changed around it. */
  before: string;
  after: string;
  text: string;
  multiline: boolean;
  /**
   * Whole lines the model gave after the shown text (the shown text is its first line, say): kept
   * for type-ahead only, so typing on across Enter is served without a new request.
   */
  more: string;
}

interface Flight extends Omit<Remembered, 'text' | 'more'> {
  controller: AbortController;
  waiters: number;
  graceTimer: unknown;
  /** The ghost text, which a streamed answer settles before it ends. */
  answer: Promise<string>;
  /** Whether `answer` is settled while the rest still streams in. */
  shown: boolean;
  /** Settles when the backend's answer has ended, one way or the other. */
  done: Promise<void>;
}

export interface EngineDependencies {
  settings: () => CompletionSettings;
  clock?: Clock;
  /** How long an abandoned in-flight request lives on in case the next keystroke still matches it. */
  staleAfterMs?: number;
  onEvent?: (event: EngineEvent) => void;
  /**
   * Asked before an automatic request goes to the backend (after type-ahead, debounce and cache):
   * may wait, and false sends nothing. Completion's gears hold requests here (throttle.ts).
   */
  beforeRequest?: (backend: CompletionBackend, signal: AbortSignal) => Promise<boolean>;
}

const ANCHOR_CHARS = 256;
const REMEMBERED = 16;
const SINGLE_LINE_TOKENS = 64;
/**
 * A streamed answer is judged line by line only this far: past it nothing more is shown early and
 * the engine waits for the end. An answer runs to a few hundred tokens; a server that ignores
 * `max_tokens` and streams megabytes must not cost a judgement per line (each reads all of it).
 */
const MAX_JUDGED_CHARS = 16 * 1024;
const MAX_JUDGED_LINES = 200;
/** What of an answer is post-processed at all: ghost text is a few lines, type-ahead a dozen more. */
const MAX_ANSWER_CHARS = 64 * 1024;

export class CompletionEngine {
  readonly stats: EngineStats = {
    requests: 0,
    aborted: 0,
    debounceCancelled: 0,
    served: { request: 0, cache: 0, 'type-ahead': 0, 'in-flight': 0 },
    skipped: 0,
  };
  private readonly clock: Clock;
  private readonly cache: LruCache<string>;
  /** Per cache key: the lines after the shown text the model gave too (`Remembered.more`). */
  private readonly moreByKey: LruCache<string>;
  private readonly rhythm = new TypingRhythm();
  private readonly remembered: Remembered[] = [];
  private flight: Flight | undefined;
  private lastKey: { documentId: string; offset: number; length: number } | undefined;

  constructor(private readonly deps: EngineDependencies) {
    this.clock = deps.clock ?? systemClock;
    this.cache = new LruCache(100, 5 * 60_000, this.clock);
    this.moreByKey = new LruCache(100, 5 * 60_000, this.clock);
  }

  /** Suggestions for the cursor, best first; empty when there is nothing to show. Rejects with a ProviderError when the backend fails. */
  async complete(input: CompletionInput, backend: CompletionBackend, signal: AbortSignal): Promise<Suggestion[]> {
    const settings = this.deps.settings();
    const now = this.clock.now();
    const offset = Math.max(0, Math.min(input.offset, input.text.length));
    const at = { ...input, offset };
    if (input.trigger === 'automatic') this.noteKeystroke(at, now);

    const reason = skipReason(settings, at, now);
    if (reason && !(input.trigger === 'invoke' && reason === 'mid-word')) {
      this.stats.skipped++;
      this.emit({ type: 'skipped', reason });
      return [];
    }
    if (input.trigger === 'invoke') return this.invoke(at, backend, settings, signal);

    const ahead = settings.reuse ? this.typeAhead(at, backend) : undefined;
    if (ahead) return this.serve(ahead.text, 'type-ahead', ahead.replaceAfter);

    const flight = this.flight;
    if (flight && settings.reuse && this.continues(flight, at, backend)) {
      // Answers are kept with \n; a Windows file's Enter inserted \r\n.
      const typed = toLf(at.text.slice(flight.offset, offset));
      const answer = await this.waitFor(flight, signal);
      if (answer === undefined) return [];
      if (answer.length > typed.length && answer.startsWith(typed))
        return this.serve(answer.slice(typed.length), 'in-flight', closersReplaced(answer.slice(typed.length), at));
      // All the ghost text typed while the rest of the answer still streams: the next lines come
      // with it (type-ahead across Enter), so wait for them rather than ask again.
      if (flight.shown && typed.startsWith(answer) && this.flight === flight) {
        if (!(await settles(flight.done, signal))) return [];
        const rest = this.typeAhead(at, backend);
        if (rest) return this.serve(rest.text, 'type-ahead', rest.replaceAfter);
      }
    } else if (flight) {
      this.abortFlight(flight);
    }

    const delay =
      settings.debounceMs ??
      this.rhythm.delayMs(
        keyKind(at.text.slice(Math.max(0, offset - 200), offset)),
        SEND_AT_ONCE_SHARE[settings.speed] ?? SEND_AT_ONCE_SHARE.balanced,
      );
    if (!(await sleep(this.clock, delay, signal))) {
      this.stats.debounceCancelled++;
      this.emit({ type: 'debounce-cancelled' });
      return [];
    }

    const plan = this.plan(at, backend, settings, 0);
    const cached = settings.reuse ? this.cache.get(plan.key) : undefined;
    if (cached !== undefined) {
      this.remember(at, backend, cached, plan.multiline, this.moreByKey.get(plan.key));
      return this.serve(cached, 'cache', closersReplaced(cached, at));
    }
    if (this.deps.beforeRequest && !(await this.deps.beforeRequest(backend, signal))) {
      this.emit({ type: 'held' });
      return [];
    }
    // Another request may have started while this one waited; it answers for an older point.
    if (this.flight) this.abortFlight(this.flight);
    const started = this.startFlight(at, backend, plan);
    const answer = await this.waitFor(started, signal);
    if (answer === undefined) return [];
    return this.serve(answer, 'request', closersReplaced(answer, at));
  }

  /** Forgets cached answers, e.g. after the backend or model changed. */
  reset(): void {
    this.cache.clear();
    this.remembered.length = 0;
    if (this.flight) this.abortFlight(this.flight);
  }

  private async invoke(
    at: CompletionInput,
    backend: CompletionBackend,
    settings: CompletionSettings,
    signal: AbortSignal,
  ): Promise<Suggestion[]> {
    const count = Math.max(1, Math.min(5, settings.manualCandidates));
    const plans = Array.from({ length: count }, (_, index) => this.plan(at, backend, settings, index));
    const answers = await Promise.all(
      plans.map(async (plan) => {
        const cached = this.cache.get(plan.key);
        if (cached !== undefined) return { text: cached, source: 'cache' as const };
        this.stats.requests++;
        this.emit({ type: 'request' });
        try {
          const text = await this.ask(backend, plan, signal);
          this.cache.set(plan.key, text);
          return { text, source: 'request' as const };
        } catch (error) {
          if (ProviderError.is(error, 'cancelled')) return { text: '', source: 'request' as const };
          throw error;
        }
      }),
    );
    const suggestions: Suggestion[] = [];
    const seen = new Set<string>();
    const add = (text: string, multiline: boolean, source: SuggestionSource) => {
      if (!text || seen.has(text)) return;
      seen.add(text);
      const replaceAfter = closersReplaced(text, at);
      suggestions.push({
        insertText: text,
        multiline: multiline && text.includes('\n'),
        source,
        ...(replaceAfter > 0 && { replaceAfter }),
      });
    };
    for (const [index, answer] of answers.entries()) add(answer.text, plans[index]?.multiline ?? false, answer.source);
    // A multi-line answer's first line is a candidate of its own, free of charge.
    for (const suggestion of [...suggestions]) {
      if (suggestion.multiline) {
        const firstLine = suggestion.insertText.startsWith('\n')
          ? suggestion.insertText.split('\n', 2).join('\n')
          : suggestion.insertText.split('\n', 1)[0];
        if (firstLine?.trim()) add(firstLine, false, suggestion.source);
      }
    }
    if (suggestions[0]) this.remember(at, backend, suggestions[0].insertText, suggestions[0].multiline);
    for (const suggestion of suggestions) this.emit({ type: 'served', source: suggestion.source });
    if (suggestions.length === 0) this.emit({ type: 'empty' });
    return suggestions;
  }

  private serve(text: string, source: SuggestionSource, replaceAfter = 0): Suggestion[] {
    if (!text) {
      this.emit({ type: 'empty' });
      return [];
    }
    this.stats.served[source]++;
    this.emit({ type: 'served', source });
    return [{ insertText: text, multiline: text.includes('\n'), source, ...(replaceAfter > 0 && { replaceAfter }) }];
  }

  /** Learns the typing rhythm from small changes at the cursor; anything else breaks the rhythm. */
  private noteKeystroke(at: CompletionInput, now: number): void {
    const last = this.lastKey;
    const typed = last && last.documentId === at.documentId ? at.offset - last.offset : Number.NaN;
    const grown = last ? at.text.length - last.length : Number.NaN;
    // An auto-closed bracket or quote grows the text by one more than the cursor moved.
    const kind = keyKind(at.text.slice(Math.max(0, at.offset - 200), at.offset));
    // Enter with the new line's indentation is one key, however many spaces the editor put in.
    if (typed >= 1 && grown >= typed && grown <= typed + 2 && (typed <= 8 || kind === 'enter'))
      this.rhythm.keystroke(now, kind);
    else {
      this.rhythm.interrupt();
      this.rhythm.keystroke(now, kind);
    }
    this.lastKey = { documentId: at.documentId, offset: at.offset, length: at.text.length };
  }

  /**
   * The rest of a remembered answer when the user has typed its start since.
   */
  private typeAhead(
    at: CompletionInput,
    backend: CompletionBackend,
  ): { text: string; multiline: boolean; replaceAfter?: number } | undefined {
    const source = sourceOf(backend);
    for (const entry of this.remembered) {
      if (entry.source !== source || entry.documentId !== at.documentId || at.offset < entry.offset) continue;
      // Answers are kept with \n; a Windows file's Enter inserted \r\n.
      const typed = toLf(at.text.slice(entry.offset, at.offset));
      if (at.text.slice(Math.max(0, entry.offset - ANCHOR_CHARS), entry.offset) !== entry.before) continue;
      const after = at.text.slice(at.offset, at.offset + ANCHOR_CHARS);
      const beyond = this.typeAheadBeyond(entry, typed, after);
      if (beyond) return beyond;
      if (typed.length >= entry.text.length || !entry.text.startsWith(typed)) continue;
      const rest = entry.text.slice(typed.length);
      if (after === entry.after) {
        // Closers the answer replaced when shown are still there to replace.
        const replaceAfter = closersReplaced(rest, at);
        return { text: rest, multiline: entry.multiline, ...(replaceAfter > 0 && { replaceAfter }) };
      }
      // The editor auto-closed a bracket or quote meanwhile: the answer replaces it.
      const inserted = insertedCloser(after, entry.after);
      if (inserted !== undefined && isSubsequence(inserted, rest.split('\n', 1)[0] ?? ''))
        return { text: rest, multiline: entry.multiline, replaceAfter: inserted.length };
    }
    return undefined;
  }

  /**
   * Typing went past the shown text into the lines the model gave after it (across Enter): the
   * rest of the current line, or the next line when the cursor is at the end of one.
   */
  private typeAheadBeyond(
    entry: Remembered,
    typed: string,
    after: string,
  ): { text: string; multiline: boolean } | undefined {
    if (!entry.more || typed.length < entry.text.length || after !== entry.after) return undefined;
    const full = entry.text + entry.more;
    if (typed.length >= full.length || !full.startsWith(typed)) return undefined;
    const rest = full.slice(typed.length);
    const lineEnd = rest.indexOf('\n');
    let served: { text: string; multiline: boolean };
    if (lineEnd > 0) served = { text: rest.slice(0, lineEnd).trimEnd(), multiline: false };
    else if (lineEnd === -1) {
      if (!rest.trim()) return undefined;
      served = { text: rest, multiline: false };
    } else {
      const next = rest.split('\n', 2).join('\n');
      if (!next.trim()) return undefined;
      served = { text: next, multiline: true };
    }
    // A line the file already has right after the cursor (the model wrote on into what follows):
    // post-processing drops it from a fresh answer, and so must type-ahead.
    return repeatsWhatFollows(served.text, after) ? undefined : served;
  }

  /** Whether the cursor is further along the same typing the flight was started for. */
  private continues(flight: Flight, at: CompletionInput, backend: CompletionBackend): boolean {
    if (flight.source !== sourceOf(backend)) return false;
    if (flight.documentId !== at.documentId || at.offset < flight.offset || at.offset - flight.offset > 64)
      return false;
    if (at.text.slice(Math.max(0, flight.offset - ANCHOR_CHARS), flight.offset) !== flight.before) return false;
    return at.text.slice(at.offset, at.offset + ANCHOR_CHARS) === flight.after;
  }

  private plan(at: CompletionInput, backend: CompletionBackend, settings: CompletionSettings, candidate: number): Plan {
    // What the backend may see of where the file is: never an absolute path (see promptPath).
    const path = at.path === undefined ? undefined : promptPath(at.path);
    const prompt = buildPrompt(
      {
        text: at.text,
        offset: at.offset,
        languageId: at.languageId,
        path,
        snippets: at.snippets?.() ?? [],
        order: settings.promptOrder,
      },
      { maxPromptTokens: settings.promptTokens },
    );
    const syntax = syntaxFor(at.languageId);
    const shapeStart = codeWindowStart(at.text, Math.max(0, at.offset - ANCHOR_CHARS * 4), syntax);
    const fullPrefix = at.text.slice(shapeStart, at.offset);
    const fullSuffix = at.text.slice(at.offset, at.offset + ANCHOR_CHARS * 4);
    const shape = completionShape(fullPrefix, fullSuffix, at.languageId);
    const multiline = shape !== 'single';
    const template = templateForModel(backend.model, settings.template);
    const maxTokens = multiline ? settings.maxTokens : Math.min(SINGLE_LINE_TOKENS, settings.maxTokens);
    const temperature = candidate === 0 ? 0 : Math.min(1, 0.3 * candidate);
    const fimPrefix = prompt.header + prompt.prefix;
    const key = createHash('sha256')
      .update(
        JSON.stringify([
          backend.id,
          backend.model,
          template?.id ?? '',
          shape,
          maxTokens,
          temperature,
          settings.maxLines,
          at.indentation ?? null,
          at.languageId,
          path ?? '',
          fimPrefix,
          prompt.suffix,
          prompt.snippets,
        ]),
      )
      .digest('base64');
    return {
      prompt,
      // Post-processing scans the prefix from code: it starts where the code around it does.
      scanPrefix: at.text.slice(codeWindowStart(at.text, prompt.prefixStart, syntax), at.offset),
      fimPrefix,
      multiline,
      shape,
      template,
      maxTokens,
      temperature,
      key,
      languageId: at.languageId,
      path,
      maxLines: settings.maxLines,
      indentation: at.indentation,
      order: settings.promptOrder,
    };
  }

  private startFlight(at: CompletionInput, backend: CompletionBackend, plan: Plan): Flight {
    const controller = new AbortController();
    this.stats.requests++;
    this.emit({ type: 'request' });
    const flight: Flight = {
      ...placeOf(at, backend),
      multiline: plan.multiline,
      controller,
      waiters: 0,
      graceTimer: undefined,
      answer: Promise.resolve(''),
      shown: false,
      done: Promise.resolve(),
    };
    const keep = (text: string) => {
      this.cache.set(plan.key, text);
      this.remember(at, backend, text, plan.multiline, this.moreByKey.get(plan.key));
    };
    let ended: () => void = () => {};
    flight.done = new Promise<void>((resolve) => (ended = resolve));
    flight.answer = new Promise<string>((resolve, reject) => {
      let shown = false;
      // The ghost text may be settled while the answer still streams: show it now. The rest still
      // arrives, is metered, and serves type-ahead across Enter; it stays the engine's flight, so
      // keys that leave the ghost text behind abort it (and its billing) as they would any.
      const show = (text: string) => {
        if (shown) return;
        shown = true;
        keep(text);
        resolve(text);
      };
      const settled = (text: string) => {
        flight.shown = true;
        show(text);
      };
      this.ask(backend, plan, controller.signal, settled).then(
        (text) => {
          if (this.flight === flight) this.flight = undefined;
          if (shown) keep(text);
          else show(text);
          ended();
        },
        (error: unknown) => {
          if (this.flight === flight) this.flight = undefined;
          ended();
          if (shown) return;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    // Nobody may be waiting when it fails; the waiters see the rejection themselves.
    flight.answer.catch(() => {});
    this.flight = flight;
    return flight;
  }

  /** The flight's answer for this caller; undefined when the caller gave up or the flight was aborted. */
  private async waitFor(flight: Flight, signal: AbortSignal): Promise<string | undefined> {
    flight.waiters++;
    if (flight.graceTimer !== undefined) {
      this.clock.clearTimeout(flight.graceTimer);
      flight.graceTimer = undefined;
    }
    let onAbort: (() => void) | undefined;
    const gaveUp = new Promise<undefined>((resolve) => {
      onAbort = () => resolve(undefined);
      if (signal.aborted) resolve(undefined);
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([flight.answer, gaveUp]);
    } catch (error) {
      if (ProviderError.is(error, 'cancelled')) return undefined;
      throw error;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      flight.waiters--;
      // Abandoned: keep it a moment for the next keystroke, which may still match it. One whose
      // ghost text is showing keeps streaming the rest while the user reads it.
      if (flight.waiters === 0 && this.flight === flight && !flight.shown) {
        flight.graceTimer = this.clock.setTimeout(() => {
          if (flight.waiters === 0 && this.flight === flight) this.abortFlight(flight);
        }, this.deps.staleAfterMs ?? 400);
      }
    }
  }

  private abortFlight(flight: Flight): void {
    if (flight.graceTimer !== undefined) this.clock.clearTimeout(flight.graceTimer);
    if (this.flight === flight) this.flight = undefined;
    if (!flight.controller.signal.aborted) {
      flight.controller.abort();
      this.stats.aborted++;
      this.emit({ type: 'request-aborted' });
    }
  }

  /**
   * Asks the backend and post-processes its answer. `settled` hears the ghost text early when a
   * streamed multi-line answer's lines so far already fix it (see settledAnswer).
   */
  private async ask(
    backend: CompletionBackend,
    plan: Plan,
    signal: AbortSignal,
    settled?: (shown: string) => void,
  ): Promise<string> {
    const { prompt, template } = plan;
    const snippetsInPrefix = !template?.takesSnippets;
    const templatePrefix = snippetsInPrefix ? plan.fimPrefix : prompt.prefix;
    const templateContext = {
      path: plan.path,
      snippets: snippetsInPrefix ? [] : prompt.snippets,
      order: plan.order,
    };
    const processing = {
      prefix: plan.scanPrefix,
      suffix: prompt.suffix,
      multiline: plan.multiline,
      shape: plan.shape,
      languageId: plan.languageId,
      maxLines: plan.maxLines,
      stops: template?.stop ?? [],
      fromChat: false,
      indentation: plan.indentation,
    };
    const rest = {
      cursor: readCursor(plan.scanPrefix, prompt.suffix, plan.languageId),
      multiline: plan.multiline,
      stops: processing.stops,
      maxLines: plan.maxLines,
      indentation: plan.indentation,
    };
    let judgedLines = 0;
    let lines = 0;
    let counted = 0;
    // The whole lines received when the rest could no longer be used: the stream is closed there.
    let enoughAt: string | undefined;
    const onText = (textSoFar: string, route?: string): 'enough' | undefined => {
      if (textSoFar.length > MAX_JUDGED_CHARS || counted > textSoFar.length) return undefined;
      // Only the new text is scanned for line breaks.
      for (let at = textSoFar.indexOf('\n', counted); at !== -1; at = textSoFar.indexOf('\n', at + 1)) lines++;
      counted = textSoFar.length;
      // Judged once per new whole line: a line still arriving is never shown cut.
      if (lines === judgedLines || lines > MAX_JUDGED_LINES) return undefined;
      judgedLines = lines;
      const fromChat = route === 'chat';
      const shown = settledAnswer(textSoFar, { ...processing, fromChat });
      if (shown === undefined) return undefined;
      settled?.(shown);
      const complete = textSoFar.slice(0, textSoFar.lastIndexOf('\n') + 1);
      if (!restIsFixed(complete, shown, { ...rest, fromChat })) return undefined;
      enoughAt = complete;
      return 'enough';
    };
    const result = await backend.fim({
      model: backend.model,
      prefix: plan.fimPrefix,
      suffix: prompt.suffix,
      ...(template && {
        rawPrompt: template.build(templatePrefix, prompt.suffix, templateContext),
        rawPromptCut: (chars: number) =>
          template.build(dropStart(templatePrefix, chars), prompt.suffix, templateContext),
        rawStop: template.stop,
      }),
      maxTokens: plan.maxTokens,
      temperature: plan.temperature,
      stop: plan.multiline ? ['\n\n\n'] : ['\n'],
      ...(plan.order && { promptOrder: plan.order }),
      // Over FIM a single line ends at the first line break anyway; a chat model's may come after
      // a fence or a sentence, and can show before the rest of the answer arrives.
      ...(settled && { onText }),
      signal,
    });
    const fromChat = result.route === 'chat';
    // Stopped early, the answer is the whole lines judged then, not a line cut where the stream was.
    const received = result.stoppedEarly && enoughAt !== undefined ? cleanedAnswer(enoughAt, fromChat) : result.text;
    const answer = received.slice(0, MAX_ANSWER_CHARS);
    const shown = postProcess(answer, { ...processing, fromChat });
    this.moreByKey.set(plan.key, typeAheadLines(answer, shown, { ...rest, fromChat }));
    return shown;
  }

  private remember(at: CompletionInput, backend: CompletionBackend, text: string, multiline: boolean, more = ''): void {
    if (!text) return;
    const entry: Remembered = {
      ...placeOf(at, backend),
      text,
      multiline,
      more,
    };
    const existing = this.remembered.findIndex(
      (other) =>
        other.source === entry.source &&
        other.documentId === entry.documentId &&
        other.offset === entry.offset &&
        other.before === entry.before,
    );
    if (existing !== -1) this.remembered.splice(existing, 1);
    this.remembered.unshift(entry);
    if (this.remembered.length > REMEMBERED) this.remembered.pop();
  }

  private emit(event: EngineEvent): void {
    this.deps.onEvent?.(event);
  }
}

interface Plan {
  prompt: BuiltPrompt;
  /** The prompt's prefix, reaching back to the opening of a string or comment it starts inside. */
  scanPrefix: string;
  fimPrefix: string;
  multiline: boolean;
  shape: CompletionShape;
  template: FimTemplate | undefined;
  maxTokens: number;
  temperature: number;
  key: string;
  languageId: string;
  path: string | undefined;
  maxLines: number;
  indentation: IndentStyle | undefined;
  order: PromptOrder | undefined;
}

/** Where an answer was made: backend, document, cursor and the text either side of it. */
function placeOf(
  at: CompletionInput,
  backend: CompletionBackend,
): Pick<Remembered, 'source' | 'documentId' | 'offset' | 'before' | 'after'> {
  return {
    source: sourceOf(backend),
    documentId: at.documentId,
    offset: at.offset,
    before: at.text.slice(Math.max(0, at.offset - ANCHOR_CHARS), at.offset),
    after: at.text.slice(at.offset, at.offset + ANCHOR_CHARS),
  };
}

function sourceOf(backend: CompletionBackend): string {
  return `${backend.id}\u0000${backend.model}`;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let found = 0;
  for (const char of haystack) if (char === needle[found]) found++;
  return found === needle.length;
}

/**
 * The closers an editor inserted right after the cursor since an answer was made (auto-closing
 * brackets and quotes), or undefined when the text after the cursor changed some other way.
 */
function insertedCloser(after: string, before: string): string | undefined {
  for (let length = 1; length <= 3; length++) {
    const inserted = after.slice(0, length);
    if (!/^[)\]}>'"`]+$/.test(inserted)) return undefined;
    if (after.slice(length) === before.slice(0, before.length - length)) return inserted;
  }
  return undefined;
}

/** How the lines after the shown text are read from an answer (`typeAheadLines`). */
interface RestOfAnswer {
  cursor: Cursor;
  multiline: boolean;
  stops: readonly string[];
  maxLines: number;
  /** The answer is a chat model's: its code is what is unwrapped from its fence or tags. */
  fromChat: boolean;
  /** The editor's indentation, as post-processing was given it. */
  indentation: IndentStyle | undefined;
}

/** The chat route's answer as `fimOverChat` cleans it; any other as it came. */
function cleanedAnswer(raw: string, fromChat: boolean): string {
  return fromChat ? cleanHoleFillAnswer(raw) : raw;
}

/** The lines after the shown text that serve type-ahead across Enter (see `linesAfter`). */
function typeAheadLines(answer: string, shown: string, how: RestOfAnswer): string {
  // A chat model's lines after the shown ones serve type-ahead too, once out of their fence.
  const code = how.fromChat ? unwrapChatAnswer(answer, how.cursor, how.multiline) : answer;
  // Indented in the document's style, as post-processing indented the shown text.
  const style = documentIndentStyle(how.cursor.prefix, how.indentation);
  return linesAfter(
    reindent(cutAtControlTokens(toLf(code), how.stops), how.cursor, style),
    shown,
    how.stops,
    how.maxLines,
  );
}

/**
 * Whether nothing a stream could still bring would be used: the ghost text is settled and the
 * lines kept for type-ahead are complete (a blank line ended them, `maxLines` of them are in, a
 * fence closed, or the shown text was reshaped so none are kept). Tested as `settledAnswer` tests
 * the ghost text: the kept lines must stay the same whatever line comes next. A model that runs on
 * to `max_tokens` is then stopped there rather than billed for lines nobody will see.
 */
function restIsFixed(complete: string, shown: string, how: RestOfAnswer): boolean {
  const kept = (raw: string) => typeAheadLines(cleanedAnswer(raw, how.fromChat), shown, how);
  const now = kept(complete);
  return ['x', '  x', '}', '', '```'].every((next) => kept(`${complete}${next}\nx\n`) === now);
}

/**
 * The whole lines a raw answer gives after the shown text, when the shown text is exactly its
 * start: what the user may type next, across Enter. Cut at a blank line (the model moved on to
 * something else) and at `maxLines`; '' when the shown text was reshaped.
 */
function linesAfter(raw: string, shown: string, stops: readonly string[], maxLines: number): string {
  const text = cutAtControlTokens(toLf(raw), stops);
  if (!shown || !text.startsWith(shown)) return '';
  const rest = text.slice(shown.length);
  if (!rest.startsWith('\n')) return '';
  const lines = rest.slice(1).split('\n');
  const blank = lines.findIndex((line) => line.trim() === '');
  const whole = lines.slice(0, blank === -1 ? lines.length - 1 : blank).slice(0, maxLines);
  return whole.length ? `\n${whole.join('\n')}` : '';
}

/** Whether `done` settled before the caller gave up. */
async function settles(done: Promise<void>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  let onAbort: (() => void) | undefined;
  const gaveUp = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([done.then(() => true as const), gaveUp]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
