/**
 * What the emulator answers. Deterministic: the same request gives the same text, so tests can
 * predict it. Tests may add rules; the defaults make the sandbox pleasant to try.
 */
export interface FimRule {
  /** Matches when the prompt's text before the cursor ends with this (trailing spaces ignored). */
  prefixEndsWith: string;
  text: string;
}

export const DEFAULT_FIM_RULES: readonly FimRule[] = [
  { prefixEndsWith: 'function add(a, b) {', text: '\n  return a + b;' },
  { prefixEndsWith: 'def add(a, b):', text: '\n    return a + b' },
  { prefixEndsWith: 'const greeting =', text: " 'Hello from the Switchboard emulator';" },
];

export const DEFAULT_FIM_TEXT = ' // suggestion from the Switchboard emulator';

export function fimAnswer(prefix: string, rules: readonly FimRule[]): string {
  const trimmed = prefix.replace(/[ \t]+$/, '');
  for (const rule of rules) if (trimmed.endsWith(rule.prefixEndsWith)) return rule.text;
  return DEFAULT_FIM_TEXT;
}

export function chatAnswer(lastUserMessage: string): string {
  const quoted = lastUserMessage.length > 200 ? `${lastUserMessage.slice(0, 200)}…` : lastUserMessage;
  return `You asked: "${quoted}". This answer comes from the Switchboard emulator, a stand-in backend for trying Switchboard without an account.`;
}
