/**
 * Reads whole lines of a ledger file from a byte offset in fixed-size chunks, so memory stays
 * bounded whatever the file holds: a line longer than any record is passed over, not buffered.
 */
import { open } from 'node:fs/promises';

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
  } finally {
    await handle.close();
  }
}
