/**
 * Loaded as `extensionTestsPath` by bench/activation.ts, inside the real extension host.
 * Measures Switchboard's own activation, then, in the same host, the baseline: what requiring
 * the SDK bundle costs, which activation avoids by loading it lazily.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SwitchboardApi } from '../src/extension';

export async function run(): Promise<void> {
  const out = process.env.SWITCHBOARD_TEST_RESULTS;
  const extension = vscode.extensions.getExtension<SwitchboardApi>('switchboard-dev.switchboard');
  if (!extension) throw new Error('Switchboard is not installed');
  const api = await extension.activate();
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- measuring an eager load is the point
  require(join(extension.extensionPath, 'dist', 'providerRuntime.js'));
  const eagerSdkMs = performance.now() - started;
  if (out)
    writeFileSync(out, JSON.stringify({ activationMs: api.activationMs, eagerSdkMs, vscodeVersion: vscode.version }));
}
