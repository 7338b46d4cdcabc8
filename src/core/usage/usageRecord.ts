/**
 * One line of the usage ledger: one request to a backend. Stored as compact JSON (short keys keep
 * a million records near 150 MB); `toLine`/`fromLine` are the only places that know the keys.
 */
import { isRecord } from '../jsonValue';
import { isCurrency, type Currency } from './money';
import { count } from './tokenCounts';

export type Feature = 'completion' | 'chat' | 'probe';

export interface UsageRecord {
  /** Unique across windows: the writer's id and a sequence number. */
  id: string;
  /** Epoch milliseconds when the request finished. */
  time: number;
  backend: string;
  /**
   * What the user called the backend when the request was made, when that was more than its id:
   * the backend may be removed later, and its spend must still read as something they know.
   * Lines written before names were recorded do not say.
   */
  backendName?: string;
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
  /** 'ok', or the ProviderError kind that ended the request ('cancelled' included: once sent, it may still be billed). */
  outcome: string;
  /**
   * True when a subscription plan covers the request: `costMicros` is 0 because nothing more is
   * paid, and every view says "included in plan" rather than "$0.00".
   */
  inPlan?: boolean;
  /**
   * True when the model never ran: the server turned the request away before serving it (see
   * `wasRefused`), or it was never sent. It cost nothing, and its latency (a 429 in 20 ms) is not
   * an answer's. Lines written before this mark existed do not say.
   */
  unserved?: boolean;
}

const FEATURES: ReadonlySet<string> = new Set(['completion', 'chat', 'probe']);

export function toLine(record: UsageRecord): string {
  // Built by hand rather than through an intermediate object: this runs on every request, and
  // only the strings need escaping.
  const text = JSON.stringify;
  return (
    `{"id":${text(record.id)},"t":${record.time},"b":${text(record.backend)}${record.backendName === undefined ? '' : `,"bn":${text(record.backendName)}`},"m":${text(record.model)},"f":${text(record.feature)}` +
    `,"i":${record.inputTokens},"o":${record.outputTokens},"cr":${record.cacheReadTokens},"cw":${record.cacheWriteTokens}` +
    `,"r":${record.reported ? 1 : 0},"c":${record.costMicros === null ? 'null' : record.costMicros}${!record.currency || record.currency === 'USD' ? '' : `,"cu":${text(record.currency)}`}` +
    `,"l":${Math.round(record.latencyMs)},"k":${text(record.outcome)}${record.inPlan ? ',"ip":1' : ''}${record.unserved ? ',"us":1' : ''}}\n`
  );
}

/** Field caps: the ledger is a file any process can write, so nothing in it is trusted on read. */
const MAX_ID_CHARS = 128;
const MAX_NAME_CHARS = 256;
const MAX_OUTCOME_CHARS = 64;
/** Times past year 9999 are a foreign edit or a broken clock; days are formatted from them. */
const MIN_TIME = 0;
const MAX_TIME = Date.UTC(9999, 11, 31);
/**
 * No request comes near these: the largest context windows hold 10M tokens, and the dearest
 * models charge cents per thousand. A figure past one is a garbled or hostile line, or a server's
 * report gone wrong; counted, it would read as a fortune spent, pause every budget, and push the
 * totals past where integers are exact.
 */
const MAX_TOKENS = 1_000_000_000;
const MAX_COST_MICROS = 100_000 * 1_000_000;

// The rules a line must keep to be read, one per field: `fromLine` skips a line that breaks one,
// and `soundRecord` repairs a record that does before it is written.
const name = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : undefined);
const time = (value: unknown) => {
  const ms = count(value);
  return ms !== undefined && ms >= MIN_TIME && ms <= MAX_TIME ? ms : undefined;
};
const latency = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
/**
 * Versions before `soundRecord` wrote `Date.now() - startedAt` as it came, below zero when the
 * clock stepped back during the request: such a line is a real request, and may have cost money.
 */
const pastLatency = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : undefined;
const feature = (value: unknown) => (typeof value === 'string' && FEATURES.has(value) ? (value as Feature) : undefined);
const tokens = (value: unknown) => {
  const n = count(value);
  return n !== undefined && n <= MAX_TOKENS ? n : undefined;
};
const cost = (value: unknown) => {
  if (value === null) return null;
  const micros = count(value);
  return micros !== undefined && micros <= MAX_COST_MICROS ? micros : undefined;
};

