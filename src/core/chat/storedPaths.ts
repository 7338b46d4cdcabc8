/**
 * Questions saved before prompts stopped carrying absolute paths (see promptPath) hold them in the
 * headings of their context blocks ("File /home/alice/notes/todo.md:"), and every later question
 * sends the conversation again as history. On reading, those headings get the name a prompt gives
 * a file now; what the user typed stays as it is.
 */
import { promptPath } from '../fsPaths/promptPath';
import type { UserTurn } from './conversation';
import { contextParts } from './repeatedContext';

/** A block's heading as `contextItem` writes it: "File <path>:" or "Selection from <path>, lines 3-4:". */
const HEADING = /^(File |Selection from )(.+?)((?:, lines? \d+(?:-\d+)?)?:)$/;
const FENCE = /^`{3,}/;

function relativeHeading(line: string): string {
  const match = HEADING.exec(line);
  return match ? `${match[1]}${promptPath(match[2] ?? '')}${match[3]}` : line;
}

function withRelativeHeading(block: string): string {
  const end = block.indexOf('\n');
  return end < 0 ? block : `${relativeHeading(block.slice(0, end))}${block.slice(end)}`;
}

/** `turn` with every context heading naming its file as a prompt does now; the same object when none changes. */
export function withRelativeHeadings(turn: UserTurn): UserTurn {
  if (turn.context.length === 0) return turn;
  const parts = contextParts(turn);
  if (parts) {
    const blocks = parts.blocks.map(withRelativeHeading);
    if (blocks.every((block, index) => block === parts.blocks[index])) return turn;
    return {
      ...turn,
      prompt: [...blocks, parts.question].join('\n\n'),
      contextChars: blocks.map((block) => block.length),
    };
  }
  // Saved before block lengths were kept: a heading is the line right above a code fence.
  const lines = turn.prompt.split('\n');
  const rewritten = lines.map((line, index) => (FENCE.test(lines[index + 1] ?? '') ? relativeHeading(line) : line));
  const prompt = rewritten.join('\n');
  return prompt === turn.prompt ? turn : { ...turn, prompt };
}
