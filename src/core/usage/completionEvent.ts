/**
 * One line of the usage ledger about a completion suggestion rather than a request: it was shown,
 * accepted, or checked some seconds after the accept. Kept in the same per-window files as the
 * request records (append-only, one line per write), told apart by the `e` key that request lines
 * never have; older versions skip such lines as unreadable, losing nothing of their own.
 */
import { isRecord } from '../jsonValue';

export type CompletionEventKind = 'shown' | 'accepted' | 'kept' | 'removed';
/** How much of a suggestion the user took: all of it (Tab), or its next word or line. */
export type AcceptedHow = 'whole' | 'word' | 'line';

export interface CompletionEvent {
  /** Unique across windows, from the same sequence as the request records. */
  id: string;
  /** Epoch milliseconds. */
  time: number;
  kind: CompletionEventKind;
  backend: string;
  model: string;
  /** The id of the request record whose answer this suggestion came from, when known. */
  request?: string;
  /** For `accepted`. */
  how?: AcceptedHow;
  /** Characters shown, accepted, or found still in place. */
  chars: number;
}

const KINDS: ReadonlySet<string> = new Set(['shown', 'accepted', 'kept', 'removed']);
const HOWS: ReadonlySet<string> = new Set(['whole', 'word', 'line']);

export function toEventLine(event: CompletionEvent): string {
  const text = JSON.stringify;
  return (
    `{"id":${text(event.id)},"t":${event.time},"e":${text(event.kind)},"b":${text(event.backend)},"m":${text(event.model)}` +
    `${event.request === undefined ? '' : `,"q":${text(event.request)}`}${event.how === undefined ? '' : `,"h":${text(event.how)}`}` +
    `,"n":${event.chars}}\n`
  );
}

/** The same caps as request lines: any process can write the ledger, so nothing in it is trusted. */
const MAX_ID_CHARS = 128;
const MAX_NAME_CHARS = 256;
/** A suggestion is at most a few dozen lines; a larger figure is not one we wrote. */
const MAX_CHARS = 1_000_000;
const MAX_TIME = Date.UTC(9999, 11, 31);

const text = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : undefined);

/** Parses one line; anything that is not a well-formed event is undefined, never a throw. */
export function fromEventLine(line: string): CompletionEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  const id = text(raw.id, MAX_ID_CHARS);
  const backend = text(raw.b, MAX_NAME_CHARS);
  const model = text(raw.m, MAX_NAME_CHARS);
  const { t, e, q, h, n } = raw;
  if (
    id === undefined ||
    backend === undefined ||
    model === undefined ||
    !Number.isSafeInteger(t) ||
    (t as number) < 0 ||
    (t as number) > MAX_TIME ||
    typeof e !== 'string' ||
    !KINDS.has(e) ||
    !(q === undefined || text(q, MAX_ID_CHARS) !== undefined) ||
    !(h === undefined || (typeof h === 'string' && HOWS.has(h))) ||
    !Number.isSafeInteger(n) ||
    (n as number) < 0 ||
    (n as number) > MAX_CHARS
  ) {
    return undefined;
  }
  return {
    id,
    time: t as number,
    kind: e as CompletionEventKind,
    backend,
    model,
    ...(q !== undefined && { request: q as string }),
    ...(h !== undefined && { how: h as AcceptedHow }),
    chars: n as number,
  };
}
