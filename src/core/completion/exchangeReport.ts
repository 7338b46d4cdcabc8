/**
 * The last completion request as the user can read it: which backend and route, exactly what was
 * sent (the context snippets included), what came back, and what it cost. It answers "why did it
 * suggest that?" and "what does my code go out as?" without a network trace.
 */
import { fenceFor } from '../markdownFence';
import { missingModelAdvice } from '../providers/missingModel';
import { formatMoney } from '../usage/formatMoney';
import type { Currency } from '../usage/money';

export interface CompletionExchange {
  /** Epoch milliseconds when the answer (or the failure) came. */
  time: number;
  backendId: string;
  backendName: string;
  /** The backend's protocol (`ollama`), where what helps after a failure depends on it. */
  protocol?: string;
  model: string;
  /** The route that served it; unknown when the request failed. */
  route?: string;
  prefix: string;
  suffix: string;
  /** The whole prompt in the model's FIM template, when one was built. */
  rawPrompt?: string;
  stop?: readonly string[];
  maxTokens?: number;
  temperature?: number;
  /** How much a reasoning model was asked to reason, when it was asked. */
  reasoningEffort?: string;
  /** The backend's text before post-processing; undefined when it failed. */
  answer?: string;
  finishReason?: string;
  /** Switchboard closed the stream once the rest could not be used (`FimResult.stoppedEarly`). */
  stoppedEarly?: boolean;
  inputTokens: number;
  outputTokens: number;
  /** False when the counts are estimates. */
  reported: boolean;
  costMicros: number | null;
  /** Of `costMicros`; USD when absent. */
  currency?: Currency;
  /** A subscription plan covers the request: its cost of 0 reads "included in plan", never "$0.00". */
  inPlan?: boolean;
  latencyMs: number;
  /** 'ok' or the failure's kind. */
  outcome: string;
  /** The failure in words, already free of credentials. */
  errorMessage?: string;
}

const ROUTES: Readonly<Record<string, string>> = {
  'completions-suffix': 'OpenAI-compatible /completions with a suffix',
  'deepseek-beta': 'DeepSeek /beta completions with a suffix',
  'mistral-fim': 'Mistral /fim/completions',
  'raw-template': "a raw FIM template on /completions (the model's own control tokens)",
  chat: 'a hole-filling chat prompt (the prefix and suffix below are put into a chat message)',
  'ollama-generate': "Ollama /api/generate with a suffix (the model's own template)",
  'ollama-raw': "Ollama /api/generate with raw: true (a FIM template built from the model's name)",
};

/** Routes that send `rawPrompt` instead of the prefix and suffix. */
const RAW_ROUTES: ReadonlySet<string> = new Set(['raw-template', 'ollama-raw']);

/**
 * Text from a server or settings, set inline: every character Markdown (or the preview's HTML)
 * could read as markup or a link is escaped, and it stays on one line. Only fenced blocks hold
 * text as is, and a fence never renders markup.
 */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]()#!<>|~&:]/g, '\\$&');
}

function block(text: string): string {
  const fence = fenceFor(text);
  return `${fence}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}`;
}

/** Markdown for the exchange, or a short explanation when there has been none. */
export function exchangeReport(exchange: CompletionExchange | undefined): string {
  if (!exchange) {
    return '# Last completion request\n\nNo completion request has been sent from this window yet. Type in an editor, pause, and this page fills in.\n';
  }
  const when = new Date(exchange.time)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  const tokens = `${exchange.inputTokens.toLocaleString('en-US')} in, ${exchange.outputTokens.toLocaleString('en-US')} out${exchange.reported ? '' : ' (estimated)'}`;
  const cost = exchange.inPlan ? 'included in plan' : inline(formatMoney(exchange.costMicros, exchange.currency));
  const advice = missingModelAdvice({ kind: exchange.outcome, protocol: exchange.protocol, model: exchange.model });
  const lines = [
    '# Last completion request',
    '',
    `**${inline(exchange.backendName)}** · model **${inline(exchange.model)}** · cost **${cost}**`,
    '',
    `- **Backend:** ${inline(exchange.backendName)} (id ${inline(exchange.backendId)}), model ${inline(exchange.model)}`,
    `- **Route:** ${exchange.route ? inline(ROUTES[exchange.route] ?? exchange.route) : 'not known (the request failed)'}`,
    `- **When:** ${when}, ${Math.round(exchange.latencyMs).toLocaleString('en-US')} ms`,
    `- **Outcome:** ${exchange.outcome === 'ok' ? 'answered' : inline(exchange.outcome)}${exchange.errorMessage ? `: ${inline(exchange.errorMessage)}` : ''}`,
    ...(advice ? [`- **What helps:** ${inline(advice)}`] : []),
    `- **Tokens:** ${tokens}; **cost:** ${cost}`,
    `- **Limits:** at most ${exchange.maxTokens ?? 'the default number of'} tokens, temperature ${exchange.temperature ?? 'default'}${exchange.reasoningEffort ? `, reasoning effort ${inline(exchange.reasoningEffort)}` : ''}${exchange.stop?.length ? `, stop at ${exchange.stop.map((stop) => inline(JSON.stringify(stop))).join(', ')}` : ''}`,
    '',
  ];
  if (exchange.rawPrompt !== undefined && exchange.route !== undefined && RAW_ROUTES.has(exchange.route)) {
    lines.push("## Prompt, as sent in the model's template", '', block(exchange.rawPrompt), '');
  } else {
    lines.push(
      '## Before the cursor (context snippets first)',
      '',
      block(exchange.prefix),
      '',
      '## After the cursor',
      '',
      block(exchange.suffix),
      '',
    );
  }
  if (exchange.answer !== undefined) {
    lines.push(
      `## Answer${exchange.route === 'chat' ? ', taken out of the chat reply' : ', as the backend sent it'}${exchange.finishReason ? ` (finish reason: ${inline(exchange.finishReason)})` : ''}`,
      '',
      block(exchange.answer),
      '',
      ...(exchange.stoppedEarly
        ? [
            'Switchboard closed the stream here: the ghost text was settled and the lines kept for typing ahead were complete, so the rest would not have been used. The backend stops writing, and billing, when the stream closes; its own token count comes at the end of a stream, so the counts above are estimates.',
            '',
          ]
        : []),
      'What is shown as ghost text is this answer after post-processing: cut at stop strings, trimmed where it repeats the code after the cursor, brackets balanced, and limited in lines.',
      '',
    );
  }
  return lines.join('\n');
}
