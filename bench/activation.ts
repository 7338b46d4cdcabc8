/**
 * extension.activate_ms: time spent in activate(), in code-server's real extension host with the
 * packaged extension, median of several fresh hosts. Baseline in the same host: requiring the SDK
 * bundle that activation defers.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/harness/browser';
import { REPO_ROOT, startWorkbench, testPayloadUrl, type Flavor } from '../test/harness/workbench';
import type { Metrics } from './metrics';

interface ProbeResult {
  activationMs: number;
  eagerSdkMs: number;
  vscodeVersion: string;
}

export async function benchActivation(flavor: Flavor, runs = 3): Promise<Metrics> {
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const probe = join(REPO_ROOT, 'out', 'bench', 'activationProbe.js');
  await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'bench', 'activationProbe.ts')],
    outfile: probe,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const samples: ProbeResult[] = [];
  const browser = await launchChromium();
  try {
    for (let i = 0; i < runs; i++) {
      const resultFile = join(scratch, `run-${i}.json`);
      const workbench = await startWorkbench({
        flavor,
        settings: {},
        env: { SWITCHBOARD_TEST_RESULTS: resultFile },
        quiet: true,
      });
      try {
        const page = await browser.newPage();
        await page.goto(testPayloadUrl(workbench, probe));
        const deadline = Date.now() + 120_000;
        while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        if (!existsSync(resultFile)) throw new Error('the activation probe wrote no result');
        await new Promise((r) => setTimeout(r, 100));
        samples.push(JSON.parse(readFileSync(resultFile, 'utf8')) as ProbeResult);
        await page.close();
      } finally {
        await workbench.stop();
      }
    }
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const activation = median(samples.map((s) => s.activationMs));
  const eager = median(samples.map((s) => s.eagerSdkMs));
  return {
    'extension.activate_ms': {
      value: round(activation),
      unit: 'ms',
      better: 'lower',
      baseline: round(eager),
      note: `median of ${runs} fresh extension hosts, VS Code ${samples[0]?.vscodeVersion}; baseline = requiring the SDK bundle in the same host (what an eager activation would add)`,
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
