/**
 * The in-editor replay (issue #14): the packaged VSIX in code-server, driven by headless Chromium,
 * a real source file typed with human-like seeded timing, the emulator answering after a fixed
 * 150 ms. Ghost text is timed as the page shows it: from the last key before a pause to the first
 * animation frame with a ghost-text decoration in the DOM.
 *
 * Two windows are measured with the same keystrokes: ours (default settings) and the baseline most
 * extensions ship (a fixed 350 ms debounce, no reuse: `completion.debounceMs: 350`,
 * `completion.reuse: false`). Each types the excerpt in two emulator modes: `generic`, where the
 * answer never matches what the user types next (every pause needs a fresh request), and
 * `continuation`, where it is the file's real continuation (so type-ahead can serve it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../test/emulator/server';
import { ledgerRecords } from '../test/harness/ledgerFiles';
import { emulatorProviderSettings, REPO_ROOT, startWorkbench, type Workbench } from '../test/harness/workbench';
import { closeAll, openWorkbenchPage, PACKAGED_VSIX } from '../test/harness/workbenchPage';
import { median, round, type Metrics } from './metrics';
import { keyGaps, seededRandom } from './replayDriver';

/** Not written for this benchmark: debug's shared core (pinned by package-lock.json), lines 41–52. */
const SOURCE_FILE = 'node_modules/debug/src/common.js';
const SOURCE_LINES: readonly [number, number] = [41, 52];
export const EDITOR_BACKEND_LATENCY_MS = 150;
const RUNS = Number(process.env.SWITCHBOARD_EDITOR_RUNS ?? 3);
/** Gaps at least this long are the pauses where a developer looks for a suggestion. */
const PAUSE_MS = 900;

/** Editor behaviour that would change the typed text or cover the ghost text. */
export const PLAIN_EDITOR = {
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingComments': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.parameterHints.enabled': false,
  'editor.hover.enabled': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.inlineSuggest.enabled': true,
  'files.autoSave': 'afterDelay',
};

interface Key {
  /** Milliseconds after the start of typing. */
  at: number;
  /** What the key types: one character, or a line break with the next line's indentation. */
  text: string;
}

/**
 * A developer typing `source`: log-normal gaps between keys (median 150 ms, σ 0.5, clipped to
 * 40–800 ms), and thinking pauses of 0.9–2.5 s after half the line ends and a fifth of the
 * punctuation keys. Enter carries the next line's indentation (the editor's auto-indent).
 */
export function typist(source: string, seed: number): Key[] {
  const rand = seededRandom(seed);
  const gap = keyGaps(rand, 800);
  const keys: Key[] = [];
  let at = 0;
  let index = 0;
  let previous = '';
  while (index < source.length) {
    let next = index + 1;
    if (source[index] === '\n') while (next < source.length && /[ \t]/.test(source[next] ?? '')) next++;
    const thinking = (previous === '\n' && rand() < 0.5) || (/[;,{}()[\]:=.]/.test(previous) && rand() < 0.2);
    at += thinking ? 900 + rand() * 1_600 : gap();
    keys.push({ at: Math.round(at), text: source.slice(index, next) });
    previous = source[index] ?? '';
    index = next;
  }
  return keys;
}

export interface EditorRun {
  keys: number;
  generations: number;
  tokens: number;
  pauses: number;
  shown: number;
  /** Pause → ghost in ms for the pauses that showed one. */
  delays: number[];
  /**
   * Output tokens the emulator generated for this run's completion requests, as a server bills
   * them (streams closed early included), read when called: a stream may run on after the run.
   */
  generatedTokens: () => number;
}

/** Installed in the page: times the first frame with ghost text after the latest mark. */
const WATCHER = `(() => {
  window.__sbMark = () => {
    const rec = { t0: performance.now(), t1: null };
    window.__sbRec = rec;
    const check = () => {
      if (window.__sbRec !== rec) return;
      const els = document.querySelectorAll('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text');
      let text = '';
      for (const el of els) text += el.textContent || '';
      if (text.replace(/\\u00a0/g, ' ').trim()) { rec.t1 = performance.now(); return; }
      requestAnimationFrame(check);
    };
    check();
  };
  window.__sbRead = () => { const rec = window.__sbRec; window.__sbRec = null; return rec; };
})()`;

