/**
 * The usage ledger: one record per request, kept in the extension's global storage.
 *
 * - Append-only and crash-safe. Each window (process) appends to a file of its own, so writes
 *   from several windows can never interleave. A reader takes only whole lines: a torn last line
 *   is skipped until (or unless) it is completed, and nothing else is lost.
 * - Shared. Every window reads every file from the byte offset it has reached, so its totals
 *   include the other windows' requests after the next `refresh()`. A file replaced by another
 *   version (a sync tool bringing another machine's, a restore), whatever its size, no longer
 *   shows the bytes read up to that offset (see `markOf`), and is read again from its start.
 * - Bounded. The meter keeps daily rollups, not records. A checkpoint of rollups and offsets,
 *   replaced atomically, lets start-up read only what was written since, however long the
 *   history. Files are read in fixed-size chunks, and a line too long to be a record is passed over.
 * - Survives damage. Every field is validated on read; a bad line is skipped and counted. A short
 *   write (disk full) leaves a torn fragment, and the next append starts on a fresh line.
 * - Counts a line once, wherever it is found: a sync tool's conflict copy of a file sits beside it
 *   under a name like a ledger file's, and the ids of lines already counted (see `SeenIds`) keep
 *   its lines from counting twice, in the totals, the dashboard and the export alike.
 * - Completion events (a suggestion shown, accepted, still there later) are lines of their own in
 *   the same files, counted in `acceptance` beside the request rollups.
 * - Retention by name, not mtime. A writer starts a new file each UTC day (`usage-<day>-<writer>`),
 *   so a file whose day ended more than the retention period (and a grace) ago is never written
 *   again, and deleting it cannot lose another window's records.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AcceptanceRollups } from './acceptance';
import { fromEventLine, toEventLine, type CompletionEvent } from './completionEvent';
import { endsLine, linesOf, markOf, wholeLines } from './ledgerLines';
import type { Currency } from './money';
import { Rollups, utcDay } from './rollups';
import { SeenIds } from './seenIds';
import { fromLine, soundRecord, toLine, type UsageRecord } from './usageRecord';

const FILE_PREFIX = 'usage-';
const FILE_SUFFIX = '.jsonl';
const CHECKPOINT = 'usage-checkpoint.json';
const CHECKPOINT_VERSION = 1;
const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;
const DAY_MS = 86_400_000;
/** A window's clock may lag, or its day roll over late: a day's file is kept this much longer. */
const RETENTION_GRACE_MS = 2 * DAY_MS;
/** Files from before names carried a day: only their mtime is known, so they get a long grace. */
const LEGACY_GRACE_MS = 30 * DAY_MS;
const DAY_IN_NAME = /^usage-(\d{4}-\d{2}-\d{2})-/;
/**
 * A file's times are trusted to show a change only once they are this much in the past: some file
 * systems keep them to the second (FAT to two), and a file rewritten within that second would
 * otherwise look unchanged.
 */
const SETTLED_MS = 3_000;

export interface LedgerOptions {
  dir: string;
  /** Raw records older than this many days are deleted (their daily totals are kept). */
  retentionDays?: number;
  now?: () => number;
  /** The write call, replaceable only so a test can fill the disk halfway through a line. */
  writeSync?: (fd: number, data: Buffer) => number;
  /** Hears of a record that had to be repaired before it could be written (see `soundRecord`). */
  warn?: (message: string) => void;
  /**
   * Hears that appends stopped reaching the disk (full, read-only, removed): once when they start
   * failing, again only after one has succeeded since. What they record counts in this window only.
   */
  onWriteFailed?: (error: unknown) => void;
}

/**
 * A record to append; `currency` defaults to USD, `time` to now. A time of its own should lie
 * within a day of now: a range's records are looked for in the files of its days.
 */
export type NewUsageRecord = Omit<UsageRecord, 'id' | 'time' | 'currency'> & { time?: number; currency?: Currency };

/** An event to append; its time defaults to now. */
export type NewCompletionEvent = Omit<CompletionEvent, 'id' | 'time'> & { time?: number };

