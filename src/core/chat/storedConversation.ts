/**
 * The stored shape of a conversation, checked on every read: storage can hold anything (an older
 * version's shape, a hand edit, a torn write). A conversation whose frame is unreadable is
 * skipped; a turn that is unreadable is dropped and the rest kept.
 */
import * as z from 'zod/mini';
import type { AssistantTurn, Conversation, Turn, UserTurn } from './conversation';
import { failureKind } from './explainFailure';
import { withRelativeHeadings } from './storedPaths';

export const STORED_VERSION = 1;

const count = z.number().check(z.int(), z.nonnegative());
const epochMs = z.number().check(z.nonnegative());

const userTurn = z.object({
  role: z.literal('user'),
  id: z.string(),
  text: z.string(),
  prompt: z.string(),
  context: z.array(
    z.object({ kind: z.enum(['selection', 'file']), label: z.string(), tokens: count, truncated: z.boolean() }),
  ),
  contextChars: z.optional(z.array(count)),
  at: epochMs,
});

const failure = z.object({
  kind: z.string(),
  message: z.string(),
  providerId: z.optional(z.string()),
  backendName: z.optional(z.string()),
  model: z.optional(z.string()),
  protocol: z.optional(z.string()),
  status: z.optional(z.number()),
  resetAt: z.optional(epochMs),
  limitSource: z.optional(z.string()),
  code: z.optional(z.string()),
});

const assistantTurn = z.object({
  role: z.literal('assistant'),
  id: z.string(),
  text: z.string(),
  status: z.enum(['streaming', 'complete', 'stopped', 'failed']),
  at: epochMs,
  backendId: z.optional(z.string()),
  backendName: z.optional(z.string()),
  model: z.optional(z.string()),
  usage: z.optional(
    z.object({
      inputTokens: count,
      outputTokens: count,
      reported: z.boolean(),
      costMicros: z.nullable(z.number()),
      inPlan: z.optional(z.boolean()),
      currency: z.optional(z.enum(['USD', 'CNY'])),
      reasoningTokens: z.optional(count),
      retried: z.optional(
        z.object({
          requests: count,
          inputTokens: count,
          outputTokens: count,
          costMicros: z.nullable(z.number()),
        }),
      ),
    }),
  ),
  error: z.optional(failure),
});

const frame = z.object({
  v: z.literal(STORED_VERSION),
  id: z.string().check(z.minLength(1)),
  createdAt: epochMs,
  updatedAt: epochMs,
  turns: z.array(z.unknown()),
});

export interface ReadResult {
  conversation?: Conversation;
  /** Turns that could not be read and were left out. */
  droppedTurns: number;
}

function readTurn(raw: unknown): Turn | undefined {
  const user = userTurn.safeParse(raw);
  if (user.success) return withRelativeHeadings(user.data satisfies UserTurn);
  const answer = assistantTurn.safeParse(raw);
  if (!answer.success) return undefined;
  const { error, ...rest } = answer.data;
  const turn: AssistantTurn = {
    ...rest,
    // An answer still streaming when the window closed was cut off: it is shown as stopped.
    status: rest.status === 'streaming' ? 'stopped' : rest.status,
  };
  if (error) turn.error = { ...error, kind: failureKind(error.kind) };
  return turn;
}

export function readConversation(raw: unknown): ReadResult {
  const parsed = frame.safeParse(raw);
  if (!parsed.success) return { droppedTurns: 0 };
  const turns: Turn[] = [];
  let droppedTurns = 0;
  for (const rawTurn of parsed.data.turns) {
    const turn = readTurn(rawTurn);
    if (turn) turns.push(turn);
    else droppedTurns += 1;
  }
  const { id, createdAt, updatedAt } = parsed.data;
  return { conversation: { id, createdAt, updatedAt, turns }, droppedTurns };
}

export function writeConversation(conversation: Conversation): unknown {
  return { v: STORED_VERSION, ...conversation };
}
