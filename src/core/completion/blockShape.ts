/**
 * Steps 3 and 4 of post-processing: fit the completion's lines to the cursor's block. Indentation
 * the editor already put in is not repeated, and a multi-line completion stops where it leaves the
 * block, at `maxLines`, without trailing blank lines.
 */
import { endsWithOpener } from './multiline';
import type { Cursor } from './postprocessCursor';
import { indentWidth } from './whitespace';

/** A keyword that ends a block on a line of its own (`end`, `end)`, `fi;`), not an identifier being assigned or called. */
export const KEYWORD_CLOSER = /^(?:end|fi|done|esac)\b(?!\s*[=(:])/;

/**
 * On a whitespace-only line the editor already put the indentation in: a model (chat models
 * especially) that writes it again would double it. Compared by width, not characters: four
 * spaces repeat a tab.
 */
export function dropRepeatedIndent(text: string, lineBefore: string, fromChat: boolean): string {
  if (lineBefore === '' || lineBefore.trim() !== '') return text;
  if (text.startsWith(lineBefore)) return text.slice(lineBefore.length);
  const lead = /^[ \t]*/.exec(text)?.[0] ?? '';
  if (!lead) return text;
  const cursorWidth = indentWidth(lineBefore);
  // The start of the answer's indentation as wide as the cursor line's is that indentation again.
  for (let end = 1; end <= lead.length; end++) {
    if (indentWidth(lead.slice(0, end)) >= cursorWidth) return text.slice(end);
  }
  // A chat answer indented less than the cursor line still means "at the cursor's indentation".
  return fromChat ? text.slice(lead.length) : text;
}

/**
 * Keeps the lines that stay in the cursor's block. A line indented less than the block ends it; a
 * closing line at the opener's indentation is kept (step 6 drops it if the suffix closes the block
 * already) and ends it too, unless it opens the next part (`} else {`, Python's `else:`).
 */
export function shapeBlock(text: string, cursor: Cursor, maxLines: number): string {
  const lines = text.split('\n');
  const { body, opener } = blockIndents(lines, cursor);
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '' || indentWidth(line) >= body) {
      kept.push(line);
      continue;
    }
    if (indentWidth(line) !== opener || !closesBlock(line, cursor.languageId)) break;
    kept.push(line);
    if (!endsWithOpener(line, cursor.languageId)) break;
  }
  // A first line with nothing on it is only the line break after an opener: it does not count.
  const limit = Math.max(1, maxLines) + (kept[0]?.trim() === '' ? 1 : 0);
  const capped = kept.slice(0, limit);
  while (capped.length > 1 && capped.at(-1)?.trim() === '') capped.pop();
  return capped.join('\n');
}

/** The least indentation of a line inside the cursor's block, and the indentation of its opener (-1: none). */
function blockIndents(lines: readonly string[], cursor: Cursor): { body: number; opener: number } {
  const own = indentWidth(cursor.lineBefore);
  if (cursor.lineBefore.trim() !== '' && endsWithOpener(cursor.lineBefore, cursor.languageId)) {
    return { body: own + 1, opener: own };
  }
  let body = own;
  if (cursor.lineBefore.trim() === '') {
    // The first line with text says how deep the model writes; the cursor line's indentation is already in place.
    const first = lines.findIndex((line) => line.trim() !== '');
    const line = lines[first] ?? '';
    body = first <= 0 ? indentWidth(cursor.lineBefore + line) : indentWidth(line);
  }
  const above = cursor.prefix.split('\n').slice(0, -1).reverse();
  const openerLine = above.find((line) => line.trim() !== '' && indentWidth(line) < body);
  return { body, opener: openerLine === undefined ? -1 : indentWidth(openerLine) };
}

/**
 * Whether a line closes a block: a closing bracket, a keyword that ends a block (Ruby and Lua `end`,
 * shell `fi`, `done`, `esac`), a closing tag, or Python's `else:` and friends.
 */
export function closesBlock(line: string, languageId: string): boolean {
  const text = line.trim();
  if (/^[)\]}]/.test(text) || /^<\/[\w:.-]+>/.test(text) || KEYWORD_CLOSER.test(text)) return true;
  return languageId === 'python' && /^(?:elif|else|except|finally)\b.*:$/.test(text);
}
