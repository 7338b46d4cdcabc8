import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProviders, priceOverrideFor } from '../../../src/core/settings/providerSettings';

describe('parseProviders', () => {
  it('fills an entry from its preset and keeps overrides', () => {
    const { providers, problems } = parseProviders([
      {
        id: 'qwen',
        preset: 'dashscope-intl',
        completionModel: 'qwen2.5-coder-7b-instruct',
        limits: { requestsPerDay: 2000 },
      },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(providers.length, 1);
    const [qwen] = providers;
    assert.equal(qwen?.baseUrl, 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
    assert.equal(qwen?.chatModel, 'qwen3-coder-plus');
    assert.equal(qwen?.completionModel, 'qwen2.5-coder-7b-instruct');
    assert.equal(qwen?.apiKeyEnv, 'DASHSCOPE_API_KEY');
    assert.deepEqual(qwen?.limits, { requestsPerDay: 2000 });
  });

  it('drops bad entries with one readable message each and keeps the good ones', () => {
    const { providers, problems } = parseProviders([
      { id: 'ok', preset: 'ollama' },
      { id: 'wrong-type', preset: 42 },
      { id: 'nope', preset: 'no-such-preset' },
      { id: 'bad-url', preset: 'custom', baseUrl: 'ftp://example.com' },
      { id: 'ok', preset: 'openai' },
      { id: 'limits', preset: 'custom', limits: { requestsPerDay: -3 } },
      'just a string',
    ]);
    assert.deepEqual(
      providers.map((p) => p.id),
      ['ok'],
    );
    assert.equal(problems.length, 6);
    const text = problems.map((p) => p.message);
    assert.match(text[0] ?? '', /switchboard\.providers\[1\]\.preset must be a preset id/);
    assert.match(text[1] ?? '', /"no-such-preset" is not a known preset; use one of: .*dashscope-intl/);
    assert.match(text[2] ?? '', /\[3\]\.baseUrl must be an http:\/\/ or https:\/\/ URL/);
    assert.match(text[3] ?? '', /\[4\]\.id "ok" is used twice/);
    assert.match(text[4] ?? '', /\[5\]\.limits\.requestsPerDay must be above 0/);
    assert.match(text[5] ?? '', /\[6\] must be an object like/);
  });

  it('ignores a credential put in headers and says where the key belongs', () => {
    const { providers, problems } = parseProviders([
      { id: 'gw', preset: 'custom', headers: { 'X-Team': 'web', Authorization: 'Bearer sk-live-abcdefghijklmnop' } },
    ]);
    assert.deepEqual(providers[0]?.headers, { 'X-Team': 'web' });
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /headers\["Authorization"\] carries a credential.*Set API Key/);
    assert.ok(!problems[0]?.message.includes('sk-live'), 'the message does not repeat the key');
  });

  it('reads per-model price overrides and rejects a malformed one', () => {
    const { providers, problems } = parseProviders([
      {
        id: 'qwen',
        preset: 'dashscope-intl',
        prices: {
          'qwen3-coder-plus': { inputPerMTok: 1, outputPerMTok: 5, cacheReadPerMTok: 0.1 },
          '*': { inputPerMTok: 0.3, outputPerMTok: 1.5 },
        },
      },
      { id: 'bad', preset: 'custom', prices: { m: { inputPerMTok: -1, outputPerMTok: 1 } } },
    ]);
    assert.equal(providers.length, 1);
    const [qwen] = providers;
    assert.ok(qwen);
    assert.deepEqual(priceOverrideFor(qwen, 'qwen3-coder-plus'), {
      inputPerMTok: 1,
      outputPerMTok: 5,
      cacheReadPerMTok: 0.1,
    });
    assert.deepEqual(priceOverrideFor(qwen, 'qwen3-coder-flash'), { inputPerMTok: 0.3, outputPerMTok: 1.5 });
    assert.match(problems[0]?.message ?? '', /\[1\]\.prices\.m\.inputPerMTok must not be negative/);
  });

  it('explains a setting that is not a list instead of throwing', () => {
    const { providers, problems } = parseProviders({ id: 'qwen' });
    assert.deepEqual(providers, []);
    assert.match(problems[0]?.message ?? '', /must be a list of provider entries/);
  });

  it('treats a missing setting as no providers and no problem', () => {
    assert.deepEqual(parseProviders(undefined), { providers: [], problems: [] });
  });
});

describe('where a preset’s own addresses and key variable apply', () => {
  it('a DeepSeek entry pointed at a gateway sends completions to the gateway, not to api.deepseek.com', () => {
    const { providers } = parseProviders([
      { id: 'gw', preset: 'deepseek', baseUrl: 'https://llm-gateway.corp.example/deepseek/v1' },
      { id: 'own', preset: 'deepseek', baseUrl: 'https://api.deepseek.com' },
      { id: 'default', preset: 'deepseek' },
      { id: 'both', preset: 'deepseek', baseUrl: 'https://gw.example/v1', fimBaseUrl: 'https://gw.example/beta' },
    ]);
    assert.deepEqual(
      providers.map((provider) => provider.fimBaseUrl),
      [undefined, 'https://api.deepseek.com/beta', 'https://api.deepseek.com/beta', 'https://gw.example/beta'],
    );
  });

  it('a FIM address on another server than the base URL is refused: the key set for one never goes to the other', () => {
    const { providers, problems } = parseProviders([
      // The key in secret storage is bound to api.deepseek.com, and DEEPSEEK_API_KEY goes to its hosts.
      { id: 'ds', preset: 'deepseek', fimBaseUrl: 'https://fim.attacker.example/beta' },
      { id: 'gw', preset: 'custom', baseUrl: 'https://gw.example/v1', fimBaseUrl: 'http://gw.example:8080/beta' },
      { id: 'ok', preset: 'custom', baseUrl: 'https://gw.example/v1', fimBaseUrl: 'https://gw.example/fim/v1' },
    ]);
    assert.deepEqual(
      providers.map((provider) => [provider.id, provider.fimBaseUrl]),
      [
        ['ds', 'https://api.deepseek.com/beta'],
        ['gw', undefined],
        ['ok', 'https://gw.example/fim/v1'],
      ],
    );
    assert.deepEqual(
      problems.map((problem) => problem.setting),
      ['switchboard.providers[0].fimBaseUrl', 'switchboard.providers[1].fimBaseUrl'],
    );
    assert.match(problems[0]?.message ?? '', /same server as its base URL/);
  });

  it('a vendor’s key variable goes only to the vendor’s hosts, unless the entry names it', () => {
    const { providers } = parseProviders([
      { id: 'openai', preset: 'openai' },
      { id: 'proxy', preset: 'openai', baseUrl: 'https://oai.helicone.ai/v1' },
      { id: 'named', preset: 'openai', baseUrl: 'https://oai.helicone.ai/v1', apiKeyEnv: 'OPENAI_API_KEY' },
      { id: 'cn', preset: 'moonshot', baseUrl: 'https://api.moonshot.cn/v1' },
      { id: 'zhipu', preset: 'zhipu', baseUrl: 'https://open.bigmodel.cn/api/paas/v4' },
      { id: 'beijing', preset: 'dashscope-intl', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1' },
      { id: 'lookalike', preset: 'deepseek', baseUrl: 'https://api.deepseek.com.evil.example/v1' },
      // The user's own gateway, wherever it runs: its variable is theirs.
      { id: 'team', preset: 'litellm', baseUrl: 'https://llm.corp.example/v1' },
    ]);
    assert.deepEqual(
      providers.map((provider) => [provider.id, provider.apiKeyEnv]),
      [
        ['openai', 'OPENAI_API_KEY'],
        ['proxy', undefined],
        ['named', 'OPENAI_API_KEY'],
        ['cn', 'MOONSHOT_API_KEY'],
        ['zhipu', 'ZAI_API_KEY'],
        ['beijing', 'DASHSCOPE_API_KEY'],
        ['lookalike', undefined],
        ['team', 'LITELLM_API_KEY'],
      ],
    );
  });

  it('refuses a base URL that carries a user name or password, without repeating it', () => {
    const { providers, problems } = parseProviders([
      { id: 'gw', preset: 'custom', baseUrl: 'https://alice:Hunter2Passw0rd@gw.example.com/v1' },
    ]);
    assert.equal(providers.length, 0);
    assert.match(problems[0]?.message ?? '', /user name or password/);
    assert.equal(JSON.stringify(problems).includes('Hunter2Passw0rd'), false);
  });

  it('drops a header value that would start another header, without repeating it', () => {
    const { providers, problems } = parseProviders([
      {
        id: 'gw',
        preset: 'custom',
        baseUrl: 'https://gw.example.com/v1',
        headers: { 'X-Team': 'TEAMSECRETVALUE\r\nX-Injected: 1', 'X-Ok': 'fine', 'Bad Name': 'x' },
      },
    ]);
    assert.deepEqual(providers[0]?.headers, { 'X-Ok': 'fine' });
    assert.equal(problems.length, 2);
    assert.equal(JSON.stringify(problems).includes('TEAMSECRETVALUE'), false);
  });
});