/** Parses one line; anything malformed or out of range (a torn write, a foreign edit) is undefined, never a throw. */
export function fromLine(line: string): UsageRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  const { r, cu } = raw;
  const id = name(raw.id, MAX_ID_CHARS);
  const backend = name(raw.b, MAX_NAME_CHARS);
  const backendName = name(raw.bn, MAX_NAME_CHARS);
  const model = name(raw.m, MAX_NAME_CHARS);
  const outcome = name(raw.k, MAX_OUTCOME_CHARS);
  const input = tokens(raw.i);
  const output = tokens(raw.o);
  const cacheRead = tokens(raw.cr);
  const cacheWrite = tokens(raw.cw);
  const at = time(raw.t);
  const kind = feature(raw.f);
  const costMicros = cost(raw.c);
  const latencyMs = pastLatency(raw.l);
  if (
    id === undefined ||
    at === undefined ||
    backend === undefined ||
    model === undefined ||
    kind === undefined ||
    input === undefined ||
    output === undefined ||
    cacheRead === undefined ||
    cacheWrite === undefined ||
    costMicros === undefined ||
    !(cu === undefined || isCurrency(cu)) ||
    latencyMs === undefined ||
    outcome === undefined
  ) {
    return undefined;
  }
  return {
    id,
    time: at,
    backend,
    model,
    feature: kind,
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reported: r === 1,
    costMicros,
    currency: cu ?? 'USD',
    latencyMs,
    outcome,
    // Only a label: one that breaks the rules is left out, and the record (its spend) still counts.
    ...(backendName !== undefined && { backendName }),
    ...(raw.ip === 1 && { inPlan: true }),
    ...(raw.us === 1 && { unserved: true }),
  };
}

/**
 * A record as it can be written: one `fromLine` would skip is repaired field by field, so the
 * request still counts, and the same, in every window. A count that is no count, or past any
 * request's, is dropped (0, and the usage no longer reported); a cost that is no count or past any
 * request's, or in no known currency, becomes unknown (never 0); a latency from a clock set back
 * becomes 0; a name too long is cut; a time out of range becomes `now`. `repaired` names the fields changed, for the log; empty when none was.
 */
export function soundRecord(record: UsageRecord, now: number): { record: UsageRecord; repaired: string[] } {
  const repaired: string[] = [];
  const checked = <T>(field: string, value: T | undefined, fallback: T): T => {
    if (value !== undefined) return value;
    repaired.push(field);
    return fallback;
  };
  const cut = (field: string, value: unknown, max: number) =>
    checked(field, name(value, max), typeof value === 'string' ? value.slice(0, max) : 'unknown');
  const counts = {
    inputTokens: checked('inputTokens', tokens(record.inputTokens), 0),
    outputTokens: checked('outputTokens', tokens(record.outputTokens), 0),
    cacheReadTokens: checked('cacheReadTokens', tokens(record.cacheReadTokens), 0),
    cacheWriteTokens: checked('cacheWriteTokens', tokens(record.cacheWriteTokens), 0),
  };
  const countsKept = repaired.length === 0;
  const currencyKnown = isCurrency(record.currency);
  if (!currencyKnown) repaired.push('currency');
  const costMicros = checked('costMicros', cost(record.costMicros), null);
  const sound: UsageRecord = {
    // The marks (inPlan, unserved, any added later) as they are: the checked fields follow.
    ...record,
    id: cut('id', record.id, MAX_ID_CHARS),
    time: checked('time', time(record.time), now),
    backend: cut('backend', record.backend, MAX_NAME_CHARS),
    ...(record.backendName !== undefined && { backendName: cut('backendName', record.backendName, MAX_NAME_CHARS) }),
    model: cut('model', record.model, MAX_NAME_CHARS),
    feature: checked('feature', feature(record.feature), 'chat'),
    ...counts,
    reported: record.reported === true && countsKept,
    costMicros: currencyKnown ? costMicros : null,
    currency: currencyKnown ? record.currency : 'USD',
    latencyMs: checked('latencyMs', latency(record.latencyMs), 0),
    outcome: cut('outcome', record.outcome, MAX_OUTCOME_CHARS),
  };
  return { record: sound, repaired };
}
