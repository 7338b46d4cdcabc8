/**
 * Chat over Ollama's native /api/chat. Its OpenAI-compatible /v1 takes no `options`, so a chat
 * sent there runs in whatever window the server defaults to (ollama/ollama docs/openai.md: "The
 * OpenAI API does not have a way of setting the context size for a model"); here the request
 * carries the `num_ctx` it was fitted to (ollamaChatContext.ts). The answer streams as JSON lines:
 * `message.content`, a thinking model's `message.thinking` (older servers write it into the
 * content between `<think>` tags), and the counts on the last line.
 */
import { retryingCall } from './clientSupport';
import { HOSTED_CHAT_SILENCE, startDeadline } from './deadline';
import { openJsonLines, type JsonCall } from './httpJson';
import type { FittedChat } from './ollamaChatContext';
import { ollamaUsage } from './ollamaUsage';
import { ProviderError } from './providerError';
import type { RetryOptions } from './retryPolicy';
import { ThinkTagFilter } from './thinkTags';
import type { ChatEvent, ChatRequest, Usage } from './types';
import { estimatedUsage } from './usage';

/** Where and how to send: the call without its body and deadline, which each chat sets. */
export type OllamaChatTarget = Omit<JsonCall, 'body' | 'deadline' | 'method'> & {
  retry?: Omit<RetryOptions, 'signal'>;
};

export async function* ollamaChat(
  target: OllamaChatTarget,
  model: string,
  request: ChatRequest,
  fitted: FittedChat,
  thinkingOff: boolean,
): AsyncGenerator<ChatEvent, void, undefined> {
  const messages = [
    ...(fitted.system ? [{ role: 'system', content: fitted.system }] : []),
    ...fitted.messages.map((message) => ({ role: message.role, content: message.content })),
  ];
  const body = {
    model,
    messages,
    stream: true,
    // A completion cannot wait for a model to think first.
    ...(thinkingOff && { think: false }),
    options: {
      ...(request.maxTokens !== undefined && { num_predict: request.maxTokens }),
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(request.stop?.length && { stop: request.stop }),
      ...(fitted.numCtx !== undefined && { num_ctx: fitted.numCtx }),
    },
  };
  const deadline = startDeadline(request, HOSTED_CHAT_SILENCE);
  try {
    const { retry, ...call } = target;
    // Retried only until the server answers: after the first line a retry would repeat text.
    const { lines } = await retryingCall(
      deadline,
      () => openJsonLines({ ...call, body, deadline }),
      (error) => asProviderError(error, target.providerId),
      retry,
    );
    request.onSent?.({
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      ...(request.stop?.length && { stop: request.stop }),
      ...(thinkingOff && { reasoningEffort: 'none' }),
      ...(fitted.fit && { context: fitted.fit }),
    });
    const thinkTags = new ThinkTagFilter();
    let written = '';
    let reasoned = '';
    let usage: Usage | undefined;
    let finishReason: string | undefined;
    let ended = false;
    for await (const line of lines) {
      if (typeof line.error === 'string')
        throw new ProviderError({
          kind: 'server',
          providerId: target.providerId,
          message: `Ollama stopped the answer with an error: ${line.error}`,
        });
      const message = (typeof line.message === 'object' && line.message !== null ? line.message : {}) as Record<
        string,
        unknown
      >;
      const content = typeof message.content === 'string' ? message.content : '';
      const thinking = typeof message.thinking === 'string' ? message.thinking : '';
      written += content;
      reasoned += thinking;
      const filtered = content ? thinkTags.push(content) : { text: '', thinking: false, reasoning: '' };
      const reasoning = thinking + filtered.reasoning;
      if (reasoning || filtered.thinking) yield { type: 'thinking', text: reasoning };
      if (filtered.text) yield { type: 'text', text: filtered.text };
      if (line.done === true) {
        ended = true;
        if (typeof line.done_reason === 'string') finishReason = line.done_reason;
        usage = ollamaUsage(line);
        // The answer ends here: a server or proxy that holds the stream open, or sends more, is not waited for.
        break;
      }
    }
    const estimate = () => estimatedUsage(messages.map((m) => m.content).join('\n'), reasoned + written);
    // Closed before its done line (a proxy that cut a long answer): cut off, and what came is billed.
    if (!ended)
      throw new ProviderError({
        kind: 'server',
        providerId: target.providerId,
        message: 'Ollama ended the answer early.',
        usage: estimate(),
      });
    const tags = thinkTags.end();
    // Content that opened with `<think>` and never closed it, though nothing cut it short, was the
    // answer, whole (as over /v1). A completion shows no such text.
    const rest = tags.unclosed && request.purpose !== 'completion' && finishReason !== 'length' ? written : tags.text;
    if (rest) yield { type: 'text', text: rest };
    yield { type: 'done', usage: usage ?? estimate(), finishReason };
  } finally {
    deadline.dispose();
  }
}

function asProviderError(error: unknown, providerId: string): ProviderError {
  if (error instanceof ProviderError) return error;
  return new ProviderError({ kind: 'network', providerId, message: String(error) });
}
