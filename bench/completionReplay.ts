/**
 * Replays a real source file typed by a simulated developer, through our completion engine and
 * through a naive baseline (fixed 350 ms debounce, no cache, no reuse), against the emulator over
 * real HTTP. Typing runs on virtual time, so a quarter of an hour of typing replays in seconds and
 * both strategies see exactly the same keystrokes; the backend's latency is added on that virtual
 * clock, so its figure is exact rather than measured.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompletionEngine,
  DEFAULT_COMPLETION_SETTINGS,
  type CompletionBackend,
  type CompletionInput,
  type Suggestion,
} from '../src/core/completion/engine';
import { sleep, type Clock } from '../src/core/clock';
import { completionShape } from '../src/core/completion/multiline';
import { postProcess } from '../src/core/completion/postprocess';
import { buildPrompt } from '../src/core/completion/prompt';
import { ProviderError } from '../src/core/providers/providerError';
import type { Provider } from '../src/core/providers/types';
import { parseProviders } from '../src/core/settings/providerSettings';
import { createProvider } from '../src/backends/providerRuntime';
import { startEmulator } from '../test/emulator/server';
import { FakeClock } from '../test/harness/fakeClock';
import { REPO_ROOT } from '../test/harness/workbench';
import { keyGaps, latentBackend, seededRandom, typeAlong } from './replayDriver';

/** Not written for this benchmark: debug's shared core, pinned by package-lock.json. */
export const REPLAY_FILE = 'node_modules/debug/src/common.js';
export const BACKEND_LATENCY_MS = 300;
/** Gaps at least this long are the pauses where a developer looks for a suggestion. */
export const PAUSE_MS = 1_000;
/** Share of requests the simulated model answers with the file's true continuation. */
export const MODEL_ACCURACY = 0.6;
const NAIVE_DEBOUNCE_MS = 350;

export interface Keystroke {
  at: number;
  /** The document after the key. */
  text: string;
}

/**
 * Types `source` the way a person does: one key per character at log-normal intervals (median
 * 150 ms, about 65 words a minute), Enter bringing the next line's indentation as an editor's
 * auto-indent does, a pause of 1–3 s after half the lines and a 1–2 s "thinking" pause on 3% of
 * other keys.
 */
export function typeSource(source: string, seed = 7): Keystroke[] {
  const rand = seededRandom(seed);
  const interval = keyGaps(rand, 900);
  const keys: Keystroke[] = [];
  let at = 0;
  let index = 0;
  while (index < source.length) {
    let next = index + 1;
    let gap = interval();
    if (source[index] === '\n') {
      // Enter: the editor indents the new line.
      while (next < source.length && (source[next] === ' ' || source[next] === '\t')) next++;
      if (rand() < 0.5) gap = 1_000 + rand() * 2_000;
    } else if (rand() < 0.03) {
      gap = 1_000 + rand() * 1_000;
    }
    at += gap;
    keys.push({ at: Math.round(at), text: source.slice(0, next) });
    index = next;
  }
  return keys;
}

/**
 * The simulated model: it knows the file, so it can answer with the true continuation; it does so
 * for MODEL_ACCURACY of the cursor positions (chosen by a hash, so the same request always gets
 * the same answer) and otherwise starts right and goes wrong after a few characters.
 */
export function oracle(source: string, accuracy = MODEL_ACCURACY): (prefix: string) => string {
  return (prefix) => {
    const tail = prefix.slice(-400);
    const found = source.indexOf(tail);
    if (found === -1) return ' undefined;';
    const at = found + tail.length;
    const truth = source.slice(at, at + 240);
    let hash = 2166136261;
    for (let i = 0; i < 4; i++) hash = Math.imul(hash ^ ((at >> (i * 8)) & 0xff), 16777619);
    const roll = ((hash >>> 0) % 1000) / 1000;
    if (roll < accuracy) return truth;
    return `${truth.slice(0, (hash >>> 10) % 4)}value();`;
  };
}

interface Strategy {
  name: string;
  complete(input: CompletionInput, signal: AbortSignal): Promise<Suggestion[]>;
}

export interface ReplayResult {
  keys: number;
  requests: number;
  cancelled: number;
  fromCache: number;
  fromTypeAhead: number;
  fromInFlight: number;
  tokensBilled: number;
  pauses: number;
  shownAtPauses: number;
  pauseToGhostMs: number[];
  /** The same, only for pauses where a request had to be answered first (nothing was served at once). */
  pauseToFreshGhostMs: number[];
}

