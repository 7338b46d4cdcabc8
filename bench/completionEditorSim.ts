/**
 * The in-editor replay (`completionEditor.ts`) on virtual time, for tuning between real runs: the
 * same excerpt, typist and seeds, the same emulator modes, the engine itself, with the editor
 * modelled the way the real runs showed it behaving: VS Code asks the provider 50 ms after a key
 * and cancels the call at the next key, the backend answers after 150 ms, the page paints 25 ms
 * later, and ghost text stays while the user types along it. A run takes milliseconds, so many
 * seeds can be compared: the real bench's three seeds say more about those seeds than about a
 * change. Not a judge (the editor is), and not part of `npm run bench`:
 *   node --import tsx bench/completionEditorSim.ts [seeds]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompletionEngine,
  DEFAULT_COMPLETION_SETTINGS,
  type CompletionBackend,
  type CompletionSettings,
} from '../src/core/completion/engine';
import { ProviderError } from '../src/core/providers/providerError';
import { FakeClock } from '../test/harness/fakeClock';
import { REPO_ROOT } from '../test/harness/workbench';
import { EDITOR_BACKEND_LATENCY_MS, typist } from './completionEditor';
import { median } from './metrics';

const EDITOR_DEBOUNCE_MS = 50;
const PAINT_MS = 25;
const PAUSE_MS = 900;
const GENERIC_ANSWER = ' // suggestion from the Switchboard emulator';
/** As in completionEditorStream.ts: a model that runs on past its first line. */
const RUNNING_ANSWER = `${GENERIC_ANSWER}\n${'const emulated = next(emulated);\n'.repeat(40)}`;
/** As in completionEditorStream.ts with `moves-on`: three lines, a blank line, another function. */
const MOVING_ON_ANSWER = `${GENERIC_ANSWER}\nconst emulated = next(emulated);\nreport(emulated);\n\nfunction next(value) {\n${'  value = step(value);\n'.repeat(40)}}\n`;

const whole = readFileSync(join(REPO_ROOT, 'node_modules/debug/src/common.js'), 'utf8');
const source = `${whole.split('\n').slice(40, 52).join('\n')}\n`;
const start = whole.indexOf(source);

function continuation(prefix: string): string {
  for (let length = Math.min(300, prefix.length); length >= 1; length--) {
    const found = source.indexOf(prefix.slice(-length));
    if (found !== -1) return whole.slice(start + found + length, start + found + length + 300);
  }
  return '';
}

type Mode = 'generic' | 'continuation';

interface SimRun {
  keys: number;
  generations: number;
  pauses: number;
  shown: number;
  p50: number;
}

/**
 * A backend that streams like the emulator at `tokensPerSecond` (a word-ish chunk a token, the
 * answer cut at the request's stop strings and `maxTokens`), telling `onText` only when `streams`.
 */
interface Streaming {
  tokensPerSecond: number;
  streams: boolean;
  answer: string;
  /** Whether the stream is closed when the engine says it has enough, as the providers do. */
  closesWhenEnough: boolean;
}

async function typeOnce(
  engine: CompletionEngine,
  clock: FakeClock,
  mode: Mode,
  seed: number,
  streaming?: Streaming,
): Promise<SimRun> {
  let generations = 0;
  const backend: CompletionBackend = {
    id: 'emulator',
    model: 'emulator-coder',
    fim(request) {
      generations++;
      let text = streaming?.answer ?? (mode === 'continuation' ? continuation(request.prefix) : GENERIC_ANSWER);
      for (const stop of request.stop ?? []) if (text.includes(stop)) text = text.slice(0, text.indexOf(stop));
      const chunks = (text.match(/\S+\s*|\s+/g) ?? []).slice(0, request.maxTokens ?? 128);
      text = chunks.join('');
      const perChunk = streaming ? 1000 / streaming.tokensPerSecond : 0;
      return new Promise((resolve, reject) => {
        const timers: unknown[] = [];
        let sent = '';
        chunks.forEach((chunk, i) => {
          timers.push(
            clock.setTimeout(
              () => {
                sent += chunk;
                if (!streaming?.streams || request.onText?.(sent) !== 'enough' || !streaming.closesWhenEnough) return;
                if (i === chunks.length - 1) return;
                for (const timer of timers) clock.clearTimeout(timer);
                resolve({
                  text: sent,
                  model: 'emulator-coder',
                  route: 'completions-suffix',
                  stoppedEarly: true,
                  usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reported: false },
                });
              },
              EDITOR_BACKEND_LATENCY_MS + (i + 1) * perChunk,
            ),
          );
        });
        timers.push(
          clock.setTimeout(
            () =>
              resolve({
                text,
                model: 'emulator-coder',
                route: 'completions-suffix',
                usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
              }),
            EDITOR_BACKEND_LATENCY_MS + chunks.length * perChunk,
          ),
        );
        request.signal?.addEventListener('abort', () => {
          for (const timer of timers) clock.clearTimeout(timer);
          reject(new ProviderError({ kind: 'cancelled', providerId: 'emulator', message: 'cancelled' }));
        });
      });
    },
  };
  const keys = typist(source, seed);
  const file = `replay-${mode}-${seed}.js`;
  let text = '';
  let visible: string | undefined;
  let call: AbortController | undefined;
  let timer: unknown;
  let mark: { at: number; shownAt?: number } | undefined;
  const delays: number[] = [];
  let pauses = 0;
  const begin = clock.now();
  for (const [i, key] of keys.entries()) {
    await clock.advance(begin + key.at - clock.now());
    if (mark) {
      pauses++;
      if (mark.shownAt !== undefined) delays.push(mark.shownAt - mark.at);
      mark = undefined;
    }
    call?.abort();
    if (timer !== undefined) clock.clearTimeout(timer);
    text += key.text;
    visible =
      visible?.startsWith(key.text) && visible.length > key.text.length ? visible.slice(key.text.length) : undefined;
    const next = keys[i + 1];
    if (next && next.at - key.at >= PAUSE_MS) mark = { at: clock.now(), ...(visible && { shownAt: clock.now() }) };
    const snapshot = text;
    const controller = new AbortController();
    call = controller;
    timer = clock.setTimeout(() => {
      void engine
        .complete(
          {
            documentId: file,
            text: snapshot,
            offset: snapshot.length,
            languageId: 'javascript',
            path: file,
            trigger: 'automatic',
          },
          backend,
          controller.signal,
        )
        .then(
          (suggestions) => {
            if (controller.signal.aborted || !suggestions[0]) return;
            visible = suggestions[0].insertText;
            if (mark && mark.shownAt === undefined) mark.shownAt = clock.now() + PAINT_MS;
          },
          () => {},
        );
    }, EDITOR_DEBOUNCE_MS);
  }
  await clock.advance(3_000);
  return { keys: keys.length, generations, pauses, shown: delays.length, p50: median(delays) };
}

