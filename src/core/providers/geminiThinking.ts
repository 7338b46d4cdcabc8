/**
 * Gemini's models think before they answer unless told otherwise, and on the OpenAI-compatible
 * endpoint the thinking is neither shown nor free: it takes seconds and counts against
 * `max_tokens`, so a completion's few tokens can be spent before any code. `reasoning_effort`
 * sets it. What each model takes differs:
 * - Gemini 2.5 Flash and Flash-Lite turn it off with "none" (a thinking budget of 0);
 * - Gemini 2.5 Pro cannot turn it off ("Budget 0 is invalid"); "low" is a budget of 1,024;
 * - Gemini 3 and later take levels, and none of them is off: "minimal" (as good as none for most
 *   requests) on most Flash models, "low" on every model.
 * A model that refuses a level is asked at the next one, and at its own default after the last.
 * Facts: https://ai.google.dev/gemini-api/docs/openai (reasoning_effort → thinking),
 * https://ai.google.dev/gemini-api/docs/thinking (levels and budgets per model); refusals as users
 * met them (vercel/ai#8027, googleapis/python-genai#2936, docker/docker-agent#2051).
 */
import type { ReasoningEffort } from './openaiReasoning';

/** The levels to try for a completion, least thinking first; empty for a model that does not think. */
export function geminiCompletionEfforts(model: string): readonly ReasoningEffort[] {
  const name = model.replace(/^models\//, '');
  if (/^gemini-2\.5-flash/.test(name)) return ['none'];
  if (/^gemini-2\.5-pro/.test(name)) return ['low'];
  if (/^gemini-(?:[3-9]|\d{2,})(?:[.-]|$)/.test(name)) return ['minimal', 'low'];
  return [];
}
