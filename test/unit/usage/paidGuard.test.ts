import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProviders, type ProviderConfig } from '../../../src/core/settings/providerSettings';
import type { PriceTable } from '../../../src/core/usage/backendPrice';
import { backendCost, backendSpend, costClassOf, requestEstimateText } from '../../../src/core/usage/costClass';
import { pricePerMTok, priceRequest } from '../../../src/core/usage/pricing';
import {
  fallbackVerdict,
  parseAllowedTargets,
  quotedRole,
  slidesIntoPaid,
  paidNote,
  switchButton,
  type RoleMove,
} from '../../../src/core/usage/paidGuard';

const table = (): PriceTable => ({ pricePerMTok, priceRequest });
const lookup = pricePerMTok;

function config(entry: Record<string, unknown>): ProviderConfig {
  const { providers, problems } = parseProviders([entry]);
  assert.deepEqual(problems, []);
  return providers[0]!;
}

describe('how a backend is paid for, in one place', () => {
  it('reads the preset: a local server, a plan, a free tier, a priced API', () => {
    assert.equal(costClassOf(config({ id: 'o', preset: 'ollama' }), 'completion', lookup), 'local');
    assert.equal(costClassOf(config({ id: 'cp', preset: 'coding-plan-intl' }), 'chat', lookup), 'plan');
    assert.equal(costClassOf(config({ id: 'lm', preset: 'vscode-lm' }), 'chat', lookup), 'plan');
    const deepseek = backendCost(config({ id: 'ds', preset: 'deepseek' }), 'chat', lookup);
    assert.equal(deepseek.costClass, 'paid');
    assert.ok(deepseek.price && deepseek.price.input > 0, 'with its price');
  });

  it("reads the model: OpenRouter's :free variant is free, the same model without it is paid", () => {
    const entry = {
      id: 'or',
      preset: 'openrouter',
      chatModel: 'qwen/qwen3-coder:free',
      completionModel: 'qwen/qwen3-coder',
    };
    assert.equal(costClassOf(config(entry), 'chat', lookup), 'free');
    assert.equal(costClassOf(config(entry), 'completion', lookup), 'paid');
  });

  it("reads the user's settings: a plan in the entry, a price of their own, a server of their own", () => {
    assert.equal(
      costClassOf(config({ id: 'ds', preset: 'deepseek', plan: { requestsPer5h: 100 } }), 'chat', lookup),
      'plan',
    );
    const priced = { '*': { inputPerMTok: 1, outputPerMTok: 5 } };
    const zero = { '*': { inputPerMTok: 0, outputPerMTok: 0 } };
    assert.equal(costClassOf(config({ id: 'c', preset: 'custom', prices: priced }), 'chat', lookup), 'paid');
    assert.equal(
      costClassOf(
        config({ id: 'c', preset: 'custom', baseUrl: 'https://gpu.example/v1', prices: zero }),
        'chat',
        lookup,
      ),
      'free',
    );
    // A rented "local" vLLM the user priced is paid, whatever its preset says.
    assert.equal(costClassOf(config({ id: 'v', preset: 'ollama', prices: priced }), 'chat', lookup), 'paid');
    // No price: unknown, which is never free, even on this machine (a LiteLLM gateway listens there).
    for (const baseUrl of ['http://127.0.0.1:8000/v1', 'https://gpu.example/v1'])
      assert.equal(costClassOf(config({ id: 'c', preset: 'custom', baseUrl }), 'chat', lookup), 'paid', baseUrl);
    assert.equal(costClassOf(config({ id: 'l', preset: 'litellm' }), 'chat', lookup), 'paid');
  });

  it('quotes a typical request of the role in its currency, and an unknown price as unknown, never $0', () => {
    const priced = config({ id: 'c', preset: 'custom', prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } } });
    // 4,000 in + 500 out at $1/$5 per 1M: $0.004 + $0.0025.
    assert.equal(requestEstimateText(priced, 'chat', table), '~$0.0065/request');
    // 1,500 in + 60 out: $0.0015 + $0.0003.
    assert.equal(requestEstimateText(priced, 'completion', table), '~$0.0018/request');
    const yuan = config({
      id: 'y',
      preset: 'custom',
      prices: { '*': { currency: 'CNY', inputPerMTok: 4, outputPerMTok: 16 } },
    });
    assert.equal(requestEstimateText(yuan, 'chat', table), '~¥0.02/request');
    const unknown = config({ id: 'c', preset: 'custom', baseUrl: 'https://gpu.example/v1' });
    assert.equal(requestEstimateText(unknown, 'chat', table), 'price unknown');
    const broken = (): PriceTable => {
      throw new Error('the price data did not load');
    };
    assert.equal(requestEstimateText(config({ id: 'ds', preset: 'deepseek' }), 'chat', broken), 'price unknown');
  });
});

