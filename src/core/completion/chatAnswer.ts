/**
 * Step 2 of post-processing, for chat models asked to fill a hole: their answer may come wrapped in
 * `<COMPLETION>`/`<HOLE>`/`<code>` tags or a code fence, and may repeat the text before the cursor.
 * This turns such an answer into plain text that continues from the cursor.
 */
import { openBracketsBefore } from './bracketBalance';
import type { Cursor } from './postprocessCursor';
import { nonSpace } from './whitespace';

/** Echo detection looks this many lines back: a chat model repeating more is rare. */
const MAX_ECHO_LINES = 40;
/** A repeat of whole lines only counts as an echo from this many non-space characters: a `});` line may well come twice. */
const MIN_WHOLE_LINE_ECHO = 10;
/**
 * ...unless the last line repeated opens the block the cursor starts (`log() {`): the same header
 * again inside its own body is a repeat, however short.
 */
const BLOCK_OPENER_END = /(?:[{([:]|\b(?:do|then))$/;

/**
 * Unwraps tags and a fence and drops an echo of the prefix. Where the answer goes is then read
 * from the cursor: at the end of a line of code, an answer that opens with one line break, or with
 * a line's indentation, or that closes a bracket opened on an earlier line, belongs on the next
 * line, as chat models often drop the break that says so; elsewhere, in a line completion, leading
 * blank lines are stray and go.
 */
export function unwrapChatAnswer(raw: string, cursor: Cursor, multiline: boolean): string {
  const text = dropPrefixEcho(unwrapWrappers(raw, cursor), cursor);
  const rest = text.replace(/^(?:[ \t]*\n)+/, '');
  // A line that ends in a space or `=` waits for the rest of itself: a line break there is stray.
  const atLineEnd =
    cursor.lineBefore.trim() !== '' && cursor.restOfLine.trim() === '' && !/(?:\s|=)$/.test(cursor.lineBefore);
  // On a line of its own the answer's code starts there: a line break before it would leave the
  // line empty, and from a chat model it is layout (`<COMPLETION>\n…`), not meaning.
  if (cursor.lineBefore.trim() === '' && cursor.restOfLine.trim() === '') return rest;
  if (!atLineEnd || rest.trim() === '') return multiline ? text : rest;
  // One line break: the next line. Blank lines before the code are stray; the code's own first
  // line then says where it goes, as when the break was lost.
  const breaks = (/^(?:[ \t]*\n)+/.exec(text)?.[0] ?? '').split('\n').length - 1;
  if (breaks === 1 || startsNextLine(rest, cursor)) return `\n${rest}`;
  return multiline ? text : rest;
}

/**
 * Whether an answer that does not open with a line break still starts the next line: it opens with
 * an indentation (a tab, or two spaces or more) that is not a comment's, or with the closer of a bracket the lines before opened and the cursor's line
 * did not (a block's closing brace, not the parenthesis of a call being written).
 */
function startsNextLine(answer: string, cursor: Cursor): boolean {
  const first = answer.split('\n', 1)[0] ?? '';
  if (/^(?:\t| {2})[ \t]*\S/.test(first)) return !LINE_COMMENT.test(first.trimStart());
  const closer = first.trimStart().charAt(0);
  const innermost = cursor.open.at(-1)?.char;
  return (
    innermost !== undefined &&
    CLOSER_OF[innermost] === closer &&
    openBracketsBefore(cursor.lineBefore, cursor.syntax).open.length === 0
  );
}

const CLOSER_OF: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
/** The start of a comment after code on its line (`x = 1  # total`): that stays on the line. */
const LINE_COMMENT = /^(?:#|\/\/|--|;|%|\/\*)/;

/** The answer without the tags and fence around its code. */
function unwrapWrappers(raw: string, cursor: Cursor): string {
  let text = unwrapTag(unwrapTag(raw, 'COMPLETION'), 'HOLE');
  // In Markdown a fence may be the very text being written: unwrap it only when it wraps everything
  // but a chat model's opening sentence ("Here is the completion:").
  text = unwrapFence(text, cursor.languageId === 'markdown');
  text = unwrapTag(unwrapTag(text, 'COMPLETION'), 'HOLE');
  return unwrapCodeTag(text);
}

/**
 * Whether a chat answer still streaming may yet turn out to repeat the code before the cursor,
 * which would then be dropped from its start: its whole lines so far (the last, still arriving,
 * does not count) are the first lines of the last k lines before the cursor, for some k that
 * more lines could complete. Until that is ruled out, nothing of it can be shown early.
 */
export function mayBecomeEcho(rawSoFar: string, cursor: Cursor): boolean {
  const answer = unwrapWrappers(rawSoFar, cursor).split('\n').slice(0, -1);
  const before = cursor.prefix.split('\n').slice(0, -1);
  for (let k = Math.max(1, answer.length); k <= Math.min(MAX_ECHO_LINES, before.length); k++) {
    const echoed = before.slice(before.length - k);
    if (answer.every((line, i) => line.trim() === echoed[i]?.trim())) return true;
  }
  return false;
}

/**
 * Keeps what lies between `<TAG>` and `</TAG>` (either may be missing), minus the line breaks
 * hugging them. A break after `<TAG>` is layout when one comes before `</TAG>` too, or no `</TAG>`
 * came; with `</TAG>` right after the code it is the answer's own, and says the code goes on the
 * next line (`<COMPLETION>\nJOIN orders …</COMPLETION>`).
 */
function unwrapTag(text: string, tag: string): string {
  let out = text;
  const open = new RegExp(`<${tag}>`, 'i').exec(out);
  if (open) out = out.slice(open.index + open[0].length);
  const close = new RegExp(`\\n?</${tag}>`, 'i').exec(out);
  if (close) out = out.slice(0, close.index);
  if (open && out.startsWith('\n') && (!close || close[0].startsWith('\n'))) out = out.slice(1);
  return out;
}

/** `<code>` is real HTML: unwrap it only when it wraps the whole answer. */
function unwrapCodeTag(text: string): string {
  const match = /^\s*<code>\n?([\s\S]*?)\n?<\/code>\s*$/i.exec(text);
  return match ? (match[1] ?? '') : text;
}

/**
 * A chat model's sentence before its code: "Here is the completion:", "Sure! Here's the code:",
 * "The missing code is:". In Markdown only this may come before a fence that is then unwrapped.
 */
const CHAT_PREAMBLE =
  /^(?:(?:sure|certainly|of course|ok(?:ay)?)\b[!.,]?\s*)?(?:here(?:'s|\u2019s|\s+is|\s+are)\b|the\s+(?:completion|code|missing|rest)\b).*:$/i;

/**
 * The content of the first fenced block: the whole answer, or prose around one block. With
 * `onlyWhole` (Markdown) only a fence that opens the answer, or follows a chat model's preamble.
 */
function unwrapFence(text: string, onlyWhole: boolean): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^\s*(?:`{3,}|~{3,})/.test(line));
  const before = lines.slice(0, Math.max(0, start)).join('\n').trim();
  if (onlyWhole && before !== '' && !CHAT_PREAMBLE.test(before)) return text;
  const marker = start === -1 ? undefined : /^\s*(`{3,}|~{3,})/.exec(lines[start] ?? '')?.[1];
  if (marker === undefined) return text;
  const end = lines.findIndex((line, i) => i > start && line.trim().startsWith(marker) && /^\s*[`~]+\s*$/.test(line));
  // A lone fence after code that does not introduce it ("Here is the code:") closes nothing: drop it.
  if (end === -1 && before !== '' && !before.endsWith(':')) return lines.slice(0, start).join('\n');
  // No closing fence otherwise: the answer was cut short, keep what came.
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/**
 * Drops the start of a chat answer that repeats the current line before the cursor, possibly with
 * whole lines before it. Lines compare without indentation: chat models re-indent what they repeat.
 */
function dropPrefixEcho(text: string, cursor: Cursor): string {
  const answer = text.split('\n');
  const before = cursor.prefix.split('\n').slice(0, -1);
  const typed = cursor.lineBefore;
  for (let k = Math.min(MAX_ECHO_LINES, before.length); k >= 0; k--) {
    const echoed = before.slice(before.length - k);
    if (answer.length < k || echoed.some((line, i) => line.trim() !== answer[i]?.trim())) continue;
    const echoedChars = nonSpace(echoed.join(''));
    if (typed.trim() === '') {
      const opensCursorBlock = k > 0 && BLOCK_OPENER_END.test((echoed.at(-1) ?? '').trimEnd());
      if (k > 0 && (echoedChars.length >= MIN_WHOLE_LINE_ECHO || opensCursorBlock)) return answer.slice(k).join('\n');
      continue;
    }
    const rest = afterEcho(answer[k] ?? '', typed);
    if (rest === undefined) continue;
    return [/\s$/.test(typed) ? rest.trimStart() : rest, ...answer.slice(k + 1)].join('\n');
  }
  return text;
}

/** What follows `echo` at the start of `line`, comparing non-space characters only. */
function afterEcho(line: string, echo: string): string | undefined {
  const wanted = nonSpace(echo);
  let i = 0;
  for (const ch of wanted) {
    while (i < line.length && /\s/.test(line.charAt(i))) i++;
    if (line.charAt(i) !== ch) return undefined;
    i++;
  }
  return line.slice(i);
}
