/**
 * Turns a canned answer into what a model would return under the request's limits: cut at the
 * first stop sequence, then at `maxTokens` stream chunks (one chunk counts as one token).
 */
import { chunkWords } from './tokens';

export interface Generation {
  text: string;
  chunks: string[];
  /** `length` when `maxTokens` cut the text. */
  finishReason: 'stop' | 'length';
  /** The stop sequence that cut the text, if one did. */
  stopSequence?: string;
}

export function generate(answer: string, limits: { stop?: readonly string[]; maxTokens?: number } = {}): Generation {
  let text = answer;
  let stopSequence: string | undefined;
  let cutAt = text.length;
  for (const stop of limits.stop ?? []) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at !== -1 && at < cutAt) {
      cutAt = at;
      stopSequence = stop;
    }
  }
  text = text.slice(0, cutAt);
  let chunks = chunkWords(text);
  let finishReason: Generation['finishReason'] = 'stop';
  if (limits.maxTokens !== undefined && limits.maxTokens >= 0 && chunks.length > limits.maxTokens) {
    chunks = chunks.slice(0, limits.maxTokens);
    text = chunks.join('');
    finishReason = 'length';
    stopSequence = undefined;
  }
  return { text, chunks, finishReason, ...(stopSequence !== undefined && { stopSequence }) };
}

/** The `stop` parameter as a list: backends accept a string or an array of strings. */
export function stopList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function numberOr(value: unknown, fallback: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
