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
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../test/emulator/server';
import { emulatorProviderSettings, startWorkbench, type Workbench } from '../test/harness/workbench';
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
import { median, round } from './metrics';

export const STREAM_TOKENS_PER_SECOND = 50;
const RUNS = Number(process.env.SWITCHBOARD_EDITOR_RUNS ?? 3);

/**
 * A model that runs on: the emulator's generic first line, then lines of code at the file's left
 * margin (each ends a block the cursor is in, as a model's next function would), until `max_tokens`.
 */
const RUNNING_ANSWER = ` // suggestion from the Switchboard emulator\n${'const emulated = next(emulated);\n'.repeat(40)}`;

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
      settings: { ...emulatorProviderSettings(emulator.openaiBaseUrl), ...PLAIN_EDITOR },
    });
    for (let run = 1; run <= runs; run++) writeFileSync(join(workbench.folder, `replay-stream-${run}.js`), '');
    const opened = await openWorkbenchPage(workbench);
    browser = opened.browser;
    await opened.page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).waitFor({ timeout: 60_000 });
    for (let run = 1; run <= runs; run++) {
      const result = await typeRun(opened.page, emulator, workbench, `replay-stream-${run}.js`, typist(source, run));
      results.push(result);
      log(
        `  ${vsix === PACKAGED_VSIX ? 'now' : 'before'} run ${run}: ${result.generations} generations, ghost at ${result.shown}/${result.pauses} pauses, p50 ${round(median(result.delays), 0)} ms (of those shown), ${result.tokens} tokens`,
      );
    }
  } finally {
    await closeAll(browser, workbench, emulator);
  }
  return results;
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
  const now = await measure(PACKAGED_VSIX, RUNS, console.log);
  const then = await measure(before, RUNS, console.log);
  for (const [name, runs] of [
    ['now', now],
    ['before', then],
  ] as const) {
    const s = summary(runs);
    console.log(
      `${name}: ghost at ${round(s.shown, 3)} of pauses; pause → ghost p50 ${round(s.p50, 0)} ms of those shown, ${round(p50AllPauses(runs), 0)} ms over all pauses (none = never); p90 ${round(s.p90, 0)} ms; ${round(s.per100, 2)} generations and ${round(s.tokensPer100, 0)} tokens per 100 keys (medians of ${RUNS} runs)`,
    );
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
