/**
 * Writes ledger records as CSV or JSON, streaming, so a long history never sits in memory whole.
 * Completion events follow the requests as rows of their own (`record` says which), linked to
 * their request by `request_id`; their token, cost and latency cells are empty.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { CompletionEvent } from './completionEvent';
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
  // "metered", "included in plan" (cost left empty: the plan is paid apart), "not billed" (refused
  // before the model ran, or never sent; cost left empty) or "price unknown".
  'billing',
  'latency_ms',
  'outcome',
  // Added with completion events; older columns keep their places.
  'record',
  'id',
  'request_id',
  'accepted_how',
  'chars',
  // The backend's name when the request was made, so a removed backend's rows still say what it
  // was; its id where the ledger kept none (older records, or a name the same as its id).
  'backend_name',
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

/** The billing column: a refused or unsent request (the model never ran) is no spend at all. */
function billing(record: UsageRecord): string {
  if (record.inPlan) return 'included in plan';
  if (record.unserved) return 'not billed';
  return record.costMicros === null ? 'price unknown' : 'metered';
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
    record.inPlan || record.unserved ? '' : microsToUnits(record.costMicros),
    record.costMicros === null || record.inPlan || record.unserved ? '' : record.currency,
    billing(record),
    String(Math.round(record.latencyMs)),
    record.outcome,
    'request',
    record.id,
    '',
    '',
    '',
    record.backendName ?? record.backend,
  ];
}

function eventRow(event: CompletionEvent): string[] {
  return [
    new Date(event.time).toISOString(),
    event.backend,
    event.model,
    'completion',
    // Tokens, cost, billing, latency and outcome belong to the request.
    ...new Array<string>(COLUMNS.indexOf('record') - 4).fill(''),
    event.kind,
    event.id,
    event.request ?? '',
    event.how ?? '',
    String(event.chars),
    '',
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

/** Returns how many request records were written (the events are written after them). */
export async function exportUsage(
  records: AsyncIterable<UsageRecord>,
  format: ExportFormat,
  out: Writable,
  events: AsyncIterable<CompletionEvent> = (async function* () {})(),
): Promise<number> {
  let count = 0;
  if (format === 'csv') {
    await write(out, `${COLUMNS.join(',')}\n`);
    for await (const record of records) {
      await write(out, `${row(record).map(csvField).join(',')}\n`);
      count++;
    }
    for await (const event of events) await write(out, `${eventRow(event).map(csvField).join(',')}\n`);
    return count;
  }
  let written = 0;
  const entry = async (cells: string[]) => {
    const object = Object.fromEntries(COLUMNS.map((column, index) => [column, cells[index]]));
    await write(out, `${written++ === 0 ? '\n' : ',\n'}${JSON.stringify(object)}`);
  };
  await write(out, '[');
  for await (const record of records) {
    await entry(row(record));
    count++;
  }
  for await (const event of events) await entry(eventRow(event));
  await write(out, written ? '\n]\n' : ']\n');
  return count;
}

/**
 * `exportUsage` into `file`, created (or replaced) for the user alone. Rejects with the file's
 * error: one that cannot be opened (a folder the user may not write to) fails only after the
 * first rows are buffered, and with no listener its error would be an uncaught exception.
 */
export async function exportUsageToFile(
  records: AsyncIterable<UsageRecord>,
  format: ExportFormat,
  file: string,
  events?: AsyncIterable<CompletionEvent>,
): Promise<number> {
  const out = createWriteStream(file, { mode: 0o600 });
  let failed: Error | undefined;
  out.on('error', (error) => (failed ??= error));
  let count: number;
  try {
    count = await exportUsage(records, format, out, events);
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  if (failed) throw failed;
  return count;
}
