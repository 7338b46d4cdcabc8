/**
 * What a completion is worth on two simulated backends: the same file typed through our engine
 * against a cheap backend that is right less often and a dear one that is right more often (the
 * emulator, over real HTTP, each answering with the file's true continuation at its own rate).
 * At each pause the simulated developer takes the ghost text when it is right (whole, or its
 * first line when only that is), and types on otherwise. Requests and suggestion events go
 * through the real usage ledger and suggestion tracker; the figures are read back from the ledger
 * the way the dashboard reads them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompletionEngine, DEFAULT_COMPLETION_SETTINGS } from '../src/core/completion/engine';
import { AcceptanceTally, type AcceptanceFigures } from '../src/core/usage/acceptance';
import { SuggestionTracker } from '../src/core/usage/suggestionTracker';
import { UsageLedger } from '../src/core/usage/usageLedger';
import type { FimRequest } from '../src/core/providers/types';
import { startEmulator } from '../test/emulator/server';
import { FakeClock } from '../test/harness/fakeClock';
import { REPO_ROOT } from '../test/harness/workbench';
import {
  BACKEND_LATENCY_MS,
  PAUSE_MS,
  REPLAY_FILE,
  emulatorProvider,
  oracle,
  typeSource,
  virtualBackend,
} from './completionReplay';
import { round, type Metrics } from './metrics';

/** A simulated backend: how often it is right, and its price in dollars per million tokens. */
export interface SimulatedBackend {
  id: string;
  accuracy: number;
  inputPerMTok: number;
  outputPerMTok: number;
}

export const SIMULATED_BACKENDS: readonly SimulatedBackend[] = [
  // Priced like a small hosted coder model, and right a third of the time.
  { id: 'cheap', accuracy: 0.35, inputPerMTok: 0.1, outputPerMTok: 0.3 },
  // Priced like a large one, and right four times in five.
  { id: 'dear', accuracy: 0.8, inputPerMTok: 1, outputPerMTok: 5 },
];

const DOCUMENT = 'replay.js';

