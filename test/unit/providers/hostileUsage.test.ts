/**
 * Usage counts a hostile or broken server reports, through the real clients over real sockets:
 * a count that is not one is never billed as reported, and never reaches the ledger as it came.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Provider, Usage } from '../../../src/core/providers/types';
import { estimateTokens } from '../../../src/core/providers/usage';
import { parseProviders, type ProviderConfig } from '../../../src/core/settings/providerSettings';
import { requestPrice } from '../../../src/core/usage/backendPrice';
import { meterRequest } from '../../../src/core/usage/meterRequest';
import * as pricing from '../../../src/core/usage/pricing';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { createProvider } from '../../../src/backends/providerRuntime';
import type { UsageReport } from '../../emulator/options';
import { startEmulator, type Emulator } from '../../emulator/server';

const KEY = 'sk-emu-PLANTEDKEY-hostile-0123456789a';
const QUESTION = 'Say hello to the hostile server, please.';

type Rewrite = (usage: Record<string, unknown>, where: UsageReport) => Record<string, unknown>;

interface Backend {
  provider: Provider;
  config: ProviderConfig;
}

function backend(entry: Record<string, unknown>): Backend {
  const { providers, problems } = parseProviders([{ id: 'p', ...entry }]);
  assert.deepEqual(problems, []);
  assert.ok(providers[0]);
  return { provider: createProvider(providers[0], KEY), config: providers[0] };
}

/** One chat request: what the client reported, what streamed, and what the meter charged. */
async function ask(chosen: Backend) {
  let usage: Usage | undefined;
  let text = '';
  for await (const event of chosen.provider.chat({ messages: [{ role: 'user', content: QUESTION }] })) {
    if (event.type === 'text') text += event.text;
    else if (event.type === 'done') usage = event.usage;
  }
  assert.ok(usage, 'the answer completed');
  const metered = meterRequest({ usage, promptText: QUESTION, outputText: text }, (counted) =>
    requestPrice(chosen.config, chosen.config.chatModel, counted, () => pricing),
  );
  return { usage, text, metered };
}

/**
 * Records a metered request as the extension does, and returns what this window and another one
 * reading the same files count of it.
 */
