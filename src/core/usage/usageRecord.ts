/**
 * One line of the usage ledger: one request to a backend. Stored as compact JSON (short keys keep
 * a million records near 150 MB); `toLine`/`fromLine` are the only places that know the keys.
 */
import { isRecord } from '../jsonValue';
import { isCurrency, type Currency } from './money';

export type Feature = 'completion' | 'chat' | 'probe';

export interface UsageRecord {
  /** Unique across windows: the writer's id and a sequence number. */
  id: string;
  /** Epoch milliseconds when the request finished. */
  time: number;
  backend: string;
  model: string;
  feature: Feature;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** False when the backend reported no counts and they were estimated. */
  reported: boolean;
  /** Integer micro-units of `currency`; null when the price is unknown (never guessed as 0). */
  costMicros: number | null;
  /** What `costMicros` is counted in. Lines written before currencies existed are USD. */
  currency: Currency;
  latencyMs: number;
  /** 'ok', or the ProviderError kind that ended the request ('cancelled' included: it may still be billed). */
  outcome: string;
}

const FEATURES: ReadonlySet<string> = new Set(['completion', 'chat', 'probe']);

export function toLine(record: UsageRecord): string {
  // Built by hand rather than through an intermediate object: this runs on every request, and
  // only the strings need escaping.
  const text = JSON.stringify;
  return (
    `{"id":${text(record.id)},"t":${record.time},"b":${text(record.backend)},"m":${text(record.model)},"f":${text(record.feature)}` +
    `,"i":${record.inputTokens},"o":${record.outputTokens},"cr":${record.cacheReadTokens},"cw":${record.cacheWriteTokens}` +
    `,"r":${record.reported ? 1 : 0},"c":${record.costMicros === null ? 'null' : record.costMicros}${!record.currency || record.currency === 'USD' ? '' : `,"cu":${text(record.currency)}`}` +
    `,"l":${Math.round(record.latencyMs)},"k":${text(record.outcome)}}\n`
  );
}

/** Parses one line; anything malformed (a torn write, a foreign edit) is undefined, never a throw. */
export function fromLine(line: string): UsageRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  const { id, t, b, m, f, i, o, cr, cw, r, c, cu, l, k } = raw;
  const count = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
  const input = count(i);
  const output = count(o);
  const cacheRead = count(cr);
  const cacheWrite = count(cw);
  if (
    typeof id !== 'string' ||
    typeof t !== 'number' ||
    typeof b !== 'string' ||
    typeof m !== 'string' ||
    typeof f !== 'string' ||
    !FEATURES.has(f) ||
    input === undefined ||
    output === undefined ||
    cacheRead === undefined ||
    cacheWrite === undefined ||
    !(c === null || (typeof c === 'number' && Number.isInteger(c))) ||
    !(cu === undefined || isCurrency(cu)) ||
    typeof l !== 'number' ||
    typeof k !== 'string'
  ) {
    return undefined;
  }
  return {
    id,
    time: t,
    backend: b,
    model: m,
    feature: f as Feature,
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reported: r === 1,
    costMicros: c,
    currency: cu ?? 'USD',
    latencyMs: l,
    outcome: k,
  };
}