/** Replays the file against one backend, recording into a fresh ledger; returns its figures. */
export async function replayAcceptance(backend: SimulatedBackend): Promise<AcceptanceFigures> {
  const source = readFileSync(join(REPO_ROOT, REPLAY_FILE), 'utf8');
  const emulator = await startEmulator({ fimResponder: oracle(source, backend.accuracy) });
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-accept-'));
  const pending = new Set<Promise<unknown>>();
  const clock = new FakeClock(() => Promise.allSettled([...pending]));
  const ledger = await UsageLedger.open({ dir, now: () => Date.UTC(2026, 0, 1) + clock.now() });
  let documentText = '';
  const tracker = new SuggestionTracker({
    clock,
    emit: (event) => ledger.appendEvent(event),
    documentText: () => documentText,
  });
  try {
    const provider = emulatorProvider(emulator.baseUrls.openai);
    // Every request that goes out is recorded with what it was billed, as the extension records it.
    const recording = {
      fim: async (request: FimRequest) => {
        const started = clock.now();
        const result = await provider.fim(request);
        const { inputTokens, outputTokens } = result.usage;
        const record = ledger.append({
          backend: backend.id,
          model: result.model,
          feature: 'completion',
          inputTokens,
          outputTokens,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reported: result.usage.reported,
          // Dollars per million tokens are micro-dollars per token.
          costMicros: Math.round(inputTokens * backend.inputPerMTok + outputTokens * backend.outputPerMTok),
          latencyMs: clock.now() - started,
          outcome: 'ok',
        });
        tracker.answered({ backend: backend.id, model: result.model, request: record.id }, result.text);
        return result;
      },
    };
    const tally = { requests: 0, cancelled: 0, tokens: 0 };
    const engineBackend = { ...virtualBackend(recording, clock, pending, tally), id: backend.id };
    const engine = new CompletionEngine({ settings: () => DEFAULT_COMPLETION_SETTINGS, clock });
    const keys = typeSource(source);
    let visible: { text: string; offset: number; token: number } | undefined;
    let controller: AbortController | undefined;
    // Keys skipped by an accept come that much sooner.
    let shift = 0;
    let index = 0;
    while (index < keys.length) {
      const key = keys[index]!;
      await clock.advance(Math.max(0, key.at - shift - clock.now()));
      controller?.abort();
      const typed = key.text.slice(documentText.length);
      // The ghost text survives keys that type what it shows.
      visible =
        visible &&
        key.text.startsWith(documentText) &&
        visible.text.startsWith(typed) &&
        visible.text.length > typed.length
          ? { ...visible, text: visible.text.slice(typed.length), offset: key.text.length }
          : undefined;
      documentText = key.text;
      const call = new AbortController();
      controller = call;
      void engine
        .complete(
          {
            documentId: DOCUMENT,
            text: key.text,
            offset: key.text.length,
            languageId: 'javascript',
            trigger: 'automatic',
          },
          engineBackend,
          call.signal,
        )
        .then(
          (suggestions) => {
            const first = suggestions[0];
            if (call.signal.aborted || !first) return;
            const offset = key.text.length;
            const token = tracker.offered(DOCUMENT, offset, first.insertText, {
              backend: backend.id,
              model: 'emulator-coder',
            });
            visible = { text: first.insertText, offset, token };
          },
          () => {},
        );
      const next = keys[index + 1];
      index++;
      if (!next || next.at - key.at < PAUSE_MS) continue;
      await clock.advance(next.at - key.at - 1);
      if (!visible || visible.offset !== documentText.length) continue;
      // The developer reads the ghost text and takes what is right of it.
      const truth = source.slice(documentText.length);
      const line = visible.text.split('\n', 1)[0] ?? '';
      let taken = '';
      if (truth.startsWith(visible.text)) {
        taken = visible.text;
        tracker.acceptedWhole(visible.token);
      } else if (line.trim() && visible.text.includes('\n') && truth.startsWith(line)) {
        taken = line;
        tracker.edited(DOCUMENT, documentText.length, 0, line);
      }
      if (!taken) continue;
      documentText += taken;
      visible = undefined;
      // Skip the keys that would have typed what was taken.
      while (index < keys.length && keys[index]!.text.length <= documentText.length) index++;
      const resume = keys[index];
      if (resume) shift += resume.at - next.at;
    }
    controller?.abort();
    // Past the last accept's check.
    await clock.advance(60_000);
    const figures = new AcceptanceTally();
    for await (const record of ledger.records()) figures.addRequest(record);
    for await (const event of ledger.events()) figures.addEvent(event);
    const [row] = figures.rows();
    if (!row) throw new Error(`the ${backend.id} replay recorded nothing`);
    return row;
  } finally {
    tracker.dispose();
    await ledger.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const usd = (figures: AcceptanceFigures) =>
  figures.costPerAccepted.kind === 'known' ? (figures.costPerAccepted.perAccepted.USD ?? 0) / 1_000_000 : NaN;

export async function benchAcceptance(): Promise<Metrics> {
  const results = new Map<string, AcceptanceFigures>();
  for (const backend of SIMULATED_BACKENDS) results.set(backend.id, await replayAcceptance(backend));
  const describe = (backend: SimulatedBackend) => {
    const f = results.get(backend.id)!;
    return `${backend.id} (right ${backend.accuracy * 100}% of the time, $${backend.inputPerMTok}/$${backend.outputPerMTok} per 1M): ${f.requests} requests, ${f.shown} shown, ${f.accepted} accepted (${f.acceptedPartial} a line only), ${f.kept} of ${f.kept + f.removed} still there after 30 s`;
  };
  for (const backend of SIMULATED_BACKENDS) console.log(`  ${describe(backend)}`);
  const note = `${REPLAY_FILE} typed through our engine against the emulator (latency ${BACKEND_LATENCY_MS} ms, virtual time); at each pause ≥ ${PAUSE_MS} ms the developer takes the ghost text when it is right (whole, or its first line). Cost per accepted = every request's cost / accepted suggestions. ${SIMULATED_BACKENDS.map(describe).join('; ')}`;
  const metrics: Metrics = {};
  for (const backend of SIMULATED_BACKENDS) {
    const other = SIMULATED_BACKENDS.find((candidate) => candidate !== backend)!;
    const mine = results.get(backend.id)!;
    const theirs = results.get(other.id)!;
    metrics[`completion.cost_per_accepted_usd.${backend.id}`] = {
      value: round(usd(mine), 8),
      unit: 'USD',
      better: 'lower',
      baseline: round(usd(theirs), 8),
      note: `baseline: the ${other.id} backend in the same run. ${note}`,
    };
    metrics[`completion.acceptance_rate.${backend.id}`] = {
      value: round(mine.acceptanceRate ?? 0, 3),
      unit: 'ratio',
      better: 'higher',
      baseline: round(theirs.acceptanceRate ?? 0, 3),
      note: `accepted / shown; baseline: the ${other.id} backend; requests per accepted ${round(mine.requestsPerAccepted ?? 0)} vs ${round(theirs.requestsPerAccepted ?? 0)}`,
    };
  }
  return metrics;
}
