/**
 * Entry point the extension host loads (`extensionTestsPath`). Runs the mocha suites inside the
 * real extension host and writes the results to the file the driver named, because nothing
 * else tells the driver outside that the run is over.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import type * as VsCode from 'vscode';

export interface IntegrationResults {
  vscodeVersion: string;
  nodeVersion: string;
  passed: { title: string; durationMs: number }[];
  failed: { title: string; error: string }[];
  metrics: Record<string, number>;
}

export async function run(): Promise<void> {
  const resultsFile = process.env.SWITCHBOARD_TEST_RESULTS;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real vscode module, loaded in the host
  const vscode = require('vscode') as typeof VsCode;
  const results: IntegrationResults = {
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
    passed: [],
    failed: [],
    metrics: {},
  };
  (globalThis as { switchboardMetrics?: Record<string, number> }).switchboardMetrics = results.metrics;
  // The driver waits as long as tests keep finishing: a hung host is told from a slow machine.
  const progress = () => {
    if (resultsFile) writeFileSync(`${resultsFile}.progress`, String(results.passed.length + results.failed.length));
  };
  // A promise rejected with nobody to hear it is a failure of the test that was running, whatever
  // that test asserts: the user would meet it as an error in the log, or a step that never ran.
  let running = 'between tests';
  // The host hears some rejections twice: each is one failure.
  const heard = new Set<unknown>();
  const unhandled = (reason: unknown) => {
    if (heard.has(reason)) return;
    heard.add(reason);
    results.failed.push({
      title: `${running}: an unhandled rejection`,
      error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason),
    });
    progress();
  };
  process.on('unhandledRejection', unhandled);
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'dot' });
  const suiteDir = join(__dirname, 'suite');
  const grep = process.env.SWITCHBOARD_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.js'))
    .sort())
    mocha.addFile(join(suiteDir, file));
  try {
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('test', (test) => {
        running = test.fullTitle();
      });
      runner.on('pass', (test) => {
        results.passed.push({ title: test.fullTitle(), durationMs: test.duration ?? 0 });
        progress();
      });
      runner.on('fail', (test, error: Error) => {
        results.failed.push({ title: test.fullTitle(), error: error.stack ?? String(error) });
        progress();
      });
    });
  } catch (error) {
    results.failed.push({
      title: 'loading the integration suites',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  // Node reports a rejection once the microtask queue has drained: the last test's get their turn.
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.off('unhandledRejection', unhandled);
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  // Under @vscode/test-electron a rejected run() is how failures are reported.
  else if (results.failed.length > 0) throw new Error(`${results.failed.length} integration test(s) failed`);
}