export async function typeRun(
  page: Page,
  emulator: Emulator,
  workbench: Workbench,
  file: string,
  keys: readonly Key[],
): Promise<EditorRun> {
  await openByName(page, file);
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor();
  await page.waitForTimeout(1_000);
  await editor.locator('.view-lines').click();
  await page.evaluate(WATCHER);
  const tokensBefore = completionTokens(workbench);
  const requestsBefore = completionRequests(emulator);
  const recordedBefore = emulator.requests.length;
  const run: EditorRun = {
    keys: keys.length,
    generations: 0,
    tokens: 0,
    pauses: 0,
    shown: 0,
    delays: [],
    generatedTokens: () => 0,
  };
  const start = Date.now();
  for (const [i, key] of keys.entries()) {
    const wait = start + key.at - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // A pause that began at the previous key ends now: read what the page showed during it.
    if (i > 0 && key.at - (keys[i - 1]?.at ?? 0) >= PAUSE_MS) {
      const rec = (await page.evaluate('window.__sbRead()')) as { t0: number; t1: number | null } | null;
      run.pauses++;
      if (rec?.t1 != null) {
        run.shown++;
        run.delays.push(rec.t1 - rec.t0);
      }
    }
    // Enter and the new line's indentation arrive as one edit, as an editor's auto-indent makes them.
    if (key.text.startsWith('\n')) {
      await page.keyboard.insertText(key.text);
    } else {
      await page.keyboard.type(key.text);
    }
    const next = keys[i + 1];
    if (next && next.at - key.at >= PAUSE_MS) await page.evaluate('window.__sbMark()');
  }
  await page.waitForTimeout(1_500);
  run.generations = completionRequests(emulator) - requestsBefore;
  run.tokens = completionTokens(workbench) - tokensBefore;
  const records = emulator.requests.slice(recordedBefore).filter((request) => request.path.endsWith('/completions'));
  run.generatedTokens = () => records.reduce((sum, request) => sum + request.generatedTokens, 0);
  await page.keyboard.press('Escape');
  return run;
}

/** Opens a workspace file through Quick Open; a file created a moment ago may need a second look. */
async function openByName(page: Page, file: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(file);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
}

/** Requests for completions: FIM (`/v1/completions`) or, on a chat-only backend, a hole-fill over chat (nothing else chats here). */
function completionRequests(emulator: Emulator): number {
  return emulator.requests.filter((request) => request.path.endsWith('/completions')).length;
}

function completionTokens(workbench: Workbench): number {
  return ledgerRecords(workbench.userDataDir)
    .filter((record) => record.feature === 'completion')
    .reduce((sum, record) => sum + (record.inputTokens ?? 0) + (record.outputTokens ?? 0), 0);
}

/**
 * The file's real continuation after the prompt's text before the cursor. `source` is the excerpt
 * typed, found at `start` in `file`: past the excerpt's end the file goes on, and so does the answer.
 */
function continuation(source: string, file: string, start: number): (prefix: string) => string | undefined {
  return (prefix) => {
    // The prompt starts with a header the file does not have: match the longest tail it does have.
    for (let length = Math.min(300, prefix.length); length >= 1; length--) {
      const tail = prefix.slice(-length);
      const found = source.indexOf(tail);
      if (found !== -1) return file.slice(start + found + length, start + found + length + 300);
    }
    return undefined;
  };
}

type Mode = 'generic' | 'continuation';
type Strategy = 'ours' | 'baseline' | 'fast' | 'frugal';

/**
 * The windows measured, each with its settings and modes: ours (the defaults), the baseline, and
 * ours at the two other `completion.speed` settings, which trade generations for pause → ghost
 * time the other way round (generic mode only: with right answers type-ahead serves them alike).
 */
const WINDOWS: readonly {
  strategy: Strategy;
  settings: Record<string, unknown>;
  modes: readonly Mode[];
  /** At most this many runs (seeds 1–n): the speed windows are context for the headline, not it. */
  maxRuns?: number;
}[] = [
  { strategy: 'ours', settings: {}, modes: ['generic', 'continuation'] },
  {
    strategy: 'baseline',
    settings: { 'switchboard.completion.debounceMs': 350, 'switchboard.completion.reuse': false },
    modes: ['generic', 'continuation'],
  },
  { strategy: 'fast', settings: { 'switchboard.completion.speed': 'fast' }, modes: ['generic'], maxRuns: 3 },
  { strategy: 'frugal', settings: { 'switchboard.completion.speed': 'frugal' }, modes: ['generic'], maxRuns: 3 },
];

