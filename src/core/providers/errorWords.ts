/**
 * The words Switchboard puts around a server's error message: the headline each kind starts with,
 * and the explanation of codes whose plain words say more. Kept apart from `classifyError` so
 * what quotes a failure (a notification) need not load the error classifier.
 */
import type { ProviderErrorKind } from './providerError';

export const PREFIX: Record<ProviderErrorKind, string> = {
  auth: 'Authentication failed',
  'quota-exhausted': 'Quota exhausted',
  'insufficient-balance': 'Insufficient balance',
  'rate-limited': 'Rate limited',
  overloaded: 'Backend overloaded',
  'context-too-long': 'Request too long for the model',
  'bad-request': 'Request rejected',
  'model-not-found': 'Model not found',
  network: 'Network error',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
  server: 'Backend error',
};

/**
 * Codes whose plain words say more than their kind's: Model Studio's free quota with "Free Quota
 * Only" on stops calls rather than billing them, which "Quota exhausted" does not tell.
 */
export const CODE_WORDS: ReadonlyMap<string, { prefix: string; explanation: string }> = new Map([
  [
    'allocationquota.freetieronly',
    {
      prefix: 'Free quota used up',
      explanation:
        '"Free Quota Only" is on, so Model Studio stops the calls instead of billing them; turn it off in the Model Studio console to continue at pay-as-you-go prices.',
    },
  ],
]);

/**
 * The server's part of a failure's message: without the headline `userMessage` puts first
 * ("Quota exhausted (qwen 429): ") and the explanation of a code it adds, so a notification
 * quoting "the server said" quotes only the server. Empty when the server said nothing.
 */
export function serverPart(message: string): string {
  const headlines = [...Object.values(PREFIX), ...[...CODE_WORDS.values()].map((words) => words.prefix)];
  for (const headline of headlines) {
    if (!message.startsWith(`${headline} (`)) continue;
    const close = message.indexOf(')', headline.length + 2);
    if (close === -1) break;
    const rest = message.slice(close + 1);
    if (rest === '.' || rest === '') return '';
    if (!rest.startsWith(': ')) break;
    let words = rest.slice(2);
    for (const { explanation } of CODE_WORDS.values())
      if (words.startsWith(explanation)) words = words.slice(explanation.length).trimStart();
    return words;
  }
  return message;
}
