import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromLine, type UsageRecord } from '../../src/core/usage/usageRecord';

/** Every record in the usage ledger the extension wrote, wherever under the user data dir its global storage is. */
export function ledgerRecords(userDataDir: string): UsageRecord[] {
  return (readdirSync(userDataDir, { recursive: true }) as string[])
    .filter((file) => /switchboard.*[/\\]usage-[^/\\]*\.jsonl$/.test(file))
    .flatMap((file) => readFileSync(join(userDataDir, file), 'utf8').split('\n'))
    .flatMap((line) => fromLine(line) ?? []);
}
