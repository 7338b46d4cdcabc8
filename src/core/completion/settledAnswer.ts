/**
 * A streamed answer's ghost text before the stream ends. Post-processing cuts most answers well
 * before the model stops: a `line` completion keeps its first line unless that line opens a block,
 * a block ends where it closes. Once the lines received so far already contain that cut, the rest
 * of the stream cannot change what is shown, and the user need not wait for it (at tens of tokens
 * a second, a 128-token answer takes seconds after its first line).
 *
 * "Cannot change" is tested, not assumed: the shown text must stay the same whatever line comes
 * next, for a set of next lines that would each extend or end a block differently (deeper, at the
 * same indentation, at none, after a blank line, a closer, a keyword closer, the line after the
 * cursor). Only whole lines are judged, so a line still arriving is never shown cut.
 */
import { cleanHoleFillAnswer } from '../providers/holeFillPrompt';
import { mayBecomeEcho, unwrapChatAnswer } from './chatAnswer';
import { postProcess, type PostProcessContext } from './postprocess';
import { readCursor } from './postprocessCursor';

/**
 * Lines that end what wraps a chat model's code, each of which would change the text if it
 * mattered; a tag closed right after the code says whether a break after its opening tag was the
 * answer's own (see unwrapTag).
 */
const CHAT_CLOSERS = ['```', '~~~', '</COMPLETION>', '</HOLE>', '</code>', 'x</COMPLETION>', 'x</HOLE>'];

/**
 * The ghost text for `raw` so far, when no further text could change it; undefined otherwise.
 * With `ctx.fromChat` the text is a chat model's answer, judged as its whole would be: cleaned as
 * the chat route cleans it (fimOverChat), unwrapped by post-processing, and never shown while it
 * may still be a repeat of the code before the cursor.
 */
export function settledAnswer(raw: string, ctx: PostProcessContext): string | undefined {
  const end = raw.lastIndexOf('\n');
  if (end === -1) return undefined;
  const complete = raw.slice(0, end + 1);
  const judge = (text: string) => postProcess(ctx.fromChat ? cleanHoleFillAnswer(text) : text, ctx);
  const shown = judge(complete);
  if (!shown) return undefined;
  const cursor = ctx.fromChat ? readCursor(ctx.prefix, ctx.suffix, ctx.languageId) : undefined;
  if (cursor && mayBecomeEcho(complete, cursor)) return undefined;
  // The answer's first line goes on the cursor's line: its indentation is that line's. A chat
  // answer's code is what goes there, without the fence or tags around it.
  const code = cursor ? unwrapChatAnswer(cleanHoleFillAnswer(complete), cursor, true) : complete;
  const asInDocument = ctx.prefix.slice(ctx.prefix.lastIndexOf('\n') + 1) + code;
  const last = [...asInDocument.split('\n')].reverse().find((line) => line.trim() !== '') ?? '';
  const indent = /^[ \t]*/.exec(last)?.[0] ?? '';
  const afterCursor = ctx.suffix.split('\n').find((line) => line.trim() !== '') ?? '';
  const nextLines = [
    `${indent}x`,
    `${indent}  x`,
    `${indent}    x`,
    `${indent}\tx`,
    'x',
    `\n${indent}x`,
    `${indent}}`,
    '}',
    `${indent}end`,
    afterCursor,
    ...(ctx.fromChat ? CHAT_CLOSERS : []),
  ];
  return nextLines.every((next) => judge(`${complete}${next}\n`) === shown) ? shown : undefined;
}
