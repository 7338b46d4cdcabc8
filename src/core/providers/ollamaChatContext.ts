/**
 * Fitting a chat into the context window Ollama will run it with; the window is chosen as for a
 * FIM prompt (ollamaContext.ts). Ollama's own fitting (`chatPrompt`, ollama/ollama
 * server/prompt.go) drops whole messages from the front until the prompt alone fits, keeping the
 * system messages and the latest one: it can leave an answer without its question and no room to
 * answer in, and what is still too long its runner cuts from the start, mid-message. So the chat
 * is fitted here first, with room for the answer: the oldest exchanges (a question with its
 * answers) go whole, never the system prompt nor the latest question; a latest message too long on
 * its own loses its start, at a line start, which keeps the question a chat writes after the files
 * it attaches.
 */
import {
  charsHolding,
  dropStart,
  TEMPLATE_TOKENS,
  tokensAtMost,
  windowFor,
  type OllamaModelFacts,
} from './ollamaContext';
import type { ChatMessage, ContextFit } from './types';

/** Role markers a chat template writes around each message, with room to spare. */
const MESSAGE_TOKENS = 8;
/** Room kept for an answer whose length the request does not bound. */
export const CHAT_ANSWER_TOKENS = 1024;

export interface ChatText {
  system?: string;
  messages: readonly ChatMessage[];
}

export interface FittedChat extends ChatText {
  /** `options.num_ctx` to send; undefined sends none. */
  numCtx?: number;
  /** What was left out to fit; undefined when the whole chat fitted. */
  fit?: ContextFit;
}

const tokensOf = (text: string) => tokensAtMost(text) + MESSAGE_TOKENS;

/**
 * The chat fitted to the window Ollama will give it, `answerTokens` kept for the answer.
 * `askedBefore` is the num_ctx this client last sent for the model (see `windowFor`).
 */
export function fitChatToContext(
  chat: ChatText,
  answerTokens: number,
  facts: OllamaModelFacts,
  askedBefore: number | undefined,
): FittedChat {
  const { system, messages } = chat;
  const sizes = messages.map((message) => tokensOf(message.content));
  let needed =
    (system ? tokensOf(system) : 0) + sizes.reduce((sum, size) => sum + size, 0) + answerTokens + TEMPLATE_TOKENS;
  const { window, numCtx } = windowFor(needed, facts, askedBefore);
  if (needed <= window) return { ...chat, numCtx };
  // The latest question is always sent, with anything after it.
  let latest = messages.length - 1;
  while (latest > 0 && messages[latest]?.role !== 'user') latest--;
  let start = 0;
  while (needed > window && start < latest) {
    // An exchange ends where the next question starts: an answer never goes without its question.
    let next = start + 1;
    while (next < latest && messages[next]?.role !== 'user') next++;
    for (let i = start; i < next; i++) needed -= sizes[i] ?? 0;
    start = next;
  }
  let kept = messages.slice(start);
  let cutChars = 0;
  const content = messages[latest]?.content ?? '';
  const cut = charsHolding(needed - window);
  // Beyond the whole message nothing is cut: the server's own truncation is all that is left.
  if (needed > window && cut < content.length) {
    const shorter = dropStart(content, cut);
    cutChars = content.length - shorter.length;
    kept = kept.map((message, i) => (i === latest - start ? { ...message, content: shorter } : message));
  }
  const fit = start > 0 || cutChars > 0 ? { window, droppedMessages: start, cutChars } : undefined;
  return { system, messages: kept, numCtx, ...(fit && { fit }) };
}
