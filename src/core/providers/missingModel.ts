/**
 * What helps when a backend has no model of the name asked for. Ollama serves only what was
 * pulled, so the command that fetches the model is the quickest way on; on a hosted API the name
 * is wrong, and the generic advice (check the setting, switch) stands.
 */

/** The advice for a failure, when there is one better than the generic words. */
export function missingModelAdvice(failure: { kind: string; protocol?: string; model?: string }): string | undefined {
  if (failure.kind !== 'model-not-found' || failure.protocol !== 'ollama' || !failure.model) return undefined;
  return `Run \`ollama pull ${failure.model}\` or choose another model (Switchboard: Choose Model…).`;
}
