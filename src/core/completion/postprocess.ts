/**
 * Raw model text → the ghost text shown at the cursor. The steps run in this order, each relying on
 * the ones before it:
 *  1. cut at the first stop string and at any leaked control token of any FIM family;
 *  2. chat answers only: unwrap `<COMPLETION>`/`<HOLE>`/`<code>` tags and a code fence, drop an echo
 *     of the text before the cursor;
 *  3. drop indentation the model repeated from a whitespace-only cursor line;
 *  4. shape the lines: the first line only for a single-line completion; otherwise stop where the
 *     text leaves the cursor's block, cap at `maxLines`, drop trailing blank lines;
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
import { unwrapChatAnswer } from './chatAnswer';
import { cutAtControlTokens } from './leakedTokens';
import { readCursor } from './postprocessCursor';
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
  languageId: string;
  /** Cap on lines for a multi-line completion (the engine's default is 12). */
  maxLines: number;
  /** The template's control tokens and stop strings: the text is cut at the first one. */
  stops: readonly string[];
  /** The text came from a chat model asked to fill a hole: it may carry fences, tags, repeated context. */
  fromChat: boolean;
}

/** Turns raw model text into what the ghost text shows at the cursor; '' when nothing is worth showing. */
export function postProcess(raw: string, ctx: PostProcessContext): string {
  const cursor = readCursor(ctx.prefix, ctx.suffix, ctx.languageId);
  let text = cutAtControlTokens(toLf(raw), ctx.stops);
  if (ctx.fromChat) text = unwrapChatAnswer(text, cursor, ctx.multiline);
  text = dropRepeatedIndent(text, cursor.lineBefore, ctx.fromChat);
  text = ctx.multiline ? shapeBlock(text, cursor, ctx.maxLines) : (text.split('\n', 1)[0] ?? '');
  text = dropRepeatedSuffixLines(text, cursor);
  text = cutOverClosing(text, cursor);
  if (!ctx.multiline) text = cutUnclosedOpeners(text, cursor);
  text = dropRestOfLineOverlap(text, cursor.restOfLine);
  return finish(text, cursor);
}