export type EditorResults = Record<Strategy, Record<Mode, EditorRun[]>>;

/** The excerpt typed, the whole file it comes from, and where in the file it starts. */
export function excerpt(): { source: string; whole: string; start: number } {
  const whole = readFileSync(join(REPO_ROOT, SOURCE_FILE), 'utf8');
  const lines = whole.split('\n');
  const source = `${lines.slice(SOURCE_LINES[0] - 1, SOURCE_LINES[1]).join('\n')}\n`;
  return { source, whole, start: whole.indexOf(source) };
}

export async function measureInEditor(
  runs = RUNS,
  log: (line: string) => void = console.log,
  only: readonly Strategy[] = WINDOWS.map((window) => window.strategy),
): Promise<EditorResults> {
  const { source, whole, start } = excerpt();
  const results: EditorResults = {
    ours: { generic: [], continuation: [] },
    baseline: { generic: [], continuation: [] },
    fast: { generic: [], continuation: [] },
    frugal: { generic: [], continuation: [] },
  };
  for (const { strategy, settings, modes, maxRuns } of WINDOWS.filter((window) => only.includes(window.strategy))) {
    const count = Math.min(runs, maxRuns ?? runs);
    const emulator = await startEmulator({ latencyMs: EDITOR_BACKEND_LATENCY_MS });
    let workbench: Workbench | undefined;
    let browser: Awaited<ReturnType<typeof openWorkbenchPage>>['browser'] | undefined;
    try {
      workbench = await startWorkbench({
        flavor: 'min',
        vsix: PACKAGED_VSIX,
        quiet: true,
        settings: {
          ...emulatorProviderSettings(emulator.openaiBaseUrl),
          ...PLAIN_EDITOR,
          ...settings,
        },
      });
      for (let run = 1; run <= count; run++)
        for (const mode of modes) writeFileSync(join(workbench.folder, `replay-${mode}-${run}.js`), '');
      const opened = await openWorkbenchPage(workbench);
      browser = opened.browser;
      await opened.page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).waitFor({ timeout: 60_000 });
      for (let run = 1; run <= count; run++) {
        for (const mode of modes) {
          emulator.configure({
            fimResponder: mode === 'continuation' ? continuation(source, whole, start) : undefined,
          });
          const file = `replay-${mode}-${run}.js`;
          const result = await typeRun(opened.page, emulator, workbench, file, typist(source, run));
          results[strategy][mode].push(result);
          log(
            `  ${strategy} ${mode} run ${run}: ${result.generations} generations / ${result.keys} keys, ghost at ${result.shown}/${result.pauses} pauses, p50 ${round(median(result.delays), 0)} ms, p90 ${round(percentile(result.delays, 0.9), 0)} ms, ${result.tokens} tokens`,
          );
        }
      }
    } finally {
      await closeAll(browser, workbench, emulator);
    }
  }
  return results;
}

export function summary(runs: readonly EditorRun[]) {
  const per100 = runs.map((run) => (100 * run.generations) / run.keys);
  return {
    p50: median(runs.map((run) => median(run.delays))),
    p90: median(runs.map((run) => percentile(run.delays, 0.9))),
    per100: median(per100),
    shown: median(runs.map((run) => run.shown / Math.max(1, run.pauses))),
    tokensPer100: median(runs.map((run) => (100 * run.tokens) / run.keys)),
    pauses: median(runs.map((run) => run.pauses)),
    keys: runs[0]?.keys ?? 0,
  };
}

export function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