/** The backend as both strategies see it: a real HTTP call, answered on the virtual clock after the latency. */
export function virtualBackend(
  provider: Pick<Provider, 'fim'>,
  clock: Clock,
  pending: Set<Promise<unknown>>,
  tally: { requests: number; cancelled: number; tokens: number },
): CompletionBackend {
  return latentBackend('bench', provider, clock, pending, BACKEND_LATENCY_MS, {
    requested: () => tally.requests++,
    // A request the client gave up on may still be generated and billed whole.
    answered: (result) => {
      tally.tokens += result.usage.inputTokens + result.usage.outputTokens;
    },
    cancelled: () => tally.cancelled++,
  });
}

/** The baseline most extensions ship: wait 350 ms after each key, then ask; nothing remembered. */
function naiveStrategy(backend: CompletionBackend, clock: Clock): Strategy {
  return {
    name: 'naive',
    async complete(input, signal) {
      if (!(await sleep(clock, NAIVE_DEBOUNCE_MS, signal))) return [];
      const prompt = buildPrompt({ text: input.text, offset: input.offset, languageId: input.languageId });
      // What several extensions do: several lines only at an empty line or after an opener.
      const multiline =
        completionShape(input.text.slice(0, input.offset), input.text.slice(input.offset), input.languageId) ===
        'block';
      try {
        const result = await backend.fim({
          prefix: prompt.header + prompt.prefix,
          suffix: prompt.suffix,
          maxTokens: multiline ? 128 : 64,
          temperature: 0,
          stop: multiline ? ['\n\n\n'] : ['\n'],
          signal,
        });
        const text = postProcess(result.text, {
          prefix: prompt.prefix,
          suffix: prompt.suffix,
          multiline,
          languageId: input.languageId,
          maxLines: 12,
          stops: [],
          fromChat: false,
        });
        return text ? [{ insertText: text, multiline, source: 'request' }] : [];
      } catch (error) {
        if (ProviderError.is(error, 'cancelled')) return [];
        throw error;
      }
    },
  };
}

/** Types the keystrokes through a strategy (see `typeAlong`), counting what reached the backend. */
async function replay(
  keys: readonly Keystroke[],
  makeStrategy: (backend: CompletionBackend, clock: Clock) => Strategy,
  provider: Provider,
): Promise<ReplayResult & { engine?: CompletionEngine }> {
  const pending = new Set<Promise<unknown>>();
  const clock = new FakeClock(() => Promise.allSettled([...pending]));
  const tally = { requests: 0, cancelled: 0, tokens: 0 };
  const strategy = makeStrategy(virtualBackend(provider, clock, pending, tally), clock);
  const pauses = await typeAlong(keys, clock, (input, signal) => strategy.complete(input, signal), {
    pauseMs: PAUSE_MS,
  });
  const engine = (strategy as { engine?: CompletionEngine }).engine;
  return {
    keys: keys.length,
    requests: tally.requests,
    cancelled: tally.cancelled,
    fromCache: engine?.stats.served.cache ?? 0,
    fromTypeAhead: engine?.stats.served['type-ahead'] ?? 0,
    fromInFlight: engine?.stats.served['in-flight'] ?? 0,
    tokensBilled: tally.tokens,
    ...pauses,
  };
}

export interface ReplayComparison {
  file: string;
  ours: ReplayResult;
  naive: ReplayResult;
}

/** The real OpenAI-compatible client pointed at the emulator, as a `custom` backend entry. */
export function emulatorProvider(openaiBaseUrl: string): Provider {
  const { providers } = parseProviders([
    { id: 'bench', preset: 'custom', baseUrl: openaiBaseUrl, completionModel: 'emulator-coder' },
  ]);
  const config = providers[0];
  if (!config) throw new Error('the bench provider entry did not parse');
  return createProvider(config, undefined);
}

export async function runReplay(): Promise<ReplayComparison> {
  const source = readFileSync(join(REPO_ROOT, REPLAY_FILE), 'utf8');
  const emulator = await startEmulator({ fimResponder: oracle(source) });
  try {
    const provider = emulatorProvider(emulator.baseUrls.openai);
    const keys = typeSource(source);
    const ours = await replay(
      keys,
      (backend, clock) => {
        const engine = new CompletionEngine({ settings: () => DEFAULT_COMPLETION_SETTINGS, clock });
        return { name: 'ours', engine, complete: (input, signal) => engine.complete(input, backend, signal) };
      },
      provider,
    );
    const naive = await replay(keys, naiveStrategy, provider);
    return { file: REPLAY_FILE, ours, naive };
  } finally {
    await emulator.close();
  }
}