async function ledgered(chosen: Backend, metered: ReturnType<typeof meterRequest>) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-hostile-usage-'));
  try {
    const writer = await UsageLedger.open({ dir });
    const { usage, price } = metered;
    writer.append({
      backend: chosen.config.id,
      model: chosen.config.chatModel,
      feature: 'chat',
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      reported: usage.reported,
      costMicros: price.micros,
      currency: price.micros === null ? 'USD' : price.currency,
      latencyMs: 1,
      outcome: 'ok',
    });
    const reader = await UsageLedger.open({ dir });
    const counted = { here: writer.rollups.sum(), there: reader.rollups.sum(), skipped: reader.skippedLines };
    await Promise.all([writer.close(), reader.close()]);
    return counted;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the client estimates from the text when the server's counts cannot be used. */
const estimated = (text: string): Usage => ({
  inputTokens: estimateTokens(QUESTION),
  outputTokens: estimateTokens(text),
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reported: false,
});

describe('usage counts from a hostile or broken server', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  const withReport = async <T>(rewrite: Rewrite, run: () => Promise<T>): Promise<T> => {
    emulator.configure({ reportUsage: rewrite });
    try {
      return await run();
    } finally {
      emulator.configure({ reportUsage: undefined });
    }
  };
  const gpt = (model = 'gpt-4.1-mini') =>
    backend({ preset: 'openai', baseUrl: emulator.baseUrls.openai, chatModel: model });

  for (const [name, rewrite] of [
    [
      'prompt_tokens missing, total_tokens given',
      ({ prompt_tokens: _, ...usage }) => ({ ...usage, total_tokens: 1010 }),
    ],
    ['prompt_tokens a string', (usage) => ({ ...usage, prompt_tokens: String(usage.prompt_tokens) })],
    ['prompt_tokens missing, no total', ({ prompt_tokens: _, total_tokens: __, ...usage }) => usage],
  ] as [string, (usage: Record<string, unknown>) => Record<string, unknown>][]) {
    it(`OpenAI: ${name} is not billed as reported, and no output is taken from the total`, async () => {
      const chosen = gpt();
      const { usage, text, metered } = await withReport(
        (u, where) => (where === 'openai' ? rewrite(u) : u),
        () => ask(chosen),
      );
      assert.deepEqual(usage, estimated(text));
      const price = requestPrice(chosen.config, 'gpt-4.1-mini', estimated(text), () => pricing);
      assert.ok(price.micros !== null && price.micros > 0);
      assert.deepEqual(metered.price, price);
    });
  }

  /** Every count a whole number of tokens, and the record the same in every window. */
  const assertSound = async (chosen: Backend, metered: ReturnType<typeof meterRequest>) => {
    const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = metered.usage;
    for (const value of [inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens])
      assert.ok(Number.isSafeInteger(value) && value >= 0, `a count: ${JSON.stringify(value)}`);
    const { here, there, skipped } = await ledgered(chosen, metered);
    assert.equal(skipped, 0, 'another window reads the record');
    assert.deepEqual(there, here, 'every window counts the same');
    assert.equal(there.requests, 1);
  };

  const claude = () =>
    backend({ preset: 'anthropic', baseUrl: emulator.baseUrls.anthropic, chatModel: 'claude-sonnet-4-6' });

  for (const [name, where, rewrite] of [
    ['input_tokens a string', 'anthropic-start', (usage) => ({ ...usage, input_tokens: String(usage.input_tokens) })],
    ['cache_read_input_tokens 1.5', 'anthropic-start', (usage) => ({ ...usage, cache_read_input_tokens: 1.5 })],
    [
      'cache_creation_input_tokens negative',
      'anthropic-start',
      (usage) => ({ ...usage, cache_creation_input_tokens: -3 }),
    ],
  ] as [string, UsageReport, (usage: Record<string, unknown>) => Record<string, unknown>][]) {
    it(`Anthropic: ${name} in message_start is not billed as reported`, async () => {
      const chosen = claude();
      const { usage, text, metered } = await withReport(
        (u, at) => (at === where ? rewrite(u) : u),
        () => ask(chosen),
      );
      assert.deepEqual(usage, estimated(text));
      assert.deepEqual(
        metered.price,
        requestPrice(chosen.config, 'claude-sonnet-4-6', estimated(text), () => pricing),
      );
      await assertSound(chosen, metered);
    });
  }

  it('Anthropic: an output count in message_delta that is no count leaves the input exact and the output estimated', async () => {
    const chosen = claude();
    const whole = await ask(chosen);
    assert.equal(whole.usage.reported, true);
    const { usage, text, metered } = await withReport(
      (u, where) => (where === 'anthropic-delta' ? { ...u, output_tokens: -50 } : u),
      () => ask(chosen),
    );
    assert.deepEqual(usage, { ...estimated(text), inputTokens: whole.usage.inputTokens });
    await assertSound(chosen, metered);
  });

  for (const [name, rewrite] of [
    ['cached_tokens a string', (usage) => ({ ...usage, prompt_tokens_details: { cached_tokens: '8' } })],
    ['cached_tokens negative', (usage) => ({ ...usage, prompt_tokens_details: { cached_tokens: -200 } })],
    [
      'cached_tokens above prompt_tokens',
      (usage) => ({ ...usage, prompt_tokens_details: { cached_tokens: Number(usage.prompt_tokens) + 1 } }),
    ],
    ['completion_tokens a string', (usage) => ({ ...usage, completion_tokens: String(usage.completion_tokens) })],
  ] as [string, (usage: Record<string, unknown>) => Record<string, unknown>][]) {
    it(`OpenAI: ${name} is not billed as reported`, async () => {
      const chosen = gpt();
      const { usage, text, metered } = await withReport(
        (u, where) => (where === 'openai' ? rewrite(u) : u),
        () => ask(chosen),
      );
      assert.deepEqual(usage, estimated(text));
      await assertSound(chosen, metered);
    });
  }

  for (const [name, rewrite] of [
    ['eval_count a string', (usage) => ({ ...usage, eval_count: String(usage.eval_count) })],
    ['prompt_eval_count 1.5', (usage) => ({ ...usage, prompt_eval_count: 1.5 })],
    ['eval_count negative', (usage) => ({ ...usage, eval_count: -4 })],
  ] as [string, (usage: Record<string, unknown>) => Record<string, unknown>][]) {
    for (const streamed of [false, true]) {
      it(`Ollama FIM${streamed ? ', streamed' : ''}: ${name} is not taken as reported`, async () => {
        const ollama = backend({
          preset: 'ollama',
          baseUrl: emulator.baseUrls.ollama,
          completionModel: 'emulator-coder',
        });
        const prefix = 'function add(a, b) {\n  return ';
        const suffix = '\n}\n';
        const result = await withReport(
          (u, where) => (where === 'ollama' ? rewrite(u) : u),
          () => ollama.provider.fim({ prefix, suffix, ...(streamed && { onText: () => undefined }) }),
        );
        assert.deepEqual(result.usage, {
          inputTokens: estimateTokens(prefix + suffix),
          outputTokens: estimateTokens(result.text),
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reported: false,
        });
      });
    }
  }
});
