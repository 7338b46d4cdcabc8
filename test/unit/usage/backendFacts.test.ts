import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBlockingKind, isProviderErrorKind, PROVIDER_ERROR_KINDS } from '../../../src/core/providers/providerError';
import { parseProviders, type ProviderConfig } from '../../../src/core/settings/providerSettings';
import {
  modelFor,
  pricePerMTokOf,
  rankingPrice,
  requestCostMicros,
  type PriceTable,
} from '../../../src/core/usage/backendPrice';
import { pricePerMTok, priceRequest } from '../../../src/core/usage/pricing';
import { switchCandidates } from '../../../src/core/usage/switchCandidates';
import { rankAlternatives } from '../../../src/core/usage/switchAdvice';

const table = (): PriceTable => ({ pricePerMTok, priceRequest });
const usage = {
  inputTokens: 1_000_000,
  outputTokens: 1_000_000,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reported: true,
};

function config(entry: Record<string, unknown>): ProviderConfig {
  const { providers, problems } = parseProviders([entry]);
  assert.deepEqual(problems, []);
  return providers[0]!;
}

describe("a backend's price, worked out once", () => {
  it("the user's price for the model wins, then the '*' price, then the dataset", () => {
    const own = config({
      id: 'gw',
      preset: 'deepseek',
      prices: { 'deepseek-chat': { inputPerMTok: 1, outputPerMTok: 2 }, '*': { inputPerMTok: 3, outputPerMTok: 4 } },
    });
    assert.deepEqual(pricePerMTokOf(own, 'deepseek-chat', table), { input: 1, output: 2, currency: 'USD' as const });
    assert.deepEqual(pricePerMTokOf(own, 'other', table), { input: 3, output: 4, currency: 'USD' as const });
    assert.equal(requestCostMicros(own, 'deepseek-chat', usage, table), 3_000_000);
    const dataset = config({ id: 'ds', preset: 'deepseek' });
    const price = pricePerMTokOf(dataset, dataset.chatModel, table);
    assert.ok(price && price.input > 0 && price.output > 0, 'the dataset knows DeepSeek');
  });

  it('a local server is free; a price the dataset cannot give is unknown, never free', () => {
    assert.deepEqual(pricePerMTokOf(config({ id: 'o', preset: 'ollama' }), 'qwen2.5-coder', table), {
      input: 0,
      output: 0,
      currency: 'USD',
    });
    const gateway = config({ id: 'gw', preset: 'custom', baseUrl: 'https://llm.example.com/v1' });
    assert.equal(pricePerMTokOf(gateway, 'house-model', table), undefined);
    assert.equal(requestCostMicros(gateway, 'house-model', usage, table), null);
    const broken = (): PriceTable => {
      throw new Error('the price dataset did not load');
    };
    assert.equal(pricePerMTokOf(config({ id: 'ds', preset: 'deepseek' }), 'deepseek-chat', broken), undefined);
    assert.equal(rankingPrice(undefined), undefined);
    assert.equal(rankingPrice({ input: 0.5, output: 1.5, currency: 'USD' as const }), 2);
  });

  it('a request answered under another model name is billed at the price the user set for the model asked', () => {
    // An Azure deployment answers as "gpt-4o-2024-08-06"; the user priced the deployment, as "Set price…" asks.
    const azure = config({
      id: 'az',
      preset: 'custom',
      baseUrl: 'https://team.openai.azure.com/openai/v1',
      completionModel: 'coder-deploy',
      prices: { 'coder-deploy': { inputPerMTok: 2, outputPerMTok: 8 } },
    });
    assert.equal(requestCostMicros(azure, 'gpt-4o-2024-08-06', usage, table, 'coder-deploy'), 10_000_000);
    // A llama.cpp server on a rented GPU, priced by the user: never "local, free" for the GGUF it names.
    const rented = config({
      id: 'gpu',
      preset: 'llamacpp',
      baseUrl: 'https://gpu.example.com/v1',
      prices: { default: { inputPerMTok: 1, outputPerMTok: 1 } },
    });
    assert.equal(requestCostMicros(rented, 'qwen2.5-coder-7b-q8_0.gguf', usage, table, 'default'), 2_000_000);
  });

  it('prices the model of the role asked for', () => {
    const split = config({ id: 'q', preset: 'dashscope-intl', chatModel: 'chatty', completionModel: 'coder' });
    assert.equal(modelFor(split, 'chat'), 'chatty');
    assert.equal(modelFor(split, 'completion'), 'coder');
  });
});

