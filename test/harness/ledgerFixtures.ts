/** A usage record to append, and other processes appending at once: what the ledger's tests share. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { NewUsageRecord } from '../../src/core/usage/usageLedger';

/** A priced completion request to Qwen, answered and reported; `overrides` changes any field. */
export const sampleRequest = (overrides: Partial<NewUsageRecord> = {}): NewUsageRecord => ({
  backend: 'qwen',
  model: 'qwen3-coder-plus',
  feature: 'completion',
  inputTokens: 100,
  outputTokens: 20,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reported: true,
  costMicros: 200,
  latencyMs: 120,
  outcome: 'ok',
  ...overrides,
});

/**
 * Runs `writers` processes of usageLedgerWriter.ts on `dir` at once, each appending `each`
 * requests (`args`: the writer's BACKEND and `--events`); resolves once every one exits cleanly.
 */
export async function runLedgerWriters(dir: string, writers: number, each: number, ...args: string[]): Promise<void> {
  await Promise.all(
    Array.from(
      { length: writers },
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', join(__dirname, 'usageLedgerWriter.ts'), dir, String(each), ...args],
            { stdio: 'inherit' },
          );
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
        }),
    ),
  );
}
