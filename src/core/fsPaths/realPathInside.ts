/**
 * Containment checked on real paths. A path inside the workspace by its text can still lead out of
 * it through a symbolic link (`docs -> /home/me/.ssh`); comparing after `fs.realpath` of both the
 * path and the folders closes that. Only for the local file system: a virtual folder's path is
 * never looked up on this disk.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';

/** True when `path` is `root` or lies under it; both must already be resolved. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The real path of `path` when it exists and lies inside the real path of one of `roots`;
 * undefined otherwise (missing, unreadable, or leading outside through a link). Never throws.
 */
export async function realPathInside(path: string, roots: readonly string[]): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return undefined;
  }
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => undefined);
    if (realRoot !== undefined && isInside(realRoot, real)) return real;
  }
  return undefined;
}
