/**
 * The ids of the ledger lines already counted, so that a line met twice counts once: a sync tool
 * (Dropbox, OneDrive, Syncthing) leaves a conflict copy of a file beside it, named like a ledger
 * file, and every line of it would count again.
 *
 * An id is its writer's id and a sequence number (see `usageLedger.ts`), and a writer numbers its
 * lines one after another. Each writer's numbers are kept as ranges: one range, or a few after a
 * failed write, however many requests a month holds. Memory grows with the number of writers
 * (one per window opened), not of records.
 */

/** A writer's ranges of numbers seen, `[from, to, from, to, …]` inclusive, ascending, never touching. */
interface Writer {
  ranges: number[];
  /** The latest time of a line seen from it, so a writer long gone can be forgotten. */
  last: number;
}

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

  /** True the first time `id` is offered, false every time after. `time` is the line's. */
  add(id: string, time: number): boolean {
    const { writer: name, sequence } = split(id);
    let writer = this.writers.get(name);
    if (!writer) this.writers.set(name, (writer = { ranges: [], last: time }));
    if (time > writer.last) writer.last = time;
    const { ranges } = writer;
    // The usual case: the writer's next line.
    const top = ranges.length - 1;
    if (top < 0 || sequence > (ranges[top] ?? 0) + 1) {
      ranges.push(sequence, sequence);
      return true;
    }
    if (sequence === (ranges[top] ?? 0) + 1) {
      ranges[top] = sequence;
      return true;
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
    if (before >= 0 && (ranges[2 * before + 1] ?? 0) >= sequence) return false;
    const joinsBefore = before >= 0 && ranges[2 * before + 1] === sequence - 1;
    const joinsAfter = ranges[2 * low] === sequence + 1;
    if (joinsBefore && joinsAfter) ranges.splice(2 * before + 1, 2);
    else if (joinsBefore) ranges[2 * before + 1] = sequence;
    else if (joinsAfter) ranges[2 * low] = sequence;
    else ranges.splice(2 * low, 0, sequence, sequence);
    return true;
  }

  /** Forgets the writers whose every line seen is older than `before`: their files are long deleted. */
  forget(before: number): void {
    for (const [name, writer] of this.writers) if (writer.last < before) this.writers.delete(name);
  }

  toJSON(): Record<string, { r: number[]; t: number }> {
    const out: Record<string, { r: number[]; t: number }> = {};
    for (const [name, writer] of this.writers) out[name] = { r: writer.ranges, t: writer.last };
    return out;
  }

  /** Reads what `toJSON` wrote; an entry that is not sound ranges is left out. */
  static fromJSON(value: unknown): SeenIds {
    const seen = new SeenIds();
    if (typeof value !== 'object' || value === null) return seen;
    for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
      if (typeof raw !== 'object' || raw === null) continue;
      const { r, t } = raw as { r?: unknown; t?: unknown };
      if (typeof t !== 'number' || !Number.isFinite(t) || !Array.isArray(r) || r.length % 2 !== 0) continue;
      const sound = r.every(
        (n: unknown, i) =>
          typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && (i === 0 || n > (r[i - 1] as number) - (i % 2)),
      );
      if (sound) seen.writers.set(name, { ranges: r as number[], last: t });
    }
    return seen;
  }
}
