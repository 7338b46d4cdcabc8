/** Writes ledger records as CSV or JSON, streaming, so a long history never sits in memory whole. */
import type { Writable } from 'node:stream';
import type { UsageRecord } from './usageRecord';

export type ExportFormat = 'csv' | 'json';

const COLUMNS = [
  'time',
  'backend',
  'model',
  'feature',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'tokens_reported',
  // In `currency`: a yuan figure is never written as dollars, and nothing is converted.
  'cost',
  'currency',
  // "metered", "included in plan" (cost left empty: the plan is paid apart) or "price unknown".
  'billing',
  'latency_ms',
  'outcome',
] as const;

/** Micro-units as an exact decimal string ("0.001702"); empty when the price is unknown. */
export function microsToUnits(micros: number | null): string {
  if (micros === null) return '';
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}

/** RFC 4180 quoting, plus a leading quote for text a spreadsheet would run as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function row(record: UsageRecord): string[] {
  return [
    new Date(record.time).toISOString(),
    record.backend,
    record.model,
    record.feature,
    String(record.inputTokens),
    String(record.outputTokens),
    String(record.cacheReadTokens),
    String(record.cacheWriteTokens),
    record.reported ? 'reported' : 'estimated',
    record.inPlan ? '' : microsToUnits(record.costMicros),
    record.costMicros === null || record.inPlan ? '' : record.currency,
    record.inPlan ? 'included in plan' : record.costMicros === null ? 'price unknown' : 'metered',
    String(Math.round(record.latencyMs)),
    record.outcome,
  ];
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(text)) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
}

/** Returns how many records were written. */
export async function exportUsage(
  records: AsyncIterable<UsageRecord>,
  format: ExportFormat,
  out: Writable,
): Promise<number> {
  let count = 0;
  if (format === 'csv') {
    await write(out, `${COLUMNS.join(',')}\n`);
    for await (const record of records) {
      await write(out, `${row(record).map(csvField).join(',')}\n`);
      count++;
    }
    return count;
  }
  await write(out, '[');
  for await (const record of records) {
    const cells = row(record);
    const entry = Object.fromEntries(COLUMNS.map((column, index) => [column, cells[index]]));
    await write(out, `${count === 0 ? '\n' : ',\n'}${JSON.stringify({ ...entry, id: record.id })}`);
    count++;
  }
  await write(out, count ? '\n]\n' : ']\n');
  return count;
}
