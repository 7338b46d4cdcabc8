/**
 * A separate process appending to a ledger, for the multi-window test and benchmark:
 * `tsx usageLedgerWriter.ts DIR COUNT [BACKEND] [--events]`. Without BACKEND each process writes
 * as its own backend; with it, several processes share one (windows using the same plan). With
 * `--events` each request's suggestion is also shown, every second one accepted (odd ones a word
 * at a time) and every fourth checked as kept, each linked to its request.
 */
import { UsageLedger } from '../../src/core/usage/usageLedger';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const events = args.includes('--events');
  const [dir, count, backend] = args.filter((arg) => arg !== '--events');
  if (!dir || !count) throw new Error('usage: usageLedgerWriter DIR COUNT [BACKEND] [--events]');
  const ledger = await UsageLedger.open({ dir });
  for (let i = 0; i < Number(count); i++) {
    const request = ledger.append({
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
    if (events) {
      const about = { backend: request.backend, model: request.model, request: request.id, chars: 12 };
      ledger.appendEvent({ ...about, kind: 'shown' });
      if (i % 2 === 0) ledger.appendEvent({ ...about, kind: 'accepted', how: i % 4 === 0 ? 'whole' : 'word' });
      if (i % 4 === 0) ledger.appendEvent({ ...about, kind: 'kept' });
    }
    // Let the other writers interleave with us.
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await ledger.close();
}

void main();
