/**
 * The 'chat' FIM route: asks a chat-only model (Claude, GPT, qwen3-coder-plus over chat) to fill a
 * hole. The completion engine may pass its own prompt; this is the default shape.
 *
 * The code after the hole comes first and the code before it last, ending at the hole: typing
 * changes only the end of the message, so a backend's prefix cache (Model Studio, DeepSeek,
 * OpenAI) serves nearly all of the next prompt at its cache-hit price. Written prefix-first, the
 * whole suffix followed the cursor and was paid in full on every request.
 */
import type { ChatRequest, FimRequest } from './types';

const SYSTEM =
  'You are a code completion engine. Reply with only the code that replaces <HOLE>: no explanation, ' +
  'no code fences, and do not repeat the code before or after the hole.';

export function holeFillChatRequest(request: FimRequest): ChatRequest {
  return {
    system: SYSTEM,
    messages: [{ role: 'user', content: holeFillMessage(request) }],
    maxTokens: request.maxTokens ?? 128,
    temperature: request.temperature ?? 0,
    stop: chatStops(request.stop),
    purpose: 'completion',
    signal: request.signal,
    timeoutMs: request.timeoutMs,
    idleTimeoutMs: request.idleTimeoutMs,
    clock: request.clock,
    onRetry: request.onRetry,
    model: request.model,
  };
}

/**
 * A chat model's first line may be a fence or a sentence introducing its code, so a stop at the
 * first line break would cut the answer before the code: a single line is cut locally after the
 * answer is unwrapped instead (`maxTokens` still bounds what the model writes).
 */
export function chatStops(stops: readonly string[] | undefined): string[] | undefined {
  const kept = stops?.filter((stop) => stop !== '\n');
  return kept?.length ? kept : undefined;
}

/** Labels, so the model does not read the code after the hole as coming first; neither holds the marker. */
export const SUFFIX_LABEL = 'Code after the hole:\n';
export const PREFIX_LABEL = 'Code before the hole, then the hole:\n';

function holeFillMessage(request: FimRequest): string {
  if (request.promptOrder === 'legacy') return `${request.prefix}<HOLE>${request.suffix}`;
  if (!request.suffix) return `${request.prefix}<HOLE>`;
  return `${SUFFIX_LABEL}${request.suffix}\n${PREFIX_LABEL}${request.prefix}<HOLE>`;
}

/** Chat models sometimes wrap their answer in a fence or echo the hole marker; keep only the code. */
export function cleanHoleFillAnswer(text: string): string {
  const fenced = /^\s*```[\w+-]*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return (fenced ? (fenced[1] ?? '') : text).replace(/<\/?HOLE>/g, '');
}