describe('the candidates for "switch to …"', () => {
  it('are the configured backends with their facts, then the found ones, ranked the same everywhere', () => {
    const cheap = config({ id: 'cheap', preset: 'custom', baseUrl: 'https://a.example/v1', name: 'Cheap' });
    const pricey = config({ id: 'pricey', preset: 'custom', baseUrl: 'https://b.example/v1', name: 'Pricey' });
    const nokey = config({ id: 'nokey', preset: 'deepseek', name: 'No key' });
    const out = config({ id: 'out', preset: 'custom', baseUrl: 'https://c.example/v1', name: 'Out' });
    const candidates = switchCandidates(
      [
        { config: cheap, ready: true, level: undefined, price: { input: 0.1, output: 0.2, currency: 'USD' as const } },
        { config: pricey, ready: true, level: 'warning', price: { input: 1, output: 2, currency: 'USD' as const } },
        { config: nokey, ready: false, level: 'ok', price: undefined },
        { config: out, ready: true, level: 'exhausted', price: { input: 0, output: 0, currency: 'USD' as const } },
      ],
      [
        { entry: { id: 'ollama', name: 'Ollama', preset: 'ollama', baseUrl: 'http://127.0.0.1:11434' } },
        { entry: { id: 'qwen-oauth', name: 'Qwen OAuth', preset: 'qwen-oauth' }, discontinued: 'The free tier ended.' },
      ],
    );
    assert.deepEqual(
      candidates.map((c) => [c.id, c.level, c.ready, c.local, c.pricePerMTok, c.configured]),
      [
        ['cheap', 'ok', true, false, 0.30000000000000004, true],
        ['pricey', 'warning', true, false, 3, true],
        ['nokey', 'ok', false, false, undefined, true],
        ['out', 'exhausted', true, false, 0, true],
        ['ollama', 'ok', true, true, undefined, false],
        ['qwen-oauth', 'ok', false, false, undefined, false],
      ],
    );
    assert.deepEqual(
      rankAlternatives('pricey', candidates).map((c) => c.name),
      ['Cheap', 'Ollama'],
      'ready, not exhausted, healthy and cheap first; a local one always offered',
    );
  });
});

describe('error kinds, declared once', () => {
  it('knows every kind and which of them block a backend', () => {
    assert.equal(PROVIDER_ERROR_KINDS.length, new Set(PROVIDER_ERROR_KINDS).size);
    for (const kind of PROVIDER_ERROR_KINDS) assert.ok(isProviderErrorKind(kind));
    assert.equal(isProviderErrorKind('toString'), false);
    assert.equal(isProviderErrorKind('no-backend'), false);
    assert.deepEqual(
      PROVIDER_ERROR_KINDS.filter((kind) => isBlockingKind(kind)),
      ['auth', 'quota-exhausted', 'insufficient-balance'],
    );
    assert.equal(isBlockingKind('ok'), false);
  });

  it('name a configured backend as the user did, and add the host where two read alike or a found server is elsewhere', () => {
    const gateway = config({ id: 'gw', preset: 'custom', baseUrl: 'https://gw.example:4000/v1', name: 'Team gateway' });
    const a = config({ id: 'a', preset: 'custom', baseUrl: 'https://a.example/v1', name: 'GPU box' });
    const b = config({ id: 'b', preset: 'custom', baseUrl: 'https://b.example/v1', name: 'GPU box' });
    const facts = (entry: ProviderConfig) => ({ config: entry, ready: true, level: undefined, price: undefined });
    const names = switchCandidates(
      [facts(gateway), facts(a), facts(b)],
      [
        { entry: { id: 'lmstudio', name: 'LM Studio', preset: 'lmstudio', baseUrl: 'http://127.0.0.1:1234/v1' } },
        { entry: { id: 'qwen-code', name: 'Qwen Code', preset: 'custom', baseUrl: 'https://evil.example/v1' } },
      ],
    ).map((c) => c.name);
    assert.deepEqual(names, [
      // The user's own name: a notification's button has no room for the host.
      'Team gateway',
      // Two that read alike are told apart by where they send.
      'GPU box · a.example',
      'GPU box · b.example',
      // Found on this machine: nowhere else to go.
      'LM Studio',
      // Found in some file, pointing elsewhere: the user sees where before the click.
      'Qwen Code · evil.example',
    ]);
  });
});
