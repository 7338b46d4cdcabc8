/**
 * Every question re-sends the conversation, and each earlier question carries its attached files
 * whole: asked about one file eight times, a request would carry it eight times. A context block
 * attached again word for word (the same path, the same content) is sent once, with the latest
 * question that has it; each earlier copy becomes a one-line note, so the model still knows it
 * was there. A file that changed in between keeps its earlier version: that is what was answered.
 */
import type { UserTurn } from './conversation';

/** The prompt of each question as sent, in order, with every block repeated later replaced by a note. */
export function withoutRepeatedContext(questions: readonly UserTurn[]): string[] {
  const later = new Set<string>();
  const prompts: string[] = [];
  for (let i = questions.length - 1; i >= 0; i--) {
    const question = questions[i]!;
    const parts = contextParts(question);
    if (!parts) {
      prompts.unshift(question.prompt);
      continue;
    }
    const sent = parts.blocks.map((block) => (later.has(block) ? attachedAgainNote(block) : block));
    for (const block of parts.blocks) later.add(block);
    prompts.unshift([...sent, parts.question].join('\n\n'));
  }
  return prompts;
}

/**
 * The context blocks at the start of a prompt and the question after them (see `userPrompt`);
 * undefined for a question without context, one saved before block lengths were kept, or one
 * whose lengths do not fit its prompt.
 */
export function contextParts(turn: UserTurn): { blocks: string[]; question: string } | undefined {
  if (!turn.contextChars?.length) return undefined;
  const blocks: string[] = [];
  let at = 0;
  for (const length of turn.contextChars) {
    const block = turn.prompt.slice(at, at + length);
    if (block.length !== length || turn.prompt.slice(at + length, at + length + 2) !== '\n\n') return undefined;
    blocks.push(block);
    at += length + 2;
  }
  return { blocks, question: turn.prompt.slice(at) };
}

/** "[File src/a.ts: attached again below]", from the block's heading ("File src/a.ts:"). */
function attachedAgainNote(block: string): string {
  const heading = block.slice(0, block.indexOf('\n')).replace(/:$/, '');
  return `[${heading}: attached again below]`;
}
