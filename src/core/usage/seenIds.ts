/**
 * The ids of the ledger lines already counted, so that a line met twice counts once: a sync tool
 * (Dropbox, OneDrive, Syncthing) leaves a conflict copy of a file beside it, named like a ledger
 * file, and every line of it would count again.
 *
 * An id is its writer's id and a sequence number (see `usageLedger.ts`), and a writer numbers its
 * lines, requests and events alike, one after another. Each writer's numbers are kept as ranges:
 * one range, or a few after a failed write, however many requests a month holds. Memory grows
 * with the number of writers (one per window opened), not of records.
 *
 * A file no window of ours wrote can number its lines any way it likes: ids that skip (1, 3, 5, …)
 * or a new writer on every line would cost a range a line, without bound. So ranges are capped,
 * per writer and in all, far above what windows of ours need. An id that would need a range past
 * a cap is refused: the caller does not count its line, and says how many it did not count. Of
 * the ways to stay bounded this is the one that keeps money honest: counting such a line without
 * its id kept could count a copy of it twice; merging ranges to make room would take ids never
 * seen for seen, and pass over their lines as copies; refusing loses only lines no window of ours
 * wrote, and says so.
 */

/** A writer's ranges of numbers seen, `[from, to, from, to, …]` inclusive, ascending, never touching. */
interface Writer {
  ranges: number[];
  /** The latest time of a line seen from it, so a writer long gone can be forgotten. */
  last: number;
}

/** What `add` made of an id: new (count its line), seen before (a copy), or refused (past a cap). */
export type Sighting = 'new' | 'seen' | 'refused';

/** A window of ours leaves a gap in its numbers only where a write failed: a few, never thousands. */
export const MAX_RANGES_PER_WRITER = 4_096;
/** Ranges of every writer together: a writer is a window opened, and a checkpoint holds them all. */
export const MAX_RANGES = 200_000;

const SEQUENCE = /^\d{1,15}$/;

/** An id as a writer and a number; an id not of that shape is a writer of its own, numbered 0. */
function split(id: string): { writer: string; sequence: number } {
  const colon = id.lastIndexOf(':');
  const tail = id.slice(colon + 1);
  if (colon >= 0 && SEQUENCE.test(tail)) return { writer: id.slice(0, colon), sequence: Number(tail) };
  // The NUL keeps it apart from any writer of ours, whose ids are base-36 and hex.
  return { writer: `${id}\u0000`, sequence: 0 };
}

export class SeenIds {
  private readonly writers = new Map<string, Writer>();
  /** Ranges held, of every writer. */
  private held = 0;

  /** Whether `id` is offered for the first time, again, or past a cap. `time` is the line's. */
  add(id: string, time: number): Sighting {
    const { writer: name, sequence } = split(id);
    const writer = this.writers.get(name);
    if (!writer) {
      if (this.held >= MAX_RANGES) return 'refused';
      this.writers.set(name, { ranges: [sequence, sequence], last: time });
      this.held += 1;
      return 'new';
    }
    const { ranges } = writer;
    // Room for one more range, should this id need one.
    const room = this.held < MAX_RANGES && ranges.length / 2 < MAX_RANGES_PER_WRITER;
    // The usual case: the writer's next line.
    const top = ranges.length - 1;
    if (sequence === (ranges[top] ?? 0) + 1) {
      ranges[top] = sequence;
      return this.saw(writer, time);
    }
    if (sequence > (ranges[top] ?? 0) + 1) {
      if (!room) return 'refused';
      ranges.push(sequence, sequence);
      this.held += 1;
      return this.saw(writer, time);
    }
    // The first range that starts above `sequence`.
    let low = 0;
    let high = ranges.length / 2;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((ranges[2 * mid] ?? 0) > sequence) high = mid;
      else low = mid + 1;
    }
    const before = low - 1;
    if (before >= 0 && (ranges[2 * before + 1] ?? 0) >= sequence) {
      this.saw(writer, time);
      return 'seen';
    }
    const joinsBefore = before >= 0 && ranges[2 * before + 1] === sequence - 1;
    const joinsAfter = ranges[2 * low] === sequence + 1;
    if (joinsBefore && joinsAfter) {
      ranges.splice(2 * before + 1, 2);
      this.held -= 1;
    } else if (joinsBefore) ranges[2 * before + 1] = sequence;
    else if (joinsAfter) ranges[2 * low] = sequence;
    else if (!room) return 'refused';
    else {
      ranges.splice(2 * low, 0, sequence, sequence);
      this.held += 1;
    }
    return this.saw(writer, time);
  }

  private saw(writer: Writer, time: number): 'new' {
    if (time > writer.last) writer.last = time;
    return 'new';
  }

  /** Forgets the writers whose every line seen is older than `before`: their files are long deleted. */
  forget(before: number): void {
    for (const [name, writer] of this.writers) {
      if (writer.last >= before) continue;
      this.writers.delete(name);
      this.held -= writer.ranges.length / 2;
    }
  }

  toJSON(): Record<string, { r: number[]; t: number }> {
    const out: Record<string, { r: number[]; t: number }> = {};
    for (const [name, writer] of this.writers) out[name] = { r: writer.ranges, t: writer.last };
    return out;
  }

  /** Reads what `toJSON` wrote; an entry that is not sound ranges within the caps is left out. */
  static fromJSON(value: unknown): SeenIds {
    const seen = new SeenIds();
    if (typeof value !== 'object' || value === null) return seen;
    for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
      if (typeof raw !== 'object' || raw === null) continue;
      const { r, t } = raw as { r?: unknown; t?: unknown };
      if (typeof t !== 'number' || !Number.isFinite(t) || !Array.isArray(r) || r.length % 2 !== 0) continue;
      if (r.length === 0 || r.length / 2 > MAX_RANGES_PER_WRITER || seen.held + r.length / 2 > MAX_RANGES) continue;
      const sound = r.every(
        (n: unknown, i) =>
          typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && (i === 0 || n > (r[i - 1] as number) - (i % 2)),
      );
      if (!sound) continue;
      seen.writers.set(name, { ranges: r as number[], last: t });
      seen.held += r.length / 2;
    }
    return seen;
  }
}
