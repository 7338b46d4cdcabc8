/**
 * Where a link in an answer may lead. Model output is untrusted: only web pages (http, https) and
 * files inside the open workspace folders are opened; every other scheme (command:, vscode:,
 * javascript:, data:, file: outside the workspace) is refused.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type LinkTarget =
  | { kind: 'external'; url: string }
  /** Absolute paths inside a workspace folder, one per folder that could hold it; the first that exists wins. */
  | { kind: 'file'; paths: string[]; line?: number }
  | { kind: 'rejected'; reason: string };

const MAX_HREF = 2048;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function lineOf(fragment: string): number | undefined {
  const match = /^L(\d{1,7})(?:-L?\d{1,7})?$/i.exec(fragment);
  return match ? Math.max(1, Number(match[1])) : undefined;
}

function fileTarget(path: string, fragment: string, roots: readonly string[]): LinkTarget {
  const line = lineOf(fragment);
  const absolute = isAbsolute(path);
  const paths = absolute
    ? roots.some((root) => inside(root, resolve(path)))
      ? [resolve(path)]
      : []
    : roots.map((root) => resolve(root, path)).filter((candidate, i) => inside(roots[i] ?? '', candidate));
  if (paths.length === 0) return { kind: 'rejected', reason: 'the file is outside the workspace' };
  return line === undefined ? { kind: 'file', paths } : { kind: 'file', paths, line };
}

/** `roots`: the file-system paths of the workspace folders. */
export function linkTarget(href: string, roots: readonly string[]): LinkTarget {
  const text = href.trim();
  if (!text || text.length > MAX_HREF) return { kind: 'rejected', reason: 'empty or too long' };
  // A Windows drive path ("C:\src\a.ts") looks like a scheme; it is a path.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(text)?.[0].slice(0, -1).toLowerCase();
  if (scheme && !/^[a-z]:[\\/]/i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { kind: 'rejected', reason: 'not a valid URL' };
    }
    if (scheme === 'http' || scheme === 'https') return { kind: 'external', url: url.href };
    if (scheme === 'file') {
      let path: string;
      try {
        path = fileURLToPath(url);
      } catch {
        return { kind: 'rejected', reason: 'not a valid file URL' };
      }
      return fileTarget(path, url.hash.slice(1), roots);
    }
    return { kind: 'rejected', reason: `${scheme}: links are not opened` };
  }
  if (text.startsWith('#')) return { kind: 'rejected', reason: 'a link within the answer' };
  const hashAt = text.indexOf('#');
  const withoutHash = hashAt >= 0 ? text.slice(0, hashAt) : text;
  const fragment = hashAt >= 0 ? text.slice(hashAt + 1) : '';
  const queryAt = withoutHash.indexOf('?');
  let path = queryAt >= 0 ? withoutHash.slice(0, queryAt) : withoutHash;
  try {
    path = decodeURIComponent(path);
  } catch {
    return { kind: 'rejected', reason: 'not a valid path' };
  }
  if (!path || path.includes('\0')) return { kind: 'rejected', reason: 'not a valid path' };
  return fileTarget(path, fragment, roots);
}
