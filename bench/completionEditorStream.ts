/**
 * The in-editor replay against a backend that streams at a model's pace: the first byte after
 * 150 ms as in `completionEditor.ts`, then `STREAM_TOKENS_PER_SECOND` tokens a second, and answers
 * that run on for several lines as FIM models do when nothing stops them (a line completion asks
 * for several lines since issue #14, so that a block or the next line can come whole).
 *
 * It compares two packaged builds in the same run, same keystrokes: this one, which shows ghost
 * text as soon as the lines received fix it, and an earlier one given in `SWITCHBOARD_BEFORE_VSIX`,
 * which waits for the whole answer. Answers never match what is typed next (the generic mode), so
 * every pause needs its own request. Not part of `npm run bench` (it needs the second build):
 *   SWITCHBOARD_BEFORE_VSIX=/path/to/before.vsix node --import tsx bench/completionEditorStream.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../test/emulator/server';
import { emulatorProviderSettings, REPO_ROOT, startWorkbench, type Workbench } from '../test/harness/workbench';
import { closeAll, openWorkbenchPage, PACKAGED_VSIX } from '../test/harness/workbenchPage';
import {
  EDITOR_BACKEND_LATENCY_MS,
  excerpt,
  PLAIN_EDITOR,
  summary,
  typeRun,
  typist,
  type EditorRun,
} from './completionEditor';
import { median, round, type Metrics } from './metrics';

export const STREAM_TOKENS_PER_SECOND = 50;
const RUNS = Number(process.env.SWITCHBOARD_EDITOR_RUNS ?? 3);
/**
 * `fim` (the default): a server with a FIM endpoint (`/v1/completions`). `chat`: Alibaba's Coding
 * Plan, which has none, so a chat model fills the hole and answers in a fence, as the emulator's
 * chat models do; its figures go to `completion.editor_stream_chat_*`.
 */
const ROUTE = process.env.SWITCHBOARD_STREAM_ROUTE === 'chat' ? 'chat' : 'fim';
/**
 * `runs-on` (the default): the answer below. `moves-on`: the first line, two more, then a blank
 * line and another function, as a model does that finishes the code at the cursor and goes on to
 * write the next thing; its figures go to `…_moves_on_*`.
 */
const ANSWER = process.env.SWITCHBOARD_STREAM_ANSWER === 'moves-on' ? 'moves-on' : 'runs-on';
const METRIC = `${ROUTE === 'chat' ? 'completion.editor_stream_chat' : 'completion.editor_stream'}${ANSWER === 'moves-on' ? '_moves_on' : ''}`;

/**
 * A model that runs on: the emulator's generic first line, then lines of code at the file's left
 * margin (each ends a block the cursor is in, as a model's next function would), until `max_tokens`.
 */
const RUNNING_ANSWER =
  ANSWER === 'moves-on'
    ? ` // suggestion from the Switchboard emulator\nconst emulated = next(emulated);\nreport(emulated);\n\nfunction next(value) {\n${'  value = step(value);\n'.repeat(40)}}\n`
    : ` // suggestion from the Switchboard emulator\n${'const emulated = next(emulated);\n'.repeat(40)}`;

async function measure(vsix: string, runs: number, log: (line: string) => void): Promise<EditorRun[]> {
  const { source } = excerpt();
  const emulator = await startEmulator({
    latencyMs: EDITOR_BACKEND_LATENCY_MS,
    tokensPerSecond: STREAM_TOKENS_PER_SECOND,
    fimResponder: () => RUNNING_ANSWER,
  });
  let workbench: Workbench | undefined;
  let browser: Awaited<ReturnType<typeof openWorkbenchPage>>['browser'] | undefined;
  const results: EditorRun[] = [];
  try {
    workbench = await startWorkbench({
      flavor: 'min',
      vsix,
      quiet: true,
      ...(ROUTE === 'chat' && { env: { BAILIAN_CODING_PLAN_API_KEY: 'sk-sp-bench-0123456789abcdef' } }),
      settings: {
        ...emulatorProviderSettings(emulator.openaiBaseUrl),
        ...(ROUTE === 'chat' && {
          'switchboard.providers': [
            {
              id: 'emulator',
              name: 'Emulator (demo)',
              preset: 'coding-plan-intl',
              baseUrl: emulator.baseUrls.codingPlan,
              apiKeyEnv: 'BAILIAN_CODING_PLAN_API_KEY',
              chatModel: 'emulator-chat',
              completionModel: 'emulator-coder',
            },
          ],
          // The plan's 5-hour window would slow completion at a bench's pace (the gears, measured
          // by the routing benchmark); here only how soon an answer shows is measured.
          'switchboard.completion.yieldToChat': false,
        }),
        ...PLAIN_EDITOR,
      },
    });
    for (let run = 1; run <= runs; run++) writeFileSync(join(workbench.folder, `replay-stream-${run}.js`), '');
    const opened = await openWorkbenchPage(workbench);
    browser = opened.browser;
    await opened.page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).waitFor({ timeout: 60_000 });
    for (let run = 1; run <= runs; run++) {
      const result = await typeRun(opened.page, emulator, workbench, `replay-stream-${run}.js`, typist(source, run));
      results.push(result);
      log(
        `  ${vsix === PACKAGED_VSIX ? 'now' : 'before'} run ${run}: ${result.generations} generations, ghost at ${result.shown}/${result.pauses} pauses, p50 ${round(median(result.delays), 0)} ms (of those shown), ${result.tokens} tokens in the ledger, ${result.generatedTokens()} output tokens generated so far`,
      );
    }
    // The last run's streams may still be running: let them end, or be closed, before counting.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
  } finally {
    await closeAll(browser, workbench, emulator);
  }
  return results;
}