export class UsageLedger {
  readonly rollups: Rollups;
  /** Completion events per day, backend and model, from every window. */
  readonly acceptance: AcceptanceRollups;
  /** Lines that were complete but unreadable (a foreign edit, a torn write); a last line still being written is not counted. */
  skippedLines = 0;
  /** Appends that did not reach the disk whole (disk full); their records still count in this window. */
  failedWrites = 0;
  /** Records with a field no window would read back, written repaired (see `soundRecord`). */
  repairedRecords = 0;
  /** Lines passed over because a line with their id was counted already (a sync tool's copy of a file). */
  copiedLines = 0;
  /** Lines not counted because their ids skip past what is kept of a writer's (see `SeenIds`): a foreign file. */
  refusedLines = 0;
  private readonly writerId: string;
  /** This window's file for the current day, and every file it wrote since it opened. */
  private ownFile = '';
  private readonly ownFiles = new Set<string>();
  private fd: number | undefined;
  /** The own file ends in a fragment of a failed write: the next append starts a new line. */
  private tornTail = false;
  /** The last append failed; the next failure is the same event. */
  private failing = false;
  private sequence = 0;
  private readonly offsets: Map<string, number>;
  /** Each file's `markOf` at its offset, kept in the checkpoint; a file without one is trusted as it is. */
  private readonly marks: Map<string, string>;
  /**
   * Each file's size, identity and times when last read to its end, so an unchanged file costs one
   * `stat`; kept in the checkpoint, so a start over a long history reads only the files that changed.
   */
  private readonly looks: Map<string, string>;
  /** The ids of every line counted, this window's and the others', kept in the checkpoint. */
  private readonly seen: SeenIds;
  private readonly listeners = new Set<(records: UsageRecord[]) => void>();
  private readonly eventListeners = new Set<(events: CompletionEvent[]) => void>();
  private refreshing: Promise<UsageRecord[]> | undefined;
  /** The last checkpoint written or being written; the next one waits for it. */
  private checkpointing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: LedgerOptions,
    rollups: Rollups,
    offsets: Map<string, number>,
    marks: Map<string, string>,
    looks: Map<string, string>,
    acceptance: AcceptanceRollups,
    seen: SeenIds,
  ) {
    this.rollups = rollups;
    this.acceptance = acceptance;
    this.offsets = offsets;
    this.marks = marks;
    this.looks = looks;
    this.seen = seen;
    const now = options.now ?? Date.now;
    this.writerId = `${now().toString(36)}-${process.pid.toString(36)}-${randomBytes(3).toString('hex')}`;
  }

  /**
   * Opens the ledger in `dir`: the checkpoint, then whatever was appended since. Rejects when the
   * folder cannot be made or listed, or a file in it cannot be read: the caller says so.
   */
  static async open(options: LedgerOptions): Promise<UsageLedger> {
    await mkdir(options.dir, { recursive: true });
    // A folder that cannot be listed (no permission) must fail here: opened empty, its history
    // would read as nothing spent, and every budget as far from reached.
    await readdir(options.dir);
    const { rollups, offsets, marks, looks, acceptance, seen } = await readCheckpoint(join(options.dir, CHECKPOINT));
    const ledger = new UsageLedger(options, rollups, offsets, marks, looks, acceptance, seen ?? new SeenIds());
    // A checkpoint from before ids were kept: the lines it counted are learnt again, not counted.
    if (!seen) await ledger.learnCounted();
    await ledger.removeExpired();
    await ledger.refresh();
    return ledger;
  }

  /**
   * Records one request. Synchronous and one `write` of one line: a crash can tear at most this
   * line, and the caller never waits on the disk. A record with a field the reader would skip it
   * for is written repaired, so every window counts the request, and counts it the same.
   */
  append(input: NewUsageRecord): UsageRecord {
    const now = (this.options.now ?? Date.now)();
    const { record, repaired } = soundRecord(
      {
        ...input,
        currency: input.currency ?? 'USD',
        id: `${this.writerId}:${this.sequence++}`,
        time: input.time ?? now,
      },
      now,
    );
    if (repaired.length > 0) {
      this.repairedRecords += 1;
      this.options.warn?.(
        `A usage record of ${record.backend} could not be stored as given (${repaired.join(', ')}): ` +
          'written readable, a bad count as 0 and a bad cost as unknown.',
      );
    }
    this.write(toLine(record));
    this.seen.add(record.id, record.time);
    this.rollups.add(record);
    this.emit([record]);
    return record;
  }

  /** Records a completion event; like `append`, one synchronous write of one line. */
  appendEvent(input: NewCompletionEvent): CompletionEvent {
    const event: CompletionEvent = {
      ...input,
      id: `${this.writerId}:${this.sequence++}`,
      time: input.time ?? (this.options.now ?? Date.now)(),
    };
    this.write(toEventLine(event));
    this.seen.add(event.id, event.time);
    this.acceptance.add(event);
    this.emitEvents([event]);
    return event;
  }

  /**
   * Appends one line to this window's file for today. Never throws: a full disk loses the line on
   * disk (the record still counts here), and a fragment it left is closed by the next append.
   */
  private write(line: string): void {
    this.rollToday();
    const data = Buffer.from(this.tornTail ? `\n${line}` : line);
    const write = this.options.writeSync ?? ((fd: number, bytes: Buffer) => writeSync(fd, bytes));
    let written = 0;
    let news: { error: unknown } | undefined;
    try {
      this.fd ??= openSync(join(this.options.dir, this.ownFile), 'a', 0o600);
      // A write may land in part; only this window writes this file, so the rest can follow.
      while (written < data.length) written += write(this.fd, data.subarray(written));
      this.tornTail = false;
      this.failing = false;
    } catch (error) {
      this.failedWrites += 1;
      if (!this.failing) news = { error };
      this.failing = true;
      this.tornTail = written > 0 || this.tornTail;
      if (this.fd !== undefined) {
        try {
          written = fstatSync(this.fd).size - (this.offsets.get(this.ownFile) ?? 0);
          this.tornTail = written > 0 || this.tornTail;
        } catch {
          // The size stays as counted.
        }
      }
    }
    // Our own lines are counted now; the offset moves past them so a later start does not count them twice.
    this.offsets.set(this.ownFile, (this.offsets.get(this.ownFile) ?? 0) + written);
    if (!news) return;
    try {
      this.options.onWriteFailed?.(news.error);
    } catch {
      // Whoever listens, the record still counts in this window.
    }
  }

  /** Moves to a new file when the UTC day has changed since the last append. */
  private rollToday(): void {
    const name = `${FILE_PREFIX}${utcDay((this.options.now ?? Date.now)())}-${this.writerId}${FILE_SUFFIX}`;
    if (name === this.ownFile) return;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.tornTail = false;
    this.ownFile = name;
    this.ownFiles.add(name);
  }

  /** Reads what other windows appended since the last look. Returns the new records. */
  refresh(): Promise<UsageRecord[]> {
    // One refresh at a time: two overlapping reads of the same tail would count it twice.
    this.refreshing ??= this.readNew().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  onRecords(listener: (records: UsageRecord[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  onEvents(listener: (events: CompletionEvent[]) => void): { dispose(): void } {
    this.eventListeners.add(listener);
    return { dispose: () => this.eventListeners.delete(listener) };
  }

  /** Every raw record still on disk (within retention), oldest file first; for export and the dashboard. */
  async *records(filter: { from?: number; to?: number } = {}): AsyncIterable<UsageRecord> {
    for await (const { record } of this.lines(filter)) if (record) yield record;
  }

  /** Every completion event still on disk (within retention), oldest file first; for export and the dashboard. */
  async *events(filter: { from?: number; to?: number } = {}): AsyncIterable<CompletionEvent> {
    for await (const { event } of this.lines(filter)) if (event) yield event;
  }

  /**
   * The records and events on disk timed within `filter`, each once. Both kinds go through one
   * `SeenIds`, as when counted: they share a writer's numbering, and either kind alone would skip
   * a number at each turn and take a range for it.
   */
  private async *lines(filter: {
    from?: number;
    to?: number;
  }): AsyncIterable<{ record?: UsageRecord; event?: CompletionEvent }> {
    const seen = new SeenIds();
    let refused = 0;
    for (const file of await this.filesFor(filter)) {
      // Streamed in chunks: the history can be far larger than memory should hold.
      for await (const { text } of wholeLines(join(this.options.dir, file), 0)) {
        if (!text) continue;
        const record = fromLine(text);
        // Request lines never carry "e"; a cheap test before a second parse.
        const event = record || !text.includes('"e":') ? undefined : fromEventLine(text);
        const line = record ?? event;
        if (!line) continue;
        // Seen before the time is looked at, so the ids of a writer's lines outside it leave no gaps.
        const sighting = seen.add(line.id, line.time);
        if (sighting === 'refused') refused += 1;
        if (sighting !== 'new') continue;
        if (filter.from !== undefined && line.time < filter.from) continue;
        if (filter.to !== undefined && line.time > filter.to) continue;
        yield record ? { record } : { event };
      }
    }
    if (refused)
      this.options.warn?.(
        `Usage ledger: ${refused} line${refused === 1 ? '' : 's'} with ids that skip as no Switchboard window numbers its lines are not counted in the dashboard or the export.`,
      );
  }

  /**
   * Writes the rollups and offsets so the next start reads only what comes after. One write at a
   * time, each with the totals as they are when it starts: the periodic one and the one at close
   * used to write one temp file together, which could leave a checkpoint no start can read; past
   * retention it is all that holds the days whose files are gone.
   */
  checkpoint(): Promise<void> {
    const written = this.checkpointing.then(() => this.writeCheckpoint());
    this.checkpointing = written.catch(() => {});
    return written;
  }

  private async writeCheckpoint(): Promise<void> {
    const file = join(this.options.dir, CHECKPOINT);
    const temp = `${file}.${this.writerId}.tmp`;
    const own = await this.markOwnFiles();
    const body = JSON.stringify({
      version: CHECKPOINT_VERSION,
      offsets: Object.fromEntries(this.offsets),
      // Beside the offsets, not in them: a window of an older version reads this checkpoint still.
      marks: Object.fromEntries([...this.marks, ...own].filter(([name]) => this.offsets.has(name))),
      looks: Object.fromEntries([...this.looks].filter(([name]) => this.offsets.has(name))),
      rollups: this.rollups.toJSON(),
      acceptance: this.acceptance.toJSON(),
      seen: this.seen.toJSON(),
    });
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(body);
      // On disk before the rename, so a power cut leaves the old checkpoint or the new one, never an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    // rename() replaces atomically: a reader sees the old checkpoint or the new one, never half.
    await rename(temp, file);
  }

  /**
   * The marks of this window's own files at their offsets, for the next start to check them by.
   * One appended while a mark was taken is left without: the next start trusts it as it is.
   */
  private async markOwnFiles(): Promise<Map<string, string>> {
    const marks = new Map<string, string>();
    for (const name of this.ownFiles) {
      const offset = this.offsets.get(name) ?? 0;
      if (offset === 0) continue;
      const handle = await open(join(this.options.dir, name), 'r').catch(() => undefined);
      if (!handle) continue;
      try {
        const mark = await markOf(handle, offset);
        if (this.offsets.get(name) === offset) marks.set(name, mark);
      } catch {
        // Left without a mark.
      } finally {
        await handle.close();
      }
    }
    return marks;
  }

  /**
   * Saves the checkpoint and lets go of this window's file. Never rejects: the checkpoint only
   * speeds up the next start (the records are in the files), so a folder that went away or filled
   * up is said, not thrown at a window that is closing.
   */
  async close(): Promise<void> {
    try {
      await this.refresh();
      await this.checkpoint();
    } catch (error) {
      this.options.warn?.(
        `Usage ledger: the checkpoint in ${this.options.dir} could not be saved (${String(error)}); the next start reads the records instead.`,
      );
    } finally {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private async readNew(): Promise<UsageRecord[]> {
    const fresh: UsageRecord[] = [];
    const events: CompletionEvent[] = [];
    for (const file of await this.files()) {
      if (this.ownFiles.has(file)) continue;
      const path = join(this.options.dir, file);
      const outside = await stat(path).catch(() => undefined);
      if (!outside || this.looks.get(file) === lookOf(outside)) continue;
      const handle = await open(path, 'r').catch(() => undefined);
      if (!handle) continue;
      const [copiedBefore, skippedBefore, refusedBefore] = [this.copiedLines, this.skippedLines, this.refusedLines];
      try {
        // Of the file opened: one that replaced the path since the `stat` is the one read.
        const info = await handle.stat();
        const read = this.offsets.get(file) ?? 0;
        const mark = this.marks.get(file);
        // Shorter than what was read of it, or not the bytes that were read: replaced. Read again
        // from its start; the ids already counted keep its old lines from counting twice. A file
        // without a mark (a checkpoint from before them) can still be seen not to end a line there.
        const replaced =
          read > 0 &&
          (info.size < read ||
            (mark !== undefined ? (await markOf(handle, read)) !== mark : !(await endsLine(handle, read))));
        if (replaced) {
          this.options.warn?.(
            `Usage ledger: ${file} was replaced (a sync tool, a restore) and is read again from its start; lines already counted count once.`,
          );
          this.offsets.set(file, 0);
        }
        const from = replaced ? 0 : read;
        // Without a mark while its offset moves: a checkpoint taken meanwhile trusts the file as it is.
        this.marks.delete(file);
        // Only whole lines: a line still being written (or torn by a crash) waits.
        for await (const { text, end } of linesOf(handle, from)) {
          this.offsets.set(file, end);
          if (!text) {
            if (text === undefined) this.skippedLines += 1;
            continue;
          }
          const record = fromLine(text);
          const event = record ? undefined : fromEventLine(text);
          const line = record ?? event;
          const sighting = line ? this.seen.add(line.id, line.time) : 'new';
          if (sighting === 'seen') this.copiedLines += 1;
          if (sighting === 'refused') this.refusedLines += 1;
          if (sighting !== 'new') continue;
          if (record && this.count(record)) {
            fresh.push(record);
            continue;
          }
          if (event) {
            this.acceptance.add(event);
            events.push(event);
          } else this.skippedLines += 1;
        }
        const end = this.offsets.get(file) ?? 0;
        if (end > 0) this.marks.set(file, await markOf(handle, end));
        // The file systems' clock, not the ledger's: it is their times that are compared.
        const settled = Date.now() - Math.max(info.mtimeMs, info.ctimeMs) > SETTLED_MS;
        if (settled) this.looks.set(file, lookOf(info));
        else this.looks.delete(file);
      } finally {
        await handle.close();
      }
      this.sayPassedOver(file, {
        copied: this.copiedLines - copiedBefore,
        skipped: this.skippedLines - skippedBefore,
        refused: this.refusedLines - refusedBefore,
      });
    }
    if (fresh.length) this.emit(fresh);
    if (events.length) this.emitEvents(events);
    return fresh;
  }

  /** Logs the lines of `file` that did not count, so a total that looks short can be explained. */
  private sayPassedOver(
    file: string,
    { copied, skipped, refused }: Record<'copied' | 'skipped' | 'refused', number>,
  ): void {
    const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
    if (copied)
      this.options.warn?.(
        `Usage ledger: ${file} repeats ${lines(copied)} already counted from another file (a sync tool's copy?); each counts once.`,
      );
    if (skipped)
      this.options.warn?.(`Usage ledger: ${file} has ${lines(skipped)} that could not be read; they count as nothing.`);
    if (refused)
      this.options.warn?.(
        `Usage ledger: ${file} has ${lines(refused)} not counted: their ids skip as no Switchboard window numbers its lines, ` +
          'past what is kept to tell a copy from a new line (a foreign or damaged file?).',
      );
  }

  /**
   * Marks as seen the ids of the lines the checkpoint's totals already hold (each file up to its
   * offset), counting none of them: a copy of those files found later must not count them again.
   */
  private async learnCounted(): Promise<void> {
    for (const [file, offset] of this.offsets) {
      for await (const { text, end } of wholeLines(join(this.options.dir, file), 0)) {
        if (end > offset) break;
        const line = text ? (fromLine(text) ?? fromEventLine(text)) : undefined;
        if (line) this.seen.add(line.id, line.time);
      }
    }
  }

  /** Adds a record read from disk to the rollups; whatever it holds, the ledger keeps going. */
  private count(record: UsageRecord): boolean {
    try {
      this.rollups.add(record);
      return true;
    } catch {
      return false;
    }
  }

  private async files(): Promise<string[]> {
    const names = await readdir(this.options.dir).catch(() => [] as string[]);
    return names.filter((name) => name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX)).sort();
  }

  /**
   * The files that can hold lines timed from `from` to `to`: a view of the last days (the
   * dashboard, recomputed as requests come in; the plan windows at start) reads those days, not
   * the whole retained history. A line is timed by the clock that named its file, when it is
   * written, so it lies in the file's day, or in the day before when written as the day turned;
   * a day either side is kept for that. Files from before names carried a day are always read.
   */
  private async filesFor(filter: { from?: number; to?: number }): Promise<string[]> {
    const files = await this.files();
    return files.filter((file) => {
      const start = dayStartOf(file);
      if (start === undefined) return true;
      if (filter.from !== undefined && start + 2 * DAY_MS <= filter.from) return false;
      return filter.to === undefined || start - DAY_MS <= filter.to;
    });
  }

  /**
   * Deletes other writers' files past retention, once fully counted. A file's day comes from its
   * name; a writer only ever appends to today's file, so a day long past is never written again.
   */
  private async removeExpired(): Promise<void> {
    const days = this.options.retentionDays;
    if (!days || days <= 0) return;
    const cutoff = (this.options.now ?? Date.now)() - days * DAY_MS;
    // A writer whose lines are this old has no file left, nor has any copy of one: a period of
    // retention more keeps the ids of a copy a sync tool brings back late.
    this.seen.forget(cutoff - days * DAY_MS);
    for (const file of await this.files()) {
      if (this.ownFiles.has(file)) continue;
      const path = join(this.options.dir, file);
      const info = await stat(path).catch(() => undefined);
      if (!info) continue;
      const dayStart = dayStartOf(file);
      const expired =
        dayStart !== undefined
          ? dayStart + DAY_MS + RETENTION_GRACE_MS <= cutoff
          : info.mtimeMs + LEGACY_GRACE_MS < cutoff;
      if (!expired) continue;
      // Count whatever is left in it first, so its totals survive in the rollups.
      if ((this.offsets.get(file) ?? 0) < info.size) await this.readNew();
      // Its offset goes only with the file: a file that stays (held open on Windows, read-only)
      // would otherwise be read from its start and counted again at every start.
      const gone = await unlink(path).then(
        () => true,
        (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT',
      );
      if (gone) {
        this.offsets.delete(file);
        this.marks.delete(file);
        this.looks.delete(file);
      }
    }
  }

  private emitEvents(events: CompletionEvent[]): void {
    for (const listener of this.eventListeners) {
      try {
        listener(events);
      } catch {
        // A listener's failure must not stop the ledger.
      }
    }
  }

  private emit(records: UsageRecord[]): void {
    for (const listener of this.listeners) {
      try {
        listener(records);
      } catch {
        // A listener's failure must not stop the ledger.
      }
    }
  }
}

/**
 * A file as `stat` shows it: a write changes its size or times, a replacement its identity or
 * times (`ino` and `birthtimeMs` are 0 where a platform does not give them).
 */
function lookOf(info: Stats): string {
  return `${info.size}:${info.ino}:${info.birthtimeMs}:${info.mtimeMs}:${info.ctimeMs}`;
}

/** The start of the UTC day a writer's file is named for; undefined for a file from before names carried one. */
function dayStartOf(file: string): number | undefined {
  const day = DAY_IN_NAME.exec(file)?.[1];
  const start = day === undefined ? NaN : Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(start) ? start : undefined;
}

async function readCheckpoint(path: string): Promise<{
  rollups: Rollups;
  offsets: Map<string, number>;
  marks: Map<string, string>;
  looks: Map<string, string>;
  acceptance: AcceptanceRollups;
  seen?: SeenIds;
}> {
  try {
    // Daily rollups of years of use stay far below this; a larger file is not one we wrote.
    if ((await stat(path)).size > MAX_CHECKPOINT_BYTES) throw new Error('checkpoint too large');
    const raw = JSON.parse(await readFile(path, 'utf8')) as {
      version?: unknown;
      offsets?: unknown;
      rollups?: unknown;
      acceptance?: unknown;
      seen?: unknown;
      marks?: unknown;
      looks?: unknown;
    };
    if (raw.version !== CHECKPOINT_VERSION || typeof raw.offsets !== 'object' || raw.offsets === null)
      throw new Error('old checkpoint');
    const offsets = new Map<string, number>();
    for (const [file, offset] of Object.entries(raw.offsets)) {
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) offsets.set(file, offset);
    }
    // A checkpoint from before marks has none: its files are trusted as they are, and marked when next read.
    const marks = new Map<string, string>();
    if (typeof raw.marks === 'object' && raw.marks !== null) {
      for (const [file, mark] of Object.entries(raw.marks)) {
        if (typeof mark === 'string' && mark.length <= 64 && offsets.has(file)) marks.set(file, mark);
      }
    }
    // A file whose look is not kept is opened and checked by its mark at the first refresh.
    const looks = new Map<string, string>();
    if (typeof raw.looks === 'object' && raw.looks !== null) {
      for (const [file, look] of Object.entries(raw.looks)) {
        if (typeof look === 'string' && look.length <= 200 && offsets.has(file)) looks.set(file, look);
      }
    }
    // A checkpoint from before completion events has none: there were none to count.
    return {
      rollups: Rollups.fromJSON(raw.rollups),
      offsets,
      marks,
      looks,
      acceptance: AcceptanceRollups.fromJSON(raw.acceptance),
      ...(raw.seen !== undefined && { seen: SeenIds.fromJSON(raw.seen) }),
    };
  } catch {
    // No checkpoint (first start) or an unreadable one: start from zero and read every file.
    return {
      rollups: new Rollups(),
      offsets: new Map(),
      marks: new Map(),
      looks: new Map(),
      acceptance: new AcceptanceRollups(),
      seen: new SeenIds(),
    };
  }
}
