/**
 * The usage ledger: one record per request, kept in the extension's global storage.
 *
 * - Append-only and crash-safe. Each window (process) appends to a file of its own, so writes
 *   from several windows can never interleave. A reader takes only whole lines: a torn last line
 *   is skipped until (or unless) it is completed, and nothing else is lost.
 * - Shared. Every window reads every file from the byte offset it has reached, so its totals
 *   include the other windows' requests after the next `refresh()`.
 * - Bounded. The meter keeps daily rollups, not records. A checkpoint of rollups and offsets,
 *   replaced atomically, lets start-up read only what was written since, however long the
 *   history. Raw files past the retention period are deleted; their rollups stay.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Currency } from './money';
import { Rollups } from './rollups';
import { fromLine, toLine, type UsageRecord } from './usageRecord';

const FILE_PREFIX = 'usage-';
const FILE_SUFFIX = '.jsonl';
const CHECKPOINT = 'usage-checkpoint.json';
const CHECKPOINT_VERSION = 1;
const DAY_MS = 86_400_000;

export interface LedgerOptions {
  dir: string;
  /** Raw records older than this many days are deleted (their daily totals are kept). */
  retentionDays?: number;
  now?: () => number;
}

/** A record to append; `currency` defaults to USD. */
export type NewUsageRecord = Omit<UsageRecord, 'id' | 'time' | 'currency'> & { time?: number; currency?: Currency };

export class UsageLedger {
  readonly rollups: Rollups;
  /** Lines that were complete but unreadable (a foreign edit); torn last lines are not counted. */
  skippedLines = 0;
  private readonly writerId: string;
  private readonly ownFile: string;
  private fd: number | undefined;
  private sequence = 0;
  private readonly offsets: Map<string, number>;
  private readonly listeners = new Set<(records: UsageRecord[]) => void>();
  private refreshing: Promise<UsageRecord[]> | undefined;

  private constructor(
    private readonly options: LedgerOptions,
    rollups: Rollups,
    offsets: Map<string, number>,
  ) {
    this.rollups = rollups;
    this.offsets = offsets;
    const now = options.now ?? Date.now;
    this.writerId = `${now().toString(36)}-${process.pid.toString(36)}-${randomBytes(3).toString('hex')}`;
    this.ownFile = `${FILE_PREFIX}${this.writerId}${FILE_SUFFIX}`;
  }

  /** Opens the ledger in `dir`: the checkpoint, then whatever was appended since. */
  static async open(options: LedgerOptions): Promise<UsageLedger> {
    await mkdir(options.dir, { recursive: true });
    const { rollups, offsets } = await readCheckpoint(join(options.dir, CHECKPOINT));
    const ledger = new UsageLedger(options, rollups, offsets);
    await ledger.removeExpired();
    await ledger.refresh();
    return ledger;
  }

