/**
 * A separate process appending to a ledger, for the multi-window test and benchmark:
 * `tsx usageLedgerWriter.ts DIR COUNT [BACKEND]`. Without BACKEND each process writes as its own
 * backend; with it, several processes share one (windows using the same plan).
 */
import { UsageLedger } from '../../src/core/usage/usageLedger';

async function main(): Promise<void> {
  const [dir, count, backend] = process.argv.slice(2);
  if (!dir || !count) throw new Error('usage: usageLedgerWriter DIR COUNT [BACKEND]');
  const ledger = await UsageLedger.open({ dir });
  for (let i = 0; i < Number(count); i++) {
    ledger.append({
      backend: backend ?? `w${process.pid}`,
      model: 'm',
      feature: 'completion',
      inputTokens: 10,
      outputTokens: 2,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reported: true,
      costMicros: 7,
      latencyMs: 5,
      outcome: 'ok',
    });
    // Let the other writers interleave with us.
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await ledger.close();
}

void main();
