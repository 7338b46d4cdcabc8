/**
 * The context window Ollama runs a request in, and what it does with a prompt that does not fit:
 * it answers anyway. The window is the request's `options.num_ctx`, else the Modelfile's
 * `PARAMETER num_ctx`, else the server default, never more than the model was trained for.
 * - /api/generate: the runner cuts the prompt from its start, after its first NUM_KEEP tokens.
 * - /api/chat, and /v1/chat/completions, which Ollama turns into the same chat request (with no
 *   way to ask for a window: its body has no `options`): `chatPrompt` in ollama/ollama
 *   server/prompt.go drops whole messages from the front until the rendered chat fits, keeping the
 *   system messages and always the latest message; what is then still too long the runner cuts as
 *   above, mid-message.
 * A token is four characters here, as everywhere in the emulator.
 */
import type { RequestContext } from './context';
import { numberOr } from './generation';
import { approxTokens } from './tokens';

const DEFAULT_NUM_CTX = 4096;
export const CONTEXT_LENGTH = 32_768;
/** Ollama keeps this many tokens at the start of a prompt it truncates (api.Options.NumKeep's default). */
const NUM_KEEP = 4;

/** The window a request to `name` (as /api/tags lists it) runs in. */
function windowOf(ctx: RequestContext, name: string, options: Record<string, unknown>): number {
  const settings = ctx.settings.ollama;
  const asked = numberOr(options.num_ctx, undefined);
  return Math.min(
    asked !== undefined && asked > 0
      ? asked
      : (settings?.modelNumCtx?.[name] ?? settings?.defaultNumCtx ?? DEFAULT_NUM_CTX),
    settings?.contextLength ?? CONTEXT_LENGTH,
  );
}

/** The characters the runner cuts from a prompt of `tokens` in a window of `numCtx`: [from, to). */
function runnerCut(tokens: number, numCtx: number): { from: number; to: number } {
  const over = Math.max(0, tokens - numCtx);
  return { from: NUM_KEEP * 4, to: NUM_KEEP * 4 + over * 4 };
}

/** `text`, which starts at `start` in the whole prompt, without the part of it in [from, to). */
function withoutRange(text: string, start: number, cut: { from: number; to: number }): string {
  const clamp = (at: number) => Math.min(text.length, Math.max(0, at - start));
  return text.slice(0, clamp(cut.from)) + text.slice(clamp(Math.max(cut.to, cut.from)));
}

/**
 * The prompt as the model sees it in the window the request runs with: when the prompt and suffix
 * are longer, the prompt loses tokens from its start after the first NUM_KEEP, as Ollama's runner
 * cuts them.
 */
export function truncated(
  ctx: RequestContext,
  name: string,
  options: Record<string, unknown>,
  text: { prompt: string; suffix: string },
): { prompt: string; tokens: number } {
  const numCtx = windowOf(ctx, name, options);
  const tokens = approxTokens(text.prompt + text.suffix);
  const over = tokens - numCtx;
  ctx.record.context = { numCtx, truncatedTokens: Math.max(0, over) };
  if (over <= 0) return { prompt: text.prompt, tokens };
  return { prompt: withoutRange(text.prompt, 0, runnerCut(tokens, numCtx)), tokens: numCtx };
}

export interface WindowMessage {
  role: string;
  content: string;
}

/** A chat in the emulated models' template (ChatML), ready for the assistant's answer. */
function rendered(messages: readonly WindowMessage[]): string {
  return `${messages.map((message) => `<|im_start|>${message.role}\n${message.content}<|im_end|>\n`).join('')}<|im_start|>assistant\n`;
}

/**
 * A chat as the model reads it in its window: messages dropped from the front as `chatPrompt`
 * drops them, then the runner's cut. Returns the latest user message as the model saw it (what
 * the emulator answers) and the prompt tokens read; records the window, the tokens lost and the
 * messages dropped.
 */
export function chatInWindow(
  ctx: RequestContext,
  name: string,
  options: Record<string, unknown>,
  messages: readonly WindowMessage[],
): { lastUser: string; tokens: number } {
  const numCtx = windowOf(ctx, name, options);
  const whole = approxTokens(rendered(messages));
  let start = 0;
  let kept = messages;
  for (; start < messages.length - 1; start++) {
    const system = messages.slice(0, start).filter((message) => message.role === 'system');
    kept = [...system, ...messages.slice(start)];
    if (approxTokens(rendered(kept)) <= numCtx) break;
  }
  if (start === messages.length - 1 && messages.length > 1)
    kept = [...messages.slice(0, start).filter((message) => message.role === 'system'), messages[start]!];
  const prompt = rendered(kept);
  const tokens = approxTokens(prompt);
  const cut = runnerCut(tokens, numCtx);
  const seenTokens = Math.min(tokens, numCtx);
  let lastUser = '';
  let offset = 0;
  for (const message of kept) {
    const at = offset + `<|im_start|>${message.role}\n`.length;
    if (message.role === 'user')
      lastUser = withoutRange(message.content, at, tokens > numCtx ? cut : { from: 0, to: 0 });
    offset += `<|im_start|>${message.role}\n${message.content}<|im_end|>\n`.length;
  }
  const droppedMessages = messages.length - kept.length;
  ctx.record.context = { numCtx, truncatedTokens: whole - seenTokens, droppedMessages };
  return { lastUser, tokens: seenTokens };
}
