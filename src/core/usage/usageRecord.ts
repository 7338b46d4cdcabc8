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
    `{"id":${text(record.id)},"t":${record.time},"b":${text(record.backend)},"m":${text(record.model)},"f":${text(record.feature)}` +
    `,"i":${record.inputTokens},"o":${record.outputTokens},"cr":${record.cacheReadTokens},"cw":${record.cacheWriteTokens}` +
    `,"r":${record.reported ? 1 : 0},"c":${record.costMicros === null ? 'null' : record.costMicros}${!record.currency || record.currency === 'USD' ? '' : `,"cu":${text(record.currency)}`}` +
    `,"l":${Math.round(record.latencyMs)},"k":${text(record.outcome)}${record.inPlan ? ',"ip":1' : ''}${record.unserved ? ',"us":1' : ''}}\n`
  );
}

/** Field caps on read: the ledger is a file any process can write, so nothing in it is trusted. */
const MAX_ID_CHARS = 128;
const MAX_NAME_CHARS = 256;
const MAX_OUTCOME_CHARS = 64;
/** Times past year 9999 are a foreign edit or a broken clock; days are formatted from them. */
const MIN_TIME = 0;
const MAX_TIME = Date.UTC(9999, 11, 31);

const count = (value: unknown) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
const name = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : undefined);

/** Parses one line; anything malformed or out of range (a torn write, a foreign edit) is undefined, never a throw. */
export function fromLine(line: string): UsageRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  const { t, f, r, c, cu, l } = raw;
  const id = name(raw.id, MAX_ID_CHARS);
  const backend = name(raw.b, MAX_NAME_CHARS);
  const model = name(raw.m, MAX_NAME_CHARS);
  const outcome = name(raw.k, MAX_OUTCOME_CHARS);
  const input = count(raw.i);
  const output = count(raw.o);
  const cacheRead = count(raw.cr);
  const cacheWrite = count(raw.cw);
  const time = count(t);
  if (
    id === undefined ||
    time === undefined ||
    time < MIN_TIME ||
    time > MAX_TIME ||
    backend === undefined ||
    model === undefined ||
    typeof f !== 'string' ||
    !FEATURES.has(f) ||
    input === undefined ||
    output === undefined ||
    cacheRead === undefined ||
    cacheWrite === undefined ||
    !(c === null || count(c) !== undefined) ||
    !(cu === undefined || isCurrency(cu)) ||
    typeof l !== 'number' ||
    !Number.isFinite(l) ||
    l < 0 ||
    outcome === undefined
  ) {
    return undefined;
  }
  return {
    id,
    time,
    backend,
    model,
    feature: f as Feature,
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reported: r === 1,
    costMicros: c as number | null,
    currency: cu ?? 'USD',
    latencyMs: l,
    outcome,
    ...(raw.ip === 1 && { inPlan: true }),
    ...(raw.us === 1 && { unserved: true }),
  };
}
