/**
 * A local server whose context is smaller than the conversation keeps only its end, without a
 * word: Ollama's default context is a few thousand tokens, and a long chat loses its start. The
 * answer then reads as if the earlier messages had never been sent. When the server's own count of
 * what it read is under half of what the question sends (estimated at four characters a token,
 * which never overstates code or prose by that much), the status line says so.
 */
import type { ContextFit } from '../providers/types';

const MIN_TOKENS = 2_048;

const count = (tokens: number) => tokens.toLocaleString('en-US');

export function contextCutNotice(name: string, sentEstimate: number, readTokens: number): string | undefined {
  if (sentEstimate < MIN_TOKENS || readTokens * 2 > sentEstimate) return undefined;
  return `${name} read only ${count(readTokens)} tokens of about ${count(sentEstimate)} this question sends: its context size cut the rest, so the answer did not see the whole conversation. Start a new chat, or raise the server's context length (Ollama: OLLAMA_CONTEXT_LENGTH, or the model's num_ctx).`;
}

/**
 * What the client itself left out to fit the model's window (`SentLimits.context`), which it knows
 * exactly: said instead of the estimate above.
 */
export function contextFitNotice(name: string, fit: ContextFit): string {
  const parts = [
    ...(fit.droppedMessages > 0
      ? [`the ${count(fit.droppedMessages)} oldest message${fit.droppedMessages === 1 ? '' : 's'} of this chat`]
      : []),
    ...(fit.cutChars > 0 ? [`the first ${count(fit.cutChars)} characters of this question`] : []),
  ];
  return `${name} runs this model in a context of ${count(fit.window)} tokens, too small for all of this question: ${parts.join(' and ')} did not go with it. Start a new chat, or raise the server's context length (Ollama: OLLAMA_CONTEXT_LENGTH, or the model's num_ctx).`;
}
