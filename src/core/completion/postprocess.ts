/**
 * Raw model text → the ghost text shown at the cursor. The steps run in this order, each relying on
 * the ones before it:
 *  1. cut at the first stop string and at any leaked control token of any FIM family;
 *  2. chat answers only: unwrap `<COMPLETION>`/`<HOLE>`/`<code>` tags and a code fence, drop an echo
 *     of the text before the cursor;
 *  3. drop indentation the model repeated from a whitespace-only cursor line, then write the
 *     indentation in the document's style (tabs or spaces) where the answer's clearly differs;
 *  3b. never double a space: after a space already typed, the answer's leading spaces go;
 *  4. shape the lines by the cursor's `CompletionShape`: the first line only for `single`; for
 *     `line` the first line, or the block it opens, or the next line when the answer starts with a
 *     line break; for `block` stop where the text leaves the cursor's block (or closes the string a
 *     docstring opened); cap at `maxLines`, drop trailing blank lines;
 *  5. drop trailing lines that repeat the lines after the cursor;
 *  6. brackets: cut at a closer whose opener the suffix already closes; a single line may not
 *     leave open a bracket that nothing closes (it is cut back to before that bracket);
 *  7. drop an overlap between the end of the text and the rest of the cursor line (`;`, quotes);
 *  8. trim trailing whitespace; '' when nothing is left or when it only repeats what follows.
 * Brackets (6) come before the character overlap (7) so that `bar()` before a `)` keeps its own
 * parenthesis: only the bracket count tells it apart from `a, b)`, whose `)` the suffix supplies.
 */
import { cutOverClosing, cutUnclosedOpeners } from './bracketBalance';
import { dropRepeatedIndent, shapeBlock } from './blockShape';
import { shapeLine } from './lineShape';
import type { CompletionShape } from './multiline';
import { unwrapChatAnswer } from './chatAnswer';
import { cutAtControlTokens } from './leakedTokens';
import { readCursor } from './postprocessCursor';
import { documentIndentStyle, reindent, type IndentStyle } from './reindent';
import { dropRepeatedSuffixLines, dropRestOfLineOverlap, finish } from './suffixOverlap';
import { toLf } from './whitespace';

/** Everything post-processing needs to know about the cursor and the request. */
export interface PostProcessContext {
  /** Document text before the cursor (may be a window). */
  prefix: string;
  /** Document text after the cursor (may be a window). */
  suffix: string;
  /** From `wantsMultiline`: false keeps the first line only. */
  multiline: boolean;
  /** From `completionShape`; when absent, `block` for a multi-line completion and `single` otherwise. */
  shape?: CompletionShape;
  languageId: string;
  /** Cap on lines for a multi-line completion (the engine's default is 12). */
  maxLines: number;
  /** The template's control tokens and stop strings: the text is cut at the first one. */
  stops: readonly string[];
  /** The text came from a chat model asked to fill a hole: it may carry fences, tags, repeated context. */
  fromChat: boolean;
  /** The document's indentation as its editor has it; when absent, read from the prefix. */
  indentation?: IndentStyle;
}

/** Turns raw model text into what the ghost text shows at the cursor; '' when nothing is worth showing. */
export function postProcess(raw: string, ctx: PostProcessContext): string {
  const cursor = readCursor(ctx.prefix, ctx.suffix, ctx.languageId);
  const shape = ctx.shape ?? (ctx.multiline ? 'block' : 'single');
  let text = cutAtControlTokens(toLf(raw), ctx.stops);
  // Chat models open with stray blank lines too often for one to mean "the next line".
  if (ctx.fromChat) text = unwrapChatAnswer(text, cursor, shape === 'block');
  text = dropRepeatedIndent(text, cursor.lineBefore, ctx.fromChat);
  text = reindent(text, cursor, documentIndentStyle(cursor.prefix, ctx.indentation));
  if (cursor.lineBefore.trim() !== '' && /[ \t]$/.test(cursor.lineBefore)) text = text.replace(/^[ \t]+/, '');
  if (shape === 'block') text = closeStringOnce(shapeBlock(text, cursor, ctx.maxLines), cursor);
  else if (shape === 'line') text = shapeLine(text, cursor, ctx.maxLines);
  else text = text.split('\n', 1)[0] ?? '';
  text = dropRepeatedSuffixLines(text, cursor);
  text = cutOverClosing(text, cursor);
  if (shape !== 'block' && !text.includes('\n')) text = cutUnclosedOpeners(text, cursor);
  text = dropRestOfLineOverlap(text, cursor);
  return finish(text, cursor);
}

/** In a docstring (or another string that spans lines) the block ends with the line that closes it. */
function closeStringOnce(text: string, cursor: ReturnType<typeof readCursor>): string {
  if (cursor.state.mode !== 'string' || !cursor.state.spans) return text;
  const close = text.indexOf(cursor.state.close);
  if (close === -1) return text;
  const lineEnd = text.indexOf('\n', close);
  return lineEnd === -1 ? text : text.slice(0, lineEnd);
}
