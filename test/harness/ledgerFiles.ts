import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromLine, type UsageRecord } from '../../src/core/usage/usageRecord';

/** Every record in the usage ledger the extension wrote, wherever under the user data dir its global storage is. */
export function ledgerRecords(userDataDir: string): UsageRecord[] {
  return (readdirSync(userDataDir, { recursive: true }) as string[])
    .filter((file) => /switchboard.*[/\\]usage-[^/\\]*\.jsonl$/.test(file))
    .flatMap((file) => readFileSync(join(userDataDir, file), 'utf8').split('\n'))
    .flatMap((line) => fromLine(line) ?? []);
}

/**
 * Writes `lines` as a ledger file of today's in the packaged extension's global storage, before
 * the workbench opens, as an earlier window of the user's would have left it.
 */
export function seedLedger(userDataDir: string, lines: string, now = Date.now()): void {
  const dir = join(userDataDir, 'User', 'globalStorage', 'switchboard-dev.switchboard', 'usage');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `usage-${new Date(now).toISOString().slice(0, 10)}-seed.jsonl`), lines);
}
