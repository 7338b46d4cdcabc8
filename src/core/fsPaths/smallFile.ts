/**
 * Reads a small settings or credentials file from the user's home: a regular file only (a FIFO or
 * a device would block or never end, so it is opened without waiting and then refused), and never
 * more than `maxBytes`, even when the file grows while it is read.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export type SmallFile =
  | { kind: 'text'; text: string }
  | { kind: 'missing' }
  | { kind: 'not-a-file' }
  | { kind: 'too-large' }
  | { kind: 'unreadable'; code: string };

export async function readSmallFile(file: string, maxBytes: number): Promise<SmallFile> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'not-a-file' };
    if (info.size > maxBytes) return { kind: 'too-large' };
    // One byte more than allowed tells a file that grew past the limit since the stat.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { kind: 'too-large' };
    }
    return { kind: 'text', text: buffer.subarray(0, length).toString('utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', code };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
