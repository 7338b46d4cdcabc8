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
  // The walkthrough's sample (src/onboarding/trySample.ts): the cursor on the body's empty line.
  {
    prefixEndsWith: 'function isPrime(n) {\n',
    text: 'if (n < 2) return false;\n  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;\n  return true;',
  },
  // A partly typed word, and the same line once the suggest widget's "log" is accepted.
  { prefixEndsWith: 'console.lo', text: "g('done');" },
  { prefixEndsWith: 'console.log', text: "('selected');" },
];

export const DEFAULT_FIM_TEXT = ' // suggestion from the Switchboard emulator';

/** Begin and hole tokens of common FIM formats, for prompts already in a model's template. */
const FIM_MARKERS: readonly [string, string][] = [
  ['<|fim_prefix|>', '<|fim_suffix|>'],
  ['<fim_prefix>', '<fim_suffix>'],
  ['<PRE> ', ' <SUF>'],
  ['<｜fim▁begin｜>', '<｜fim▁hole｜>'],
];

/** The text before the cursor in a raw FIM prompt, or undefined when the prompt is in no known template. */
export function rawFimPrefix(prompt: string): string | undefined {
  // Code Llama suffix-first: <PRE> <SUF>suffix <MID> prefix.
  if (prompt.startsWith('<PRE> <SUF>')) {
    const middle = prompt.indexOf(' <MID> ');
    if (middle !== -1) return prompt.slice(middle + ' <MID> '.length);
  }
  for (const [begin, hole] of FIM_MARKERS) {
    const start = prompt.lastIndexOf(begin);
    const end = prompt.indexOf(hole, start);
    if (start !== -1 && end !== -1) return prompt.slice(start + begin.length, end);
  }
  // Codestral puts the suffix first: [SUFFIX]suffix[PREFIX]prefix.
  const codestral = prompt.lastIndexOf('[PREFIX]');
  if (prompt.startsWith('[SUFFIX]') && codestral !== -1) return prompt.slice(codestral + '[PREFIX]'.length);
  return undefined;
}

/**
 * Computes a FIM answer from the text before and after the cursor, for benchmarks that need a
 * model which knows the file (undefined falls back to the rules).
 */
export type FimResponder = (prefix: string, suffix: string) => string | undefined;

/** The answer to a completion prompt, in a FIM template or plain. */
export function fimAnswer(prompt: string, rules: readonly FimRule[], responder?: FimResponder, suffix = ''): string {
  const prefix = rawFimPrefix(prompt) ?? prompt;
  const answer = responder?.(prefix, suffix);
  if (answer !== undefined) return answer;
  const trimmed = prefix.replace(/[ \t]+$/, '');
  for (const rule of rules) if (trimmed.endsWith(rule.prefixEndsWith)) return rule.text;
  return DEFAULT_FIM_TEXT;
}

// Switchboard's suffix-first hole-fill layout (src/core/providers/holeFillPrompt.ts).
const SUFFIX_LABEL = 'Code after the hole:\n';
const PREFIX_LABEL = '\nCode before the hole, then the hole:\n';

/** The code before and after the hole, in either layout: prefix<HOLE>suffix, or labelled suffix first. */
function holeFillParts(message: string, hole: number): { prefix: string; suffix: string } {
  const prefixAt = message.lastIndexOf(PREFIX_LABEL, hole);
  if (message.startsWith(SUFFIX_LABEL) && prefixAt !== -1 && message.endsWith('<HOLE>'))
    return {
      prefix: message.slice(prefixAt + PREFIX_LABEL.length, hole),
      suffix: message.slice(SUFFIX_LABEL.length, prefixAt),
    };
  return { prefix: message.slice(0, hole), suffix: message.slice(hole + '<HOLE>'.length) };
}

/**
 * A chat model asked to fill a hole answers the way real ones often do: the code in a fence, the
 * leading line break lost.
 */
export function chatAnswer(
  lastUserMessage: string,
  rules: readonly FimRule[] = DEFAULT_FIM_RULES,
  responder?: FimResponder,
): string {
  const hole = lastUserMessage.indexOf('<HOLE>');
  if (hole !== -1) {
    const { prefix, suffix } = holeFillParts(lastUserMessage, hole);
    const answer = fimAnswer(prefix, rules, responder, suffix);
    return `\`\`\`\n${answer.replace(/^\n/, '')}\n\`\`\``;
  }
  // Markdown with a code block, and a long answer to stop half-way: what a chat view must handle.
  if (/\bexample\b/i.test(lastUserMessage)) return EXAMPLE_ANSWER;
  if (/\blong answer\b/i.test(lastUserMessage)) return LONG_ANSWER;
  const quoted = lastUserMessage.length > 200 ? `${lastUserMessage.slice(0, 200)}…` : lastUserMessage;
  return `You asked: "${quoted}". This answer comes from the Switchboard emulator, a stand-in backend for trying Switchboard without an account.`;
}

export const EXAMPLE_CODE = 'function greet(name) {\n  return `Hello, ${name}!`;\n}';

const EXAMPLE_ANSWER = `Here is an **example** from the Switchboard emulator:\n\n\`\`\`js\n${EXAMPLE_CODE}\n\`\`\`\n\nCall it as \`greet("you")\`.`;

const LONG_ANSWER = Array.from(
  { length: 60 },
  (_, index) => `Paragraph ${index + 1} of a long answer from the Switchboard emulator, streamed token by token.`,
).join('\n\n');
