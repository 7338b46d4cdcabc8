/**
 * Runs the integration suites inside a real extension host: code-server with the extension under
 * development, driven by a headless Chromium (the extension host starts only when a workbench
 * connects). `SWITCHBOARD_FLAVOR=min|current`. Prints each result and writes a JSON summary to
 * the path given as the first argument.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startEmulator, type Emulator } from '../emulator/server';
import type { IntegrationResults } from '../integration/index';
import { launchChromium } from './browser';
import {
  emulatorProviderSettings,
  flavorFromEnv,
  REPO_ROOT,
  startWorkbench,
  testPayloadUrl,
  type Workbench,
} from './workbench';

/** How long the host may go without finishing a test (or starting, before the first). */
const RESULTS_TIMEOUT_MS = 240_000;
/** The whole run, however steadily it progresses. */
const RUN_TIMEOUT_MS = 30 * 60_000;

async function main(): Promise<number> {
  const flavor = flavorFromEnv();
  const summaryFile = process.argv[2];
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-it-'));
  const resultsFile = join(scratch, 'results.json');
  let emulator: Emulator | undefined;
  let workbench: Workbench | undefined;
  let browser: Browser | undefined;
  try {
    emulator = await startEmulator();
    workbench = await startWorkbench({
      flavor,
      settings: emulatorProviderSettings(emulator.openaiBaseUrl),
      env: { SWITCHBOARD_TEST_RESULTS: resultsFile },
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(testPayloadUrl(workbench, join(REPO_ROOT, 'out', 'test', 'integration', 'index.js')));
    const results = await waitForResults(resultsFile, workbench);
    console.log(`integration (${flavor}): VS Code ${results.vscodeVersion}, Node ${results.nodeVersion}`);
    for (const test of results.passed) console.log(`  ✔ ${test.title}`);
    for (const test of results.failed) console.log(`  ✖ ${test.title}\n${indent(test.error)}`);
    if (summaryFile)
      writeFileSync(
        summaryFile,
        JSON.stringify({
          passed: results.passed.length,
          failed: results.failed.length,
          metrics: results.metrics,
          vscodeVersion: results.vscodeVersion,
        }),
      );
    return results.failed.length === 0 && results.passed.length > 0 ? 0 : 1;
  } catch (error) {
    console.log(`  ✖ integration (${flavor}) could not run: ${error instanceof Error ? error.message : String(error)}`);
    if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ passed: 0, failed: 1, metrics: {} }));
    return 1;
  } finally {
    await browser?.close().catch(() => {});
    await workbench?.stop().catch(() => {});
    await emulator?.close().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function waitForResults(file: string, workbench: Workbench): Promise<IntegrationResults> {
  const started = Date.now();
  const progressFile = `${file}.progress`;
  let deadline = started + RESULTS_TIMEOUT_MS;
  let done = '';
  while (Date.now() < deadline && Date.now() < started + RUN_TIMEOUT_MS) {
    // Each finished test moves the deadline: only a host that stops progressing times out.
    const now = existsSync(progressFile) ? readFileSync(progressFile, 'utf8') : '';
    if (now !== done) {
      done = now;
      deadline = Date.now() + RESULTS_TIMEOUT_MS;
    }
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as IntegrationResults;
      } catch {
        // Still being written.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const log = existsSync(workbench.logFile)
    ? readFileSync(workbench.logFile, 'utf8').split('\n').slice(-20).join('\n')
    : '';
  throw new Error(
    `the extension host finished ${done || 'no'} test(s) and then none for ${RESULTS_TIMEOUT_MS / 1000} s (or ran past ${RUN_TIMEOUT_MS / 60_000} min). Last code-server output:\n${log}`,
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 12)
    .map((line) => `      ${line}`)
    .join('\n');
}

void main().then((code) => process.exit(code));
