/**
 * Steps 5, 7 and 8 of post-processing: drop what the completion repeats of the text after the
 * cursor, whole lines first, then characters at the end of the last line, and show nothing when
 * the whole completion only repeats what follows.
 */
import { isSelfContained } from './bracketBalance';
import { scanCode } from './codeScan';
import type { Cursor } from './postprocessCursor';
import { KEYWORD_CLOSER } from './blockShape';
import { indentWidth, nonSpace } from './whitespace';

/**
 * Drops the longest tail of lines equal (trimmed) to the next non-blank lines after the cursor. A
 * tail holding a closer of something opened before it is left to step 6, which knows whether the
 * suffix closes it: a `}` closing the completion's own `if` looks just like the function's `}`.
 */
export function dropRepeatedSuffixLines(text: string, cursor: Cursor): string {
  const lines = text.split('\n');
  const followingLines = cursor.suffix
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '');
  const following = followingLines.map((line) => line.trim());
  // A keyword closer (`end`, `fi`) carries no bracket to count: only its indentation tells the
  // method's `end` from the class's `end` that follows.
  const closerMoved = (tail: readonly string[], start: number) =>
    tail
      .filter((line) => line.trim() !== '')
      .some((line, i) => {
        if (!KEYWORD_CLOSER.test(line.trim())) return false;
        const at = start + tail.indexOf(line);
        const indent = indentWidth(at === 0 ? cursor.lineBefore + line : line);
        return indent !== indentWidth(followingLines[i] ?? '');
      });
  const rest = nonSpace(cursor.restOfLine);
  // The first line is a whole line only when nothing but indentation precedes the cursor.
  for (let start = cursor.lineBefore.trim() === '' ? 0 : 1; start < lines.length; start++) {
    const tail = lines.slice(start);
    const content = tail.map((line) => line.trim()).filter((line) => line !== '');
    if (content.length === 0 || content.some((line, i) => line !== following[i])) continue;
    if (closerMoved(tail, start)) continue;
    if (!isSelfContained(tail.join('\n'), cursor.syntax)) continue;
    // The kept part must end where the rest of the cursor line can follow it.
    const head = start === 0 ? undefined : lines[start - 1];
    if (rest && (head === undefined || !nonSpace(head).endsWith(rest))) continue;
    return lines.slice(0, start).join('\n');
  }
  return text;
}

/**
 * Drops the longest run at the end of the last line that repeats the start of the rest of the
 * line, ignoring spaces: `foo();` before `;`, `cart.items` before `items.length`, `number>();`
 * before `>();`. Words are not spared: a model that ends with what follows the cursor repeats it
 * far more often than it means the same word twice. Brackets are mostly step 6's business, which
 * knows which closers the suffix supplies; a run with brackets goes only when what is kept leaves
 * none of the completion's own brackets open, and either its brackets pair up within it (`>();`,
 * `.trim();`) or the cursor is in a string, where step 6 sees no brackets: the `}` of `name}`
 * before `}")` closes the f-string's `{`, `${` in a template likewise. The `)` of `bar()` before
 * `)` closes the completion's own `(` and stays; that of `text)` in `wrap(parse(` is step 6's.
 */
export function dropRestOfLineOverlap(text: string, cursor: Pick<Cursor, 'restOfLine' | 'syntax' | 'state'>): string {
  const rest = nonSpace(cursor.restOfLine);
  const lineStart = text.lastIndexOf('\n') + 1;
  const positions: number[] = [];
  for (let i = lineStart; i < text.length; i++) if (!/\s/.test(text.charAt(i))) positions.push(i);
  for (let k = Math.min(positions.length, rest.length); k >= 1; k--) {
    const from = positions[positions.length - k] ?? text.length;
    const head = rest.slice(0, k);
    if (nonSpace(text.slice(from)) !== head) continue;
    // After `\` in a string the run's quote is escaped text, not the string's end the rest has.
    if (escapesNext(text.slice(0, from), cursor)) continue;
    if (!/[()[\]{}]/.test(head)) return text.slice(0, from);
    const outsideCode = cursor.state.mode !== 'code';
    if ((outsideCode || pairsUp(head)) && !leavesOwnBracketOpen(text.slice(0, from), cursor))
      return text.slice(0, from);
  }
  return text;
}

/** Whether `kept`, read from the cursor on, ends in a string with a backslash that escapes what comes next. */
function escapesNext(kept: string, cursor: Pick<Cursor, 'syntax' | 'state'>): boolean {
  return /(?<!\\)(?:\\\\)*\\$/.test(kept) && scanCode(kept, cursor.syntax, cursor.state).mode === 'string';
}

/** Whether every bracket in `run` closes one opened in it, and every one it opens is closed. */
function pairsUp(run: string): boolean {
  const open: string[] = [];
  for (const ch of run) {
    if ('([{'.includes(ch)) open.push(ch);
    else if (')]}'.includes(ch) && open.pop() !== { ')': '(', ']': '[', '}': '{' }[ch]) return false;
  }
  return open.length === 0;
}

/** Whether `kept`, read from the cursor on, opens a bracket (in code) that it does not close. */
function leavesOwnBracketOpen(kept: string, cursor: Pick<Cursor, 'syntax' | 'state'>): boolean {
  let depth = 0;
  scanCode(kept, cursor.syntax, cursor.state, (ch) => {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch) && depth > 0) depth--;
  });
  return depth > 0;
}

/** Trims trailing whitespace; '' when nothing is left or when the text only repeats what follows. */
export function finish(text: string, cursor: Cursor): string {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed.trim() === '') return '';
  const out =
    trimmed + (keepsTrailingSpace(trimmed, cursor) ? (/^[ \t]*/.exec(text.slice(trimmed.length))?.[0] ?? '') : '');
  return repeatsWhatFollows(out, cursor.suffix) ? '' : out;
}

/**
 * Whether the spaces after `trimmed` are part of the text: before more text they are (`a + ` then
 * `b;`, `Task ` then `😀`, `* 2 ` then `- b`), in a string they are the string's; at the end of the
 * line, before a space (never doubled) and in code before a closer or separator they are not.
 */
function keepsTrailingSpace(trimmed: string, cursor: Cursor): boolean {
  const next = cursor.restOfLine.charAt(0);
  if (next === '' || /\s/.test(next)) return false;
  return scanCode(trimmed, cursor.syntax, cursor.state).mode === 'string' || !')]};,.:'.includes(next);
}

/** Whether `text` only repeats the lines that follow it, compared trimmed and blank lines aside. */
export function repeatsWhatFollows(text: string, suffix: string): boolean {
  const shown = collapse(text);
  if (shown === '') return false;
  const next = collapse(suffix).split('\n').slice(0, shown.split('\n').length).join('\n');
  return shown === next;
}

/** Trimmed non-blank lines: text compared regardless of indentation and blank lines. */
function collapse(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}
