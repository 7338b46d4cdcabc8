/**
 * Inline completion figures: the engine's overhead over a raw HTTP call, and the replay of a real
 * file against a naive baseline (see completionReplay.ts).
 */
import { CompletionEngine, DEFAULT_COMPLETION_SETTINGS, type CompletionBackend } from '../src/core/completion/engine';
import type { FimRequest } from '../src/core/providers/types';
import { startEmulator } from '../test/emulator/server';
import { median, round, type Metrics } from './metrics';
import {
  BACKEND_LATENCY_MS,
  MODEL_ACCURACY,
  PAUSE_MS,
  REPLAY_FILE,
  emulatorProvider,
  runReplay,
  type ReplayResult,
} from './completionReplay';

const OVERHEAD_RUNS = 300;
const WARMUP = 30;

/**
 * From the engine being asked to the completion being ready (no debounce, a cache miss every
 * time), against a plain `fetch` with the same JSON body to the same emulator route, answering at
 * 0 ms latency. Runs alternate so both see the same machine state.
 */
async function overhead(): Promise<{ ours: number; raw: number; engineOnly: number }> {
  const emulator = await startEmulator();
  try {
    const provider = emulatorProvider(emulator.baseUrls.openai);
    let sent: FimRequest | undefined;
    const backend: CompletionBackend = {
      id: 'bench',
      model: 'emulator-coder',
      fim: (request) => {
        sent = request;
        return provider.fim(request);
      },
    };
    const engine = new CompletionEngine({ settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 0 }) });
    const ours: number[] = [];
    const raw: number[] = [];
    for (let run = 0; run < OVERHEAD_RUNS + WARMUP; run++) {
      // A new document each run: nothing may come from the cache or type-ahead.
      const text = `// run ${run}\nexport function add(a, b) {\n  return a + b;\n}\n\nfunction add${run}(a, b) {`;
      const started = performance.now();
      const suggestions = await engine.complete(
        { documentId: `bench-${run}`, text, offset: text.length, languageId: 'javascript', trigger: 'automatic' },
        backend,
        new AbortController().signal,
      );
      const oursMs = performance.now() - started;
      if (!suggestions[0] || !sent) throw new Error('the engine returned no completion from the emulator');
      const body = JSON.stringify({
        model: 'emulator-coder',
        prompt: sent.prefix,
        suffix: sent.suffix,
        max_tokens: sent.maxTokens,
        temperature: sent.temperature,
        stop: sent.stop,
      });
      const rawStarted = performance.now();
      const response = await fetch(`${emulator.baseUrls.openai}/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = (await response.json()) as { choices: { text: string }[] };
      const rawMs = performance.now() - rawStarted;
      if (!json.choices[0]?.text) throw new Error('the raw call got no completion');
      if (run >= WARMUP) {
        ours.push(oursMs);
        raw.push(rawMs);
      }
    }
    // The engine's own share: the same runs against a backend that answers at once, in memory.
    const instant: CompletionBackend = {
      id: 'instant',
      model: 'emulator-coder',
      fim: async () => ({
        text: '\n  return a + b;',
        model: 'emulator-coder',
        route: 'completions-suffix',
        usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
      }),
    };
    const engineOnly: number[] = [];
    for (let run = 0; run < OVERHEAD_RUNS + WARMUP; run++) {
      const text = `// run ${run}\nexport function add(a, b) {\n  return a + b;\n}\n\nfunction add${run}(a, b) {`;
      const started = performance.now();
      await engine.complete(
        { documentId: `instant-${run}`, text, offset: text.length, languageId: 'javascript', trigger: 'automatic' },
        instant,
        new AbortController().signal,
      );
      if (run >= WARMUP) engineOnly.push(performance.now() - started);
    }
    return { ours: median(ours), raw: median(raw), engineOnly: median(engineOnly) };
  } finally {
    await emulator.close();
  }
}

const p50 = (result: ReplayResult) => median(result.pauseToGhostMs);

export async function benchCompletion(): Promise<Metrics> {
  const timing = await overhead();
  const { ours, naive } = await runReplay();
  const replayNote = `${REPLAY_FILE} typed at log-normal intervals (median 150 ms) with pauses ≥ ${PAUSE_MS} ms; model right ${MODEL_ACCURACY * 100}% of the time; backend latency ${BACKEND_LATENCY_MS} ms`;
  const describe = (result: ReplayResult) =>
    `${result.requests} requests (${result.cancelled} cancelled), ${result.fromTypeAhead} keys served by type-ahead, ${result.fromInFlight} by an in-flight request, ${result.fromCache} from the cache, ${result.tokensBilled} tokens billed, ${result.keys} keys`;
  console.log(`  ours:  ${describe(ours)}`);
  console.log(`  naive: ${describe(naive)}`);
  return {
    'completion.overhead_ratio_p50': {
      value: round(timing.ours / timing.raw, 3),
      unit: 'ratio',
      better: 'lower',
      baseline: 1,
      note: `engine with the openai SDK ${round(timing.ours, 3)} ms vs raw fetch ${round(timing.raw, 3)} ms, p50 of ${OVERHEAD_RUNS}, emulator at 0 ms latency; the engine's own work (prompt, cache key, post-processing) is ${round(timing.engineOnly, 3)} ms, the rest is the SDK client`,
    },
    'completion.requests_per_100_keys': {
      value: round((ours.requests / ours.keys) * 100),
      unit: 'requests',
      better: 'lower',
      baseline: round((naive.requests / naive.keys) * 100),
      note: `${replayNote}. Ours: ${describe(ours)}. Naive: ${describe(naive)}`,
    },
    'completion.requests_vs_naive_ratio': {
      value: round(ours.requests / naive.requests, 3),
      unit: 'ratio',
      better: 'lower',
      baseline: 1,
      note: `${ours.requests} vs ${naive.requests} requests; tokens billed ${ours.tokensBilled} vs ${naive.tokensBilled}`,
    },
    'completion.pause_to_ghost_ms_p50': {
      value: p50(ours),
      unit: 'ms',
      better: 'lower',
      baseline: p50(naive),
      note: `from the last key before a pause to a visible completion, over pauses that got one; backend latency ${BACKEND_LATENCY_MS} ms on virtual time. Where a request had to be answered first: ours ${median(ours.pauseToFreshGhostMs)} ms (${ours.pauseToFreshGhostMs.length} pauses), naive ${median(naive.pauseToFreshGhostMs)} ms (${naive.pauseToFreshGhostMs.length})`,
    },
    'completion.shown_at_pauses_ratio': {
      value: round(ours.shownAtPauses / naive.shownAtPauses, 3),
      unit: 'ratio',
      better: 'higher',
      baseline: 1,
      note: `${ours.shownAtPauses} of ${ours.pauses} pauses had a completion showing, naive ${naive.shownAtPauses} of ${naive.pauses}`,
    },
  };
}
