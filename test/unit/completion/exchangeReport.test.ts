import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exchangeReport, type CompletionExchange } from '../../../src/core/completion/exchangeReport';

const answered: CompletionExchange = {
  time: Date.UTC(2026, 10, 22, 18, 5, 3),
  backendId: 'deepseek',
  backendName: 'DeepSeek',
  model: 'deepseek-chat',
  route: 'deepseek-beta',
  prefix: '// Snippet from lib/labels.js:\n// export function formatPriceLabel(c) {}\nconst label = formatPriceLabel(',
  suffix: ');\n',
  stop: ['\n'],
  maxTokens: 48,
  temperature: 0,
  answer: 'order.totalCents);',
  finishReason: 'stop',
  inputTokens: 1234,
  outputTokens: 6,
  reported: true,
  costMicros: 350,
  latencyMs: 287.4,
  outcome: 'ok',
};

describe('the last completion request, as the user reads it', () => {
  it('names the backend and route, shows the prompt on both sides of the cursor, the answer, tokens, cost and time', () => {
    const report = exchangeReport(answered);
    assert.match(
      report,
      /^# Last completion request\n\n\*\*DeepSeek\*\* · model \*\*deepseek-chat\*\* · cost \*\*\$0\.00035\*\*\n/,
    );
    assert.match(report, /\*\*Backend:\*\* DeepSeek \(id deepseek\), model deepseek-chat/);
    assert.match(report, /\*\*Route:\*\* DeepSeek \/beta completions with a suffix/);
    assert.match(report, /\*\*When:\*\* 2026-11-22 18:05:03 UTC, 287 ms/);
    assert.match(report, /1,234 in, 6 out; \*\*cost:\*\* \$0\.00035/);
    assert.match(report, /at most 48 tokens, temperature 0, stop at "\\\\n"/);
    assert.match(report, /## Before the cursor[^\n]*\n\n```\n\/\/ Snippet from lib\/labels\.js:/);
    assert.match(report, /## After the cursor\n\n```\n\);\n```/);
    assert.match(report, /## Answer, as the backend sent it \(finish reason: stop\)\n\n```\norder\.totalCents\);\n```/);
  });

  it('a request on a subscription plan reads "included in plan", never "$0.00"', () => {
    const report = exchangeReport({
      ...answered,
      backendId: 'coding-plan',
      backendName: 'Coding Plan',
      model: 'qwen3-coder-plus',
      costMicros: 0,
      inPlan: true,
    });
    assert.match(report, /· cost \*\*included in plan\*\*/);
    assert.match(report, /\*\*cost:\*\* included in plan/);
    assert.doesNotMatch(report, /\$0\.00/);
  });

  it('shows the raw template prompt when that is what went out, and says a chat answer was taken out of a reply', () => {
    const raw = exchangeReport({
      ...answered,
      route: 'raw-template',
      rawPrompt: '<|fim_prefix|>const a = <|fim_suffix|>;<|fim_middle|>',
    });
    assert.match(raw, /## Prompt, as sent in the model's template\n\n```\n<\|fim_prefix\|>const a = /);
    assert.doesNotMatch(raw, /## Before the cursor/, 'the prefix alone was not what was sent');
    const viaChat = exchangeReport({ ...answered, route: 'chat', rawPrompt: 'ignored' });
    assert.match(viaChat, /## Before the cursor/);
    assert.match(viaChat, /## Answer, taken out of the chat reply/);
  });

  it('says when Switchboard closed the stream because the rest would not have been used', () => {
    const stopped = exchangeReport({
      ...answered,
      route: 'completions-suffix',
      stop: ['\n\n\n'],
      finishReason: undefined,
      answer: 'order.totalCents);\nconsole.log(label);\n',
      stoppedEarly: true,
      reported: false,
    });
    assert.match(
      stopped,
      /## Answer, as the backend sent it\n\n```\norder\.totalCents\);\nconsole\.log\(label\);\n```/,
    );
    assert.match(
      stopped,
      /\nSwitchboard closed the stream here: the ghost text was settled and the lines kept for typing ahead were complete/,
    );
    assert.match(stopped, /1,234 in, 6 out \(estimated\)/);
    assert.doesNotMatch(exchangeReport(answered), /closed the stream/);
  });

  it("says a reasoning model's effort, and the model's own temperature where none was sent", () => {
    const { stop: _stop, temperature: _temperature, ...sentless } = answered;
    const report = exchangeReport({ ...sentless, route: 'chat', model: 'gpt-5.4-mini', reasoningEffort: 'none' });
    assert.match(report, /\*\*Limits:\*\* at most 48 tokens, temperature default, reasoning effort none\n/);
  });

  it('reports a failure in words with no answer, estimated tokens marked, and an unknown price said so', () => {
    const failed = exchangeReport({
      ...answered,
      route: undefined,
      answer: undefined,
      finishReason: undefined,
      outputTokens: 0,
      reported: false,
      costMicros: null,
      outcome: 'rate_limit',
      errorMessage: 'DeepSeek: rate limit reached; try again in 20 s.',
    });
    assert.match(failed, /\*\*Outcome:\*\* rate\\_limit: DeepSeek\\: rate limit reached; try again in 20 s\./);
    assert.match(failed, /\*\*Route:\*\* not known \(the request failed\)/);
    assert.match(failed, /1,234 in, 0 out \(estimated\); \*\*cost:\*\* price unknown/);
    assert.doesNotMatch(failed, /## Answer/);
  });

  it('keeps server text outside the code blocks inert: no markup, no link, no HTML', () => {
    const hostile = exchangeReport({
      ...answered,
      model: 'm<script>alert(1)</script>',
      outcome: 'server',
      errorMessage:
        'Oops <img src="https://tracker.example/p.png"> [Run](command:workbench.action.terminal.new)\n# Heading',
      finishReason: '**bold** `tick`',
    });
    const outsideFences = hostile.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '');
    assert.doesNotMatch(outsideFences, /(^|[^\\])</, 'every < is escaped');
    assert.doesNotMatch(outsideFences, /(^|[^\\])\]\(/, 'no link can form');
    assert.doesNotMatch(outsideFences, /(^|[^\\])\*\*bold/, 'no emphasis from the server');
    assert.doesNotMatch(outsideFences, /^# Heading/m, 'a newline in server text cannot start a heading');
  });

  it('keeps code that holds its own fences inside one block', () => {
    const report = exchangeReport({ ...answered, prefix: 'const md = `\n```js\nx\n```\n`;\n' });
    assert.match(report, /\n````\nconst md = `\n```js\nx\n```\n`;\n````\n/);
  });

  it('says how to fill the page when nothing was sent yet', () => {
    assert.match(exchangeReport(undefined), /No completion request has been sent from this window yet/);
  });

  it('a model Ollama does not have: says how to pull it or choose another', () => {
    const failed: CompletionExchange = {
      ...answered,
      backendId: 'ollama',
      backendName: 'Ollama (local)',
      protocol: 'ollama',
      model: 'qwen2.5-coder:1.5b-base',
      route: undefined,
      answer: undefined,
      costMicros: 0,
      outcome: 'model-not-found',
      errorMessage: "Model not found (ollama 404): model 'qwen2.5-coder:1.5b-base' not found",
    };
    // As rendered: without the escapes that keep the text from reading as Markdown.
    const shown = (report: string) => report.replace(/\\(.)/g, '$1');
    assert.match(
      shown(exchangeReport(failed)),
      /\*\*What helps:\*\* Run `ollama pull qwen2\.5-coder:1\.5b-base` or choose another model \(Switchboard: Choose Model…\)\./,
    );
    assert.doesNotMatch(exchangeReport({ ...failed, protocol: 'openai' }), /What helps/);
    assert.doesNotMatch(exchangeReport({ ...failed, outcome: 'server' }), /What helps/);
  });
});
