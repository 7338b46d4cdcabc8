/**
 * `npm run bench`: runs every benchmark and writes bench/results.json (CONVENTIONS.md §9).
 * Figures already in the file from benchmarks not run this time are kept.
 *   --only name[,name]   run some benchmarks only (vsix, activation, ledger, dashboard, completion, completionCache, corpus, completionEditor, chatRender, routing, acceptance)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/harness/workbench';
import { benchAcceptance } from './acceptance';
import { benchActivation } from './activation';
import { benchChatRender } from './chatRender';
import { benchCompletion } from './completion';
import { benchCompletionCache } from './completionCache';
import { benchCompletionCorpus } from './completionCorpus';
import { benchCompletionEditor } from './completionEditor';
import { benchDashboard } from './dashboard';
import { benchLedger } from './ledger';
import type { Metrics } from './metrics';
import { benchVsixSize } from './vsixSize';
import { benchYieldToChat } from './yieldReplay';

const BENCHMARKS: Record<string, () => Metrics | Promise<Metrics>> = {
  vsix: benchVsixSize,
  activation: () => benchActivation('min'),
  ledger: benchLedger,
  dashboard: benchDashboard,
  completion: benchCompletion,
  completionCache: benchCompletionCache,
  corpus: benchCompletionCorpus,
  completionEditor: benchCompletionEditor,
  chatRender: benchChatRender,
  routing: benchYieldToChat,
  acceptance: benchAcceptance,
};

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex === -1 ? Object.keys(BENCHMARKS) : (process.argv[onlyIndex + 1] ?? '').split(',');
  const file = join(REPO_ROOT, 'bench', 'results.json');
  const results: Metrics = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Metrics) : {};
  for (const name of only) {
    const bench = BENCHMARKS[name];
    if (!bench) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    console.log(`bench: ${name} …`);
    const metrics = await bench();
    for (const [key, metric] of Object.entries(metrics)) {
      results[key] = metric;
      console.log(
        `  ${key} = ${metric.value} ${metric.unit}${metric.baseline !== undefined ? ` (baseline ${metric.baseline})` : ''}`,
      );
    }
  }
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`bench: wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
