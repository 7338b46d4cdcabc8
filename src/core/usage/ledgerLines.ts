/**
 * Reads whole lines of a ledger file from a byte offset in fixed-size chunks, so memory stays
 * bounded whatever the file holds: a line longer than any record is passed over, not buffered.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;
/** A record is a few hundred bytes; anything this long is not one of ours. */
export const MAX_LINE_BYTES = 16 * 1024;

export interface LedgerLine {
  /** The line's text, or undefined when it was too long to be a record. */
  text: string | undefined;
  /** The byte offset just past the line's newline. */
  end: number;
}

/**
 * Yields each newline-terminated line from `from` on. A last line without its newline (still
 * being written, or torn) is not yielded: it waits for the next read.
 */
export async function* wholeLines(path: string, from: number): AsyncGenerator<LedgerLine> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    yield* linesOf(handle, from);
  } finally {
    await handle.close();
  }
}

/** `wholeLines` of a file already open, which the caller closes. */
export async function* linesOf(handle: FileHandle, from: number): AsyncGenerator<LedgerLine> {
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let position = from;
  // Inside a line longer than a chunk: its text is dropped as it goes by.
  let overlong = false;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) return;
    let start = 0;
    let newline = buffer.indexOf(0x0a, 0);
    if (newline === -1 || newline >= bytesRead) {
      if (bytesRead < CHUNK_BYTES) return;
      overlong = true;
      position += bytesRead;
      continue;
    }
    while (newline !== -1 && newline < bytesRead) {
      const tooLong = overlong || newline - start > MAX_LINE_BYTES;
      yield { text: tooLong ? undefined : buffer.toString('utf8', start, newline), end: position + newline + 1 };
      overlong = false;
      start = newline + 1;
      newline = buffer.indexOf(0x0a, start);
    }
    position += start;
  }
}

/** A record is a few hundred bytes: this much before an offset holds the whole line that ends there. */
const MARK_BYTES = 1024;

/**
 * A fingerprint of the first bytes of a file and of the bytes just before `offset`: the start of
 * its first line and the whole of the last line read. Each line carries an id no other line has,
 * so a file replaced by another version (a sync tool bringing another machine's, a restore) gives
 * another mark at the same offset, whatever its size. Two small reads, however long the file.
 */
export async function markOf(handle: FileHandle, offset: number): Promise<string> {
  const head = Buffer.alloc(Math.min(offset, MARK_BYTES));
  const tail = Buffer.alloc(Math.min(offset, MARK_BYTES));
  const headRead = (await handle.read(head, 0, head.length, 0)).bytesRead;
  const tailRead = (await handle.read(tail, 0, tail.length, offset - tail.length)).bytesRead;
  // A file now shorter than the offset reads short, and so marks differently.
  return createHash('sha256')
    .update(head.subarray(0, headRead))
    .update(tail.subarray(0, tailRead))
    .update(String(offset))
    .digest('base64')
    .slice(0, 22);
}

/** Whether the byte before `offset` ends a line, as it does at every offset a reader reaches. */
export async function endsLine(handle: FileHandle, offset: number): Promise<boolean> {
  const byte = Buffer.alloc(1);
  const { bytesRead } = await handle.read(byte, 0, 1, offset - 1);
  return bytesRead === 1 && byte[0] === 0x0a;
}
