/**
 * The 'chat' FIM route: asks a chat-only model (Claude, GPT, qwen3-coder-plus over chat) to fill a
 * hole. The completion engine may pass its own prompt; this is the default shape.
 */
import type { ChatRequest, FimRequest } from './types';

const SYSTEM =
  'You are a code completion engine. Reply with only the code that replaces <HOLE>: no explanation, ' +
  'no code fences, and do not repeat the code before or after the hole.';

export function holeFillChatRequest(request: FimRequest): ChatRequest {
  return {
    system: SYSTEM,
    messages: [{ role: 'user', content: `${request.prefix}<HOLE>${request.suffix}` }],
    maxTokens: request.maxTokens ?? 128,
    temperature: request.temperature ?? 0,
    stop: request.stop,
    signal: request.signal,
    timeoutMs: request.timeoutMs,
    idleTimeoutMs: request.idleTimeoutMs,
    clock: request.clock,
    model: request.model,
  };
}

/** Chat models sometimes wrap their answer in a fence or echo the hole marker; keep only the code. */
export function cleanHoleFillAnswer(text: string): string {
  const fenced = /^\s*```[\w+-]*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return (fenced ? (fenced[1] ?? '') : text).replace(/<\/?HOLE>/g, '');
}
