/**
 * The size of the next request, shown before the question is typed. Every question re-sends the
 * conversation so far, so the attachments alone would understate what goes out; the figure is
 * the estimate of the very messages asking now would send (less the question still to be typed),
 * built the way the session builds them.
 */
import { questionTurn, type ContextItem } from './contextItems';
import { promptMessages, requestText, type Turn } from './conversation';
import { estimateTokens } from '../providers/usage';

export interface NextRequestSize {
  /** Everything the request carries, as the meter would estimate it. */
  totalTokens: number;
  /** "≈ 8,020 tokens: 8,000 attached, 20 earlier in this chat" */
  totalText: string;
}

const count = (n: number) => n.toLocaleString('en-US');

export function nextRequestSize(turns: readonly Turn[], items: readonly ContextItem[]): NextRequestSize {
  const question = questionTurn('next', '', items, 0);
  const messages = promptMessages([...turns, question]);
  const totalTokens = estimateTokens(requestText(messages));
  const attached = estimateTokens(question.prompt);
  const earlier = messages.length > 1 ? Math.max(0, totalTokens - attached) : 0;
  const totalText =
    earlier === 0
      ? items.length > 0
        ? `≈ ${count(totalTokens)} tokens of context`
        : 'No context'
      : items.length > 0
        ? `≈ ${count(totalTokens)} tokens: ${count(attached)} attached, ${count(earlier)} earlier in this chat`
        : `≈ ${count(totalTokens)} tokens from earlier in this chat`;
  return { totalTokens, totalText };
}