describe('the paid guard', () => {
  const move = (from: RoleMove['from'], to: RoleMove['to'], role: RoleMove['role'] = 'chat'): RoleMove => ({
    role,
    from,
    to,
  });

  it('asks before moving a role from local, free or plan to paid, and only then', () => {
    for (const from of ['local', 'free', 'plan'] as const) {
      assert.equal(slidesIntoPaid([move(from, 'paid')]), true, from);
      assert.equal(
        fallbackVerdict({ targetId: 'ds', moves: [move(from, 'paid')], allowed: [], capReached: false }),
        'ask',
      );
    }
    assert.equal(
      fallbackVerdict({ targetId: 'ds', moves: [move('paid', 'paid')], allowed: [], capReached: false }),
      'switch',
    );
    assert.equal(
      fallbackVerdict({ targetId: 'o', moves: [move('free', 'local')], allowed: [], capReached: false }),
      'switch',
    );
    // One role sliding into paid is enough, even when the other was paid already.
    const both = [move('paid', 'paid', 'completion'), move('free', 'paid', 'chat')];
    assert.equal(fallbackVerdict({ targetId: 'ds', moves: both, allowed: [], capReached: false }), 'ask');
  });

  it('remembers a confirmation per target, automatic or clicked alike', () => {
    const moves = [move('free', 'paid')];
    assert.equal(fallbackVerdict({ targetId: 'ds', moves, allowed: ['ds'], capReached: false }), 'switch');
    assert.equal(fallbackVerdict({ targetId: 'other', moves, allowed: ['ds'], capReached: false }), 'ask');
    assert.deepEqual(parseAllowedTargets(['ds', 3, '', null, 'x'.repeat(65), 'gw']), ['ds', 'gw']);
    assert.deepEqual(parseAllowedTargets('ds'), []);
    assert.deepEqual(parseAllowedTargets(undefined), []);
  });

  it('with a fallback budget set, a fallback the budget cannot count (price unknown) asks every time, even confirmed', () => {
    const moves = [move('free', 'paid')];
    assert.equal(
      fallbackVerdict({ targetId: 'gw', moves, allowed: ['gw'], capReached: false, uncounted: true }),
      'ask',
    );
    assert.equal(
      fallbackVerdict({
        targetId: 'gw',
        moves: [move('paid', 'paid')],
        allowed: [],
        capReached: false,
        uncounted: true,
      }),
      'ask',
      'paid to paid too: the budget would not see what it spends',
    );
    assert.equal(fallbackVerdict({ targetId: 'gw', moves, allowed: ['gw'], capReached: false }), 'switch');
  });

  it('stops every spending fallback at the cap, a confirmed one and paid to paid included, but not a free one', () => {
    assert.equal(
      fallbackVerdict({ targetId: 'ds', moves: [move('free', 'paid')], allowed: ['ds'], capReached: true }),
      'capped',
    );
    assert.equal(
      fallbackVerdict({ targetId: 'ds', moves: [move('paid', 'paid')], allowed: [], capReached: true }),
      'capped',
    );
    assert.equal(
      fallbackVerdict({ targetId: 'o', moves: [move('free', 'local')], allowed: [], capReached: true }),
      'switch',
    );
  });

  it('keeps the button short and says the cost in the message, quoting the dearer role', () => {
    assert.equal(switchButton('DeepSeek'), 'Switch to DeepSeek');
    assert.equal(
      paidNote([
        { name: 'DeepSeek', paid: true, estimate: '~$0.002/request' },
        { name: 'Ollama', paid: false, estimate: '~$0.00/request' },
        { name: 'Model Studio', paid: true, estimate: 'price unknown' },
      ]),
      'DeepSeek is paid (~$0.002/request); Model Studio is paid (price unknown).',
    );
    assert.equal(paidNote([{ name: 'Ollama', paid: false, estimate: '~$0.00/request' }]), undefined);
    assert.equal(quotedRole(['completion', 'chat']), 'chat');
    assert.equal(quotedRole(['completion']), 'completion');
  });
});

describe('what a backend can spend, for the budgets', () => {
  it('a "local" server the user priced spends in the price\'s currency: its budget must be able to stop it', () => {
    // A vLLM preset on a rented GPU, with the user's own rates.
    const gpu = config({
      id: 'gpu',
      preset: 'vllm',
      baseUrl: 'https://my-rented-gpu.example.com/v1',
      prices: { '*': { inputPerMTok: 3, outputPerMTok: 15 } },
    });
    assert.equal(backendSpend(gpu, 'chat', lookup), 'USD');
    const yuan = config({
      id: 'gpu-cn',
      preset: 'vllm',
      baseUrl: 'https://gpu.example.cn/v1',
      prices: { '*': { currency: 'CNY', inputPerMTok: 2, outputPerMTok: 8 } },
    });
    assert.equal(backendSpend(yuan, 'completion', lookup), 'CNY');
  });

  it('spends nothing on a local server, a plan or a free tier, or at a price of zero; unknown stays unknown', () => {
    assert.equal(backendSpend(config({ id: 'o', preset: 'ollama' }), 'completion', lookup), 'nothing');
    assert.equal(backendSpend(config({ id: 'cp', preset: 'coding-plan-intl' }), 'chat', lookup), 'nothing');
    const zero = config({
      id: 'z',
      preset: 'custom',
      baseUrl: 'https://x.example/v1',
      prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
    });
    assert.equal(backendSpend(zero, 'chat', lookup), 'nothing');
    assert.equal(backendSpend(config({ id: 'ds', preset: 'deepseek' }), 'chat', lookup), 'USD');
    assert.equal(
      backendSpend(config({ id: 'c', preset: 'custom', baseUrl: 'https://x.example/v1' }), 'chat', lookup),
      undefined,
    );
  });
});
