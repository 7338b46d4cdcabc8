/**
 * Usage counts a hostile or broken server reports, through the real clients over real sockets:
 * a count that is not one is never billed as reported, and never reaches the ledger as it came.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Provider, Usage } from '../../../src/core/providers/types';
import { estimateTokens } from '../../../src/core/providers/usage';
import { parseProviders, type ProviderConfig } from '../../../src/core/settings/providerSettings';
import { requestPrice } from '../../../src/core/usage/backendPrice';
import { meterRequest } from '../../../src/core/usage/meterRequest';
import * as pricing from '../../../src/core/usage/pricing';
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
});
