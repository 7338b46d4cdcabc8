/**
 * OpenAI's reasoning models (the GPT-5 family and the o-series) take different Chat Completions
 * parameters from the chat models before them: `max_completion_tokens`, never `max_tokens`; no
 * temperature but the default 1; no `stop`. They refuse the others with a 400, so a request built
 * for older models fails every time. How little they may reason also differs: gpt-5.1 and later
 * can skip it ("none", their default), earlier GPT-5 models reason at least "minimal" (default
 * "medium"), the o-series at least "low".
 * Facts: https://platform.openai.com/docs/guides/reasoning and the API reference's
 * `reasoning_effort`; the 400s as users met them (e.g. continuedev/continue#7052).
 */

export type ReasoningEffort = 'none' | 'minimal' | 'low';

export interface OpenAiReasoningModel {
  /**
   * The least reasoning the model accepts: what a completion, which cannot wait, asks for; absent
   * where the model takes no `reasoning_effort` but its own (o1-mini, o1-preview, the -pro models).
   */
  fastestEffort?: ReasoningEffort;
}

/** The reasoning model `model` names, by OpenAI's own ids; undefined for other models. */
export function openAiReasoningModel(model: string): OpenAiReasoningModel | undefined {
  // `gpt-5-chat-latest` and its kin are chat models that take the older parameters.
  if (/-chat(?:-|$)/.test(model)) return undefined;
  if (!/^(?:gpt-5|o[1-9])(?:[.-]|$)/.test(model)) return undefined;
  if (/^o1-(?:mini|preview)|-pro(?:-|$)/.test(model)) return {};
  if (/^gpt-5\.\d/.test(model)) return { fastestEffort: 'none' };
  if (model.startsWith('gpt-5')) return { fastestEffort: 'minimal' };
  return { fastestEffort: 'low' };
}