export async function benchCompletionEditor(): Promise<Metrics> {
  const results = await measureInEditor();
  const ours = summary(results.ours.generic);
  const base = summary(results.baseline.generic);
  const oursRight = summary(results.ours.continuation);
  const baseRight = summary(results.baseline.continuation);
  const setup = `VS Code 1.100.3 (code-server) + headless Chromium, packaged VSIX, emulator at ${EDITOR_BACKEND_LATENCY_MS} ms; ${SOURCE_FILE} lines ${SOURCE_LINES.join('–')} (${ours.keys} keys) typed with log-normal gaps (median 150 ms) and 0.9–2.5 s pauses after half the line ends and a fifth of the punctuation; medians of ${RUNS} runs (seeds 1–${RUNS}); a shared 2-core machine`;
  const modes = (a: ReturnType<typeof summary>, b: ReturnType<typeof summary>) =>
    `ours p50 ${round(a.p50, 0)} / p90 ${round(a.p90, 0)} ms, ${round(a.per100, 2)} generations and ${round(a.tokensPer100, 0)} tokens per 100 keys, ghost at ${round(a.shown, 3)} of pauses; baseline p50 ${round(b.p50, 0)} / p90 ${round(b.p90, 0)} ms, ${round(b.per100, 2)} generations and ${round(b.tokensPer100, 0)} tokens per 100 keys, ghost at ${round(b.shown, 3)}`;
  const generic = `answers that never match the next keys: ${modes(ours, base)}`;
  const right = `answers that are the file's continuation: ${modes(oursRight, baseRight)}`;
  return {
    'completion.editor_pause_to_ghost_ms_p50': {
      value: round(ours.p50, 0),
      unit: 'ms',
      better: 'lower',
      baseline: round(base.p50, 0),
      note: `${setup}. ${generic}. ${right}`,
    },
    'completion.editor_generations_per_100_keys': {
      value: round(ours.per100, 2),
      unit: 'generations',
      better: 'lower',
      baseline: round(base.per100, 2),
      note: `answers that never match (the worst case for reuse); with the file's continuation: ours ${round(oursRight.per100, 2)}, baseline ${round(baseRight.per100, 2)}`,
    },
    'completion.editor_shown_at_pauses_ratio': {
      value: round(ours.shown, 3),
      unit: 'ratio',
      better: 'higher',
      baseline: round(base.shown, 3),
      note: `pauses with ghost text before the next key, of ${ours.pauses} pauses per run; with the file's continuation: ours ${round(oursRight.shown, 3)}, baseline ${round(baseRight.shown, 3)}`,
    },
    ...speedMetrics('fast', summary(results.fast.generic), base),
    ...speedMetrics('frugal', summary(results.frugal.generic), base),
    'completion.editor_typeahead_saving': {
      value: round(1 - oursRight.per100 / ours.per100, 3),
      unit: 'ratio',
      better: 'higher',
      baseline: round(1 - baseRight.per100 / base.per100, 3),
      note: `generations saved when the answers are the file's continuation against answers that never match: ours ${round(oursRight.per100, 2)} vs ${round(ours.per100, 2)} per 100 keys; baseline (no reuse) ${round(baseRight.per100, 2)} vs ${round(base.per100, 2)}`,
    },
  };
}

/** The other `completion.speed` settings in the generic mode, each against the baseline of the same run. */
function speedMetrics(
  speed: 'fast' | 'frugal',
  ours: ReturnType<typeof summary>,
  base: ReturnType<typeof summary>,
): Metrics {
  const runs = Math.min(RUNS, 3);
  const what = `"completion.speed": "${speed}", answers that never match, medians of ${runs} runs (seeds 1–${runs}); ghost at ${round(ours.shown, 3)} of pauses; baseline = the fixed 350 ms debounce with no reuse (medians of ${RUNS} runs)`;
  return {
    [`completion.editor_${speed}_pause_to_ghost_ms_p50`]: {
      value: round(ours.p50, 0),
      unit: 'ms',
      better: 'lower',
      baseline: round(base.p50, 0),
      note: `${what}; p90 ${round(ours.p90, 0)} ms; ${round(ours.per100, 2)} generations per 100 keys`,
    },
    [`completion.editor_${speed}_generations_per_100_keys`]: {
      value: round(ours.per100, 2),
      unit: 'generations',
      better: 'lower',
      baseline: round(base.per100, 2),
      note: `${what}; ${round(ours.tokensPer100, 0)} tokens per 100 keys; pause → ghost p50 ${round(ours.p50, 0)} ms`,
    },
  };
}