/**
 * Per seed: a first run in a fresh window, and a run in a window that typed seeds 101–103 before
 * (the rhythm learned). Generic mode, where every pause needs a fresh request.
 */
export async function simulateEditor(settings: CompletionSettings, seeds: readonly number[]) {
  const clock = new FakeClock();
  const first: SimRun[] = [];
  const learned: SimRun[] = [];
  for (const seed of seeds) {
    first.push(await typeOnce(new CompletionEngine({ settings: () => settings, clock }), clock, 'generic', seed));
    const engine = new CompletionEngine({ settings: () => settings, clock });
    for (const warm of [101, 102, 103]) await typeOnce(engine, clock, 'generic', warm);
    learned.push(await typeOnce(engine, clock, 'generic', seed));
  }
  // The real bench's order: one window, runs 1–3, each generic then continuation.
  const engine = new CompletionEngine({ settings: () => settings, clock });
  const bench: Record<Mode, SimRun[]> = { generic: [], continuation: [] };
  for (const seed of [1, 2, 3])
    for (const mode of ['generic', 'continuation'] as const)
      bench[mode].push(await typeOnce(engine, clock, mode, seed));
  return { first, learned, bench };
}

/** Generic mode against a backend streaming a long answer at 50 tokens a second, seeds 1–n, first runs. */
export async function simulateStreaming(
  seeds: readonly number[],
  streams: boolean,
  closesWhenEnough = true,
  answer = RUNNING_ANSWER,
): Promise<SimRun[]> {
  const clock = new FakeClock();
  const runs: SimRun[] = [];
  const streaming: Streaming = { tokensPerSecond: 50, streams, answer, closesWhenEnough };
  for (const seed of seeds)
    runs.push(
      await typeOnce(
        new CompletionEngine({ settings: () => DEFAULT_COMPLETION_SETTINGS, clock }),
        clock,
        'generic',
        seed,
        streaming,
      ),
    );
  return runs;
}

function describe(runs: readonly SimRun[]): string {
  const per100 = runs.map((run) => (100 * run.generations) / run.keys);
  return `p50 ${Math.round(median(runs.map((run) => run.p50)))} ms [${runs.map((run) => Math.round(run.p50)).join(' ')}], generations/100 keys ${median(per100).toFixed(2)} [${runs.map((run) => run.generations).join(' ')}], ghost at ${runs.reduce((sum, run) => sum + run.shown, 0)}/${runs.reduce((sum, run) => sum + run.pauses, 0)} pauses`;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 8);
  const seeds = Array.from({ length: count }, (_, i) => i + 1);
  const strategies: Record<string, CompletionSettings> = {
    ours: DEFAULT_COMPLETION_SETTINGS,
    'ours, speed fast': { ...DEFAULT_COMPLETION_SETTINGS, speed: 'fast' },
    'ours, speed frugal': { ...DEFAULT_COMPLETION_SETTINGS, speed: 'frugal' },
    baseline: { ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 350, reuse: false },
  };
  for (const streams of [true, false]) {
    const runs = await simulateStreaming(seeds, streams);
    console.log(
      `streaming backend (50 tokens/s), ${streams ? 'shown as lines arrive' : 'shown when the answer ends'}, seeds 1–${count}: ${describe(runs)}`,
    );
  }
  for (const [name, answer] of [
    ['runs on', RUNNING_ANSWER],
    ['moves on', MOVING_ON_ANSWER],
  ] as const)
    for (const closes of [true, false]) {
      const runs = await simulateStreaming(seeds, true, closes, answer);
      console.log(
        `streaming backend, a model that ${name}, ${closes ? 'closed once nothing more is used' : 'read to its end'}, seeds 1–${count}: ${describe(runs)}`,
      );
    }
  for (const [name, settings] of Object.entries(strategies)) {
    const { first, learned, bench } = await simulateEditor(settings, seeds);
    console.log(`${name}
  first run, seeds 1–${count}:    ${describe(first)}
  rhythm learned, seeds 1–${count}: ${describe(learned)}
  bench order, generic:      ${describe(bench.generic)}
  bench order, continuation: ${describe(bench.continuation)}`);
  }
}

if (require.main === module) void main();