/** Output tokens the emulator generated per 100 keys, as a server bills them: median over runs. */
function generatedPer100(runs: readonly EditorRun[]): number {
  return median(runs.map((run) => (100 * run.generatedTokens()) / run.keys));
}

/** p50 over every pause, a pause with no ghost text before the next key counting as never. */
function p50AllPauses(runs: readonly EditorRun[]): number {
  return median(
    runs.map((run) =>
      median([...run.delays, ...Array.from({ length: run.pauses - run.shown }, () => Number.POSITIVE_INFINITY)]),
    ),
  );
}

async function main(): Promise<void> {
  const before = process.env.SWITCHBOARD_BEFORE_VSIX;
  if (!before) throw new Error('set SWITCHBOARD_BEFORE_VSIX to the earlier build to compare with');
  const label = process.env.SWITCHBOARD_BEFORE_LABEL ?? 'the earlier build';
  const now = await measure(PACKAGED_VSIX, RUNS, console.log);
  const then = await measure(before, RUNS, console.log);
  const lines: string[] = [];
  for (const [name, runs] of [
    ['now', now],
    ['before', then],
  ] as const) {
    const s = summary(runs);
    const line = `${name}: ghost at ${round(s.shown, 3)} of pauses; pause → ghost p50 ${s.shown ? `${round(p50AllPauses(runs), 0)} ms` : 'never'} over all pauses (a pause without ghost text counts as never); p90 ${s.shown ? `${round(s.p90, 0)} ms` : 'never'}; ${round(s.per100, 2)} generations, ${round(s.tokensPer100, 0)} tokens in the ledger and ${round(generatedPer100(runs), 0)} output tokens generated per 100 keys`;
    console.log(line);
    lines.push(line);
  }
  const ours = summary(now);
  const base = summary(then);
  const route =
    ROUTE === 'chat'
      ? "Alibaba's Coding Plan, which has no FIM endpoint: a chat model fills the hole and answers in a fence"
      : 'a FIM endpoint (/v1/completions)';
  const answer =
    ANSWER === 'moves-on'
      ? 'answers of three lines, a blank line and another function (never matching the next keys)'
      : 'answers that run on for many lines and never match the next keys';
  const setup = `VS Code 1.100.3 (code-server), packaged VSIX, ${route}, emulator at ${EDITOR_BACKEND_LATENCY_MS} ms to the first byte then ${STREAM_TOKENS_PER_SECOND} tokens/s, ${answer}; medians of ${RUNS} runs (seeds 1–${RUNS}); baseline = ${label}, whole answers, same keystrokes. ${lines.join('. ')}`;
  const file = join(REPO_ROOT, 'bench', 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Metrics;
  results[`${METRIC}_shown_at_pauses_ratio`] = {
    value: round(ours.shown, 3),
    unit: 'ratio',
    better: 'higher',
    baseline: round(base.shown, 3),
    note: `pauses with ghost text before the next key against a streaming backend. ${setup}`,
  };
  results[`${METRIC}_pause_to_ghost_ms_p50`] = {
    value: round(p50AllPauses(now), 0),
    unit: 'ms',
    better: 'lower',
    ...(base.shown > 0 && { baseline: round(p50AllPauses(then), 0) }),
    note: `over all pauses; the baseline showed ghost text at ${round(base.shown, 3)} of pauses (no figure: never)`,
  };
  results[`${METRIC}_tokens_per_100_keys`] = {
    value: round(ours.tokensPer100, 0),
    unit: 'tokens',
    better: 'lower',
    baseline: round(base.tokensPer100, 0),
    note: `completion tokens billed per 100 keys (input and output, as the ledger records them), same keystrokes, medians of ${RUNS} runs; baseline = ${label}`,
  };
  results[`${METRIC}_output_tokens_generated_per_100_keys`] = {
    value: round(generatedPer100(now), 0),
    unit: 'tokens',
    better: 'lower',
    baseline: round(generatedPer100(then), 0),
    note: `output tokens the emulator generated for completions per 100 keys, counted at the server as it would bill them (a stream closed early stops there), medians of ${RUNS} runs; baseline = ${label}`,
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