  /**
   * Records one request. Synchronous and one `write` of one line: a crash can tear at most this
   * line, and the caller never waits on the disk.
   */
  append(input: NewUsageRecord): UsageRecord {
    const record: UsageRecord = {
      ...input,
      currency: input.currency ?? 'USD',
      id: `${this.writerId}:${this.sequence++}`,
      time: input.time ?? (this.options.now ?? Date.now)(),
    };
    const line = toLine(record);
    this.fd ??= openSync(join(this.options.dir, this.ownFile), 'a', 0o600);
    writeSync(this.fd, line);
    // Our own lines are counted now; the offset moves past them so refresh() does not count them twice.
    this.offsets.set(this.ownFile, (this.offsets.get(this.ownFile) ?? 0) + Buffer.byteLength(line));
    this.rollups.add(record);
    this.emit([record]);
    return record;
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

  /** Every raw record still on disk (within retention), oldest file first; for export and the dashboard. */
  async *records(filter: { from?: number; to?: number } = {}): AsyncIterable<UsageRecord> {
    for (const file of await this.files()) {
      // Streamed line by line: the history can be far larger than memory should hold.
      const lines = createInterface({
        input: createReadStream(join(this.options.dir, file), 'utf8'),
        crlfDelay: Infinity,
      });
      for await (const line of lines) {
        if (!line) continue;
        const record = fromLine(line);
        if (!record) continue;
        if (filter.from !== undefined && record.time < filter.from) continue;
        if (filter.to !== undefined && record.time > filter.to) continue;
        yield record;
      }
    }
  }

  /** Writes the rollups and offsets so the next start reads only what comes after. */
  async checkpoint(): Promise<void> {
    const file = join(this.options.dir, CHECKPOINT);
    const temp = `${file}.${this.writerId}.tmp`;
    const body = JSON.stringify({
      version: CHECKPOINT_VERSION,
      offsets: Object.fromEntries(this.offsets),
      rollups: this.rollups.toJSON(),
    });
    await writeFile(temp, body, { mode: 0o600 });
    // rename() replaces atomically: a reader sees the old checkpoint or the new one, never half.
    await rename(temp, file);
  }

  async close(): Promise<void> {
    await this.refresh();
    await this.checkpoint();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async readNew(): Promise<UsageRecord[]> {
    const fresh: UsageRecord[] = [];
    for (const file of await this.files()) {
      if (file === this.ownFile) continue;
      const path = join(this.options.dir, file);
      const from = this.offsets.get(file) ?? 0;
      const size = await stat(path).then(
        (s) => s.size,
        () => -1,
      );
      if (size <= from) continue;
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(size - from);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
        const chunk = buffer.subarray(0, bytesRead);
        // Only whole lines: a line still being written (or torn by a crash) waits.
        const end = chunk.lastIndexOf(0x0a);
        if (end === -1) continue;
        for (const line of chunk.subarray(0, end).toString('utf8').split('\n')) {
          if (!line) continue;
          const record = fromLine(line);
          if (record) {
            this.rollups.add(record);
            fresh.push(record);
          } else {
            this.skippedLines += 1;
          }
        }
        this.offsets.set(file, from + end + 1);
      } finally {
        await handle.close();
      }
    }
    if (fresh.length) this.emit(fresh);
    return fresh;
  }

  private async files(): Promise<string[]> {
    const names = await readdir(this.options.dir).catch(() => [] as string[]);
    return names.filter((name) => name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX)).sort();
  }

  /** Deletes other writers' files past retention, once fully counted. */
  private async removeExpired(): Promise<void> {
    const days = this.options.retentionDays;
    if (!days || days <= 0) return;
    const cutoff = (this.options.now ?? Date.now)() - days * DAY_MS;
    for (const file of await this.files()) {
      const path = join(this.options.dir, file);
      const info = await stat(path).catch(() => undefined);
      if (!info || info.mtimeMs >= cutoff) continue;
      // Count whatever is left in it first, so its totals survive in the rollups.
      if ((this.offsets.get(file) ?? 0) < info.size) await this.readNew();
      await unlink(path).catch(() => {});
      this.offsets.delete(file);
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

async function readCheckpoint(path: string): Promise<{ rollups: Rollups; offsets: Map<string, number> }> {
  try {
    const raw = JSON.parse(await readFile(path, 'utf8')) as { version?: unknown; offsets?: unknown; rollups?: unknown };
    if (raw.version !== CHECKPOINT_VERSION || typeof raw.offsets !== 'object' || raw.offsets === null)
      throw new Error('old checkpoint');
    const offsets = new Map<string, number>();
    for (const [file, offset] of Object.entries(raw.offsets)) {
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) offsets.set(file, offset);
    }
    return { rollups: Rollups.fromJSON(raw.rollups), offsets };
  } catch {
    // No checkpoint (first start) or an unreadable one: start from zero and read every file.
    return { rollups: new Rollups(), offsets: new Map() };
  }
}
