/**
 * A chat conversation as it is kept and sent: user turns carry the exact prompt that went to the
 * model (question plus context blocks), answers carry how they ended and what they cost.
 */
import type { Currency } from '../usage/money';
import type { ChatMessage } from '../providers/types';
import type { FailureFacts } from './explainFailure';
import { withoutRepeatedContext } from './repeatedContext';

/**
 * `streaming` only while the request runs; a stored `streaming` answer was cut off by a reload
 * and is read back as `stopped`. Only `complete` answers are ever sent back to a model.
 */
export type AnswerStatus = 'streaming' | 'complete' | 'stopped' | 'failed';

/** What a context chip showed when the message was sent. */
export interface ContextRef {
  kind: 'selection' | 'file';
  label: string;
  tokens: number;
  truncated: boolean;
}

export interface UserTurn {
  role: 'user';
  id: string;
  /** The question as typed. */
  text: string;
  /**
   * Exactly what was sent to the model when this was asked: the context blocks and the question.
   * Later requests send a block attached again since as a one-line note (see repeatedContext.ts).
   */
  prompt: string;
  context: ContextRef[];
  /**
   * The length of each context block at the start of `prompt`, so a later request can send a
   * block attached again only once (see repeatedContext.ts). Absent in turns saved before.
   */
  contextChars?: number[];
  at: number;
}

export interface AnswerUsage {
  inputTokens: number;
  outputTokens: number;
  /** False when the backend reported nothing (a stopped or failed answer) and the counts are estimates. */
  reported: boolean;
  /** Integer micro-units of `currency`; null when the price is unknown. */
  costMicros: number | null;
  /** True when a subscription plan covers the request: shown as "included in plan", not as $0. */
  inPlan?: boolean;
  /** Absent in answers saved before currencies existed: USD. */
  currency?: Currency;
  /** Of `outputTokens`, those the model spent reasoning, where the backend said so. */
  reasoningTokens?: number;
  /**
   * Attempts that failed and were sent again (a 5xx the retry policy retried): each a request of
   * its own in the ledger, billed or not, and not in the counts above.
   */
  retried?: RetriedUsage;
}

/** The attempts of one answer that were sent again, together; cost in the answer's currency. */
export interface RetriedUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Integer micro-units; null when the price of any of them is unknown. */
  costMicros: number | null;
}

export interface AssistantTurn {
  role: 'assistant';
  id: string;
  text: string;
  status: AnswerStatus;
  at: number;
  backendId?: string;
  backendName?: string;
  model?: string;
  usage?: AnswerUsage;
  error?: FailureFacts;
}

export type Turn = UserTurn | AssistantTurn;

export interface Conversation {
  id: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

const TITLE_CHARS = 80;

/** The first line of the first question, shortened; what the history list shows. */
export function titleOf(conversation: Conversation): string {
  const first = conversation.turns.find((turn): turn is UserTurn => turn.role === 'user');
  const line = first?.text.trim().split('\n', 1)[0]?.trim() ?? '';
  if (!line) return 'New chat';
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

/**
 * The messages to send for a conversation whose last turn is the question being asked. A
 * question whose answer was stopped or failed is left out with that answer: the model never
 * sees a half-answer as a finished turn, and never two questions in a row. A file attached
 * again unchanged goes with the latest question only (see repeatedContext.ts).
 */
export function promptMessages(turns: readonly Turn[]): ChatMessage[] {
  const exchanges: { question: UserTurn; answer?: string }[] = [];
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (turn?.role !== 'user') continue;
    const answer = turns[i + 1];
    if (answer === undefined) exchanges.push({ question: turn });
    else if (answer.role === 'assistant' && answer.status === 'complete')
      exchanges.push({ question: turn, answer: answer.text });
  }
  const prompts = withoutRepeatedContext(exchanges.map((exchange) => exchange.question));
  return exchanges.flatMap(({ answer }, i): ChatMessage[] => [
    { role: 'user', content: prompts[i]! },
    ...(answer === undefined ? [] : [{ role: 'assistant' as const, content: answer }]),
  ]);
}

/** A request's messages as one text, as the meter estimates them when the backend reports nothing. */
export function requestText(messages: readonly ChatMessage[]): string {
  return messages.map((message) => message.content).join('\n');
}

/** The last turn, when it is an answer. */
export function lastAnswer(conversation: Conversation): AssistantTurn | undefined {
  const last = conversation.turns[conversation.turns.length - 1];
  return last?.role === 'assistant' ? last : undefined;
}
