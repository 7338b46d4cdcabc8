/**
 * Step 4 of post-processing for a `line` completion (code before the cursor, nothing but closers
 * after it): the rest of the line, unless the model clearly gives more. A first line that opens a
 * block (a signature, an interface or struct header, a CSS selector) gets its block; an answer that
 * starts with a line break belongs on the next line (a closing brace, the next key or field) and
 * gets that line, with its block when it opens one. Blocks end where they close.
 */
import { closesBlock } from './blockShape';
import { IN_CODE, scanCode } from './codeScan';
import { endsWithOpener } from './multiline';
import type { Cursor } from './postprocessCursor';
import { indentWidth } from './whitespace';

const OPENERS = '([{';
const CLOSERS = ')]}';

export function shapeLine(text: string, cursor: Cursor, maxLines: number): string {
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  if (lines.length === 1) return first;
  if (first.trim() === '') return nextLine(lines, cursor, maxLines);
  const opened = cursor.lineBefore + first;
  if (!endsWithOpener(opened, cursor.languageId)) return first;
  return cap([first, ...blockAfter(lines.slice(1), opened, cursor, true)], maxLines);
}

/** An answer that starts with a line break: the next line, its body or its block. */
function nextLine(lines: readonly string[], cursor: Cursor, maxLines: number): string {
  const start = lines.findIndex((line) => line.trim() !== '');
  if (start === -1) return '';
  const own = indentWidth(cursor.lineBefore);
  const line = lines[start] ?? '';
  const kept = lines.slice(0, start + 1);
  const rest = lines.slice(start + 1);
  if (indentWidth(line) > own) {
    // Deeper than the cursor line: the body of a block the cursor line opened (`def total`, `then`,
    // `do |x|`), up to the closing line at the cursor line's indentation (`end`, `fi`, `}`).
    kept.push(...bodyLines(rest, own, cursor.languageId));
  } else if (endsWithOpener(line, cursor.languageId)) {
    kept.push(...blockAfter(rest, line, cursor, false));
  }
  return cap(kept, maxLines);
}

/**
 * The lines of the block `openerLine` opens. A bracket at its end closes where the brackets balance
 * (indentation varies: `public:` sits at the class's own level); a `:` or `=>` block lasts while
 * the lines are indented deeper.
 */
function blockAfter(rest: readonly string[], openerLine: string, cursor: Cursor, continuesCursor: boolean): string[] {
  const indent = indentWidth(openerLine);
  if (!/[([{]\s*$/.test(openerLine)) return bodyLines(rest, indent, cursor.languageId);
  // Count from the brackets the opener line itself leaves open (only its own part when it continues the cursor line).
  const own = continuesCursor ? openerLine.slice(cursor.lineBefore.length) : openerLine;
  let state = continuesCursor ? cursor.state : IN_CODE;
  let depth = 0;
  const count = (text: string) =>
    scanCode(text, cursor.syntax, state, (ch) => {
      if (OPENERS.includes(ch)) depth++;
      else if (CLOSERS.includes(ch)) depth--;
    });
  state = count(own);
  if (depth <= 0) return [];
  const kept: string[] = [];
  for (const line of rest) {
    state = count(`\n${line}`);
    kept.push(line);
    if (depth <= 0) break;
  }
  return kept;
}

/** Blank lines and lines deeper than `indent`, then a closing line at `indent` if one comes next. */
function bodyLines(rest: readonly string[], indent: number, languageId: string): string[] {
  const kept: string[] = [];
  for (const line of rest) {
    if (line.trim() === '' || indentWidth(line) > indent) {
      kept.push(line);
      continue;
    }
    if (indentWidth(line) === indent && closesBlock(line, languageId)) kept.push(line);
    break;
  }
  return kept;
}

function cap(lines: readonly string[], maxLines: number): string {
  // Leading line breaks only place the completion: they do not count.
  const lead = lines.findIndex((line) => line.trim() !== '');
  const capped = lines.slice(0, Math.max(0, lead) + Math.max(1, maxLines));
  while (capped.length > 1 && capped.at(-1)?.trim() === '') capped.pop();
  return capped.join('\n');
}
