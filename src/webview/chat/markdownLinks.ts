/**
 * Which link targets an answer may carry. The webview never navigates (links are data attributes
 * the host is asked to open, and the host checks again); this filter only keeps obviously hostile
 * targets out of the markup: anything with a scheme other than http(s) renders as plain text.
 */

const WEB_URL = /^https?:\/\/[^/\\]/i;
/** As long as a link target may be; the host's limit (linkTarget.ts). */
const MAX_TARGET_CHARS = 2_048;
/** `//host`, `\\host`, `/\host` and their percent-encoded forms reach another host: not relative. */
const NETWORK_PATH = /^([/\\]|%5c){2}/i;
/** `C:\…`, `C:/…`: a Windows file path, not a scheme called "c". */
const DRIVE_PATH = /^[a-z]:([/\\]|%5c)/i;

/**
 * True for http(s) URLs and relative or file paths (`src/a.ts`, `./a.md#L3`, `/abs`, `C:\x`).
 * `url` is what markdown-it produced (already percent-encoded by its normalizeLink).
 */
export function isAllowedLinkTarget(url: string): boolean {
  const target = url.trim();
  // The host refuses longer targets too (linkTarget.ts); as a link, each use would copy it into the page.
  if (!target || target.length > MAX_TARGET_CHARS) return false;
  if (WEB_URL.test(target)) return true;
  if (NETWORK_PATH.test(target)) return false;
  if (DRIVE_PATH.test(target)) return true;
  // A colon before the first `/`, `?` or `#` is a scheme (javascript:, data:, vbscript:, file:, command:…).
  const firstSegment = target.split(/[/?#]/, 1)[0] ?? '';
  return !firstSegment.includes(':');
}
