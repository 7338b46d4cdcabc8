import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OpenAICompatibleProvider } from '../../../src/core/providers/openaiCompatible';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { Usage } from '../../../src/core/providers/types';
import { estimateTokens } from '../../../src/core/providers/usage';
import { parseProviders, type ProviderConfig } from '../../../src/core/settings/providerSettings';
import { startEmulator, type Emulator } from '../../emulator/server';

function configFor(emulator: Emulator): ProviderConfig {
  const { providers } = parseProviders([
    {
      id: 'emu',
      preset: 'custom',
      baseUrl: emulator.openaiBaseUrl,
      chatModel: 'emulator-chat',
      completionModel: 'emulator-coder',
    },
  ]);
  assert.ok(providers[0]);
  return providers[0];
}

describe('OpenAI-compatible provider against the emulator', () => {
  const key = 'sk-test-PLANTED0123456789abcdefXYZ';
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: key, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  it('streams a chat answer and reports usage from the backend', async () => {
    const provider = new OpenAICompatibleProvider(configFor(emulator), key);
    let text = '';
    let usage;
    for await (const event of provider.chat({ messages: [{ role: 'user', content: 'hello there' }] })) {
      if (event.type === 'text') text += event.text;
      else if (event.type === 'done') usage = event.usage;
    }
    assert.match(text, /^You asked: "hello there"\./);
    assert.equal(usage?.reported, true);
    assert.ok((usage?.outputTokens ?? 0) > 5);
    const sent = emulator.requests.at(-1)?.body as { stream_options?: unknown };
    assert.deepEqual(sent.stream_options, { include_usage: true });
  });

  it('fills in the middle through /v1/completions with a suffix', async () => {
    const provider = new OpenAICompatibleProvider(configFor(emulator), key);
    const result = await provider.fim({ prefix: 'function add(a, b) {', suffix: '\n}\n', maxTokens: 32 });
    assert.equal(result.text, '\n  return a + b;');
    const sent = emulator.requests.at(-1);
    assert.equal(sent?.path, '/v1/completions');
    assert.equal((sent?.body as { suffix?: string }).suffix, '\n}\n');
  });

  it('streams a FIM answer when asked: the caller hears it grow, and the result has all of it and the usage', async () => {
    const provider = new OpenAICompatibleProvider(configFor(emulator), key);
    const heard: string[] = [];
    const result = await provider.fim({
      prefix: 'function add(a, b) {',
      suffix: '\n}\n',
      maxTokens: 32,
      onText: (text) => void heard.push(text),
    });
    assert.equal(result.text, '\n  return a + b;');
    assert.ok(heard.length > 1, `several chunks, each the text so far: ${JSON.stringify(heard)}`);
    assert.equal(heard.at(-1), result.text);
    assert.ok(heard.every((text, i) => i === 0 || text.startsWith(heard[i - 1] ?? '')));
    assert.equal(result.usage.reported, true, "the server's own count, from the stream's last chunk");
    const sent = emulator.requests.at(-1)?.body as { stream?: unknown; stream_options?: unknown };
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.stream_options, { include_usage: true });
  });

  it('asks a server that refuses streamed FIM again unstreamed, and from then on whole', async () => {
    const proxy = await startEmulator({ refuseStreamOptions: true, tokensPerSecond: 0 });
    try {
      const provider = new OpenAICompatibleProvider(configFor(proxy), undefined);
      const ask = () =>
        provider.fim({ prefix: 'function add(a, b) {', suffix: '\n}\n', maxTokens: 32, onText: () => {} });
      assert.equal((await ask()).text, '\n  return a + b;');
      assert.deepEqual(
        proxy.requests.map((request) => (request.body as { stream?: boolean }).stream === true),
        [true, false],
        'refused once, then the same request unstreamed',
      );
      assert.equal((await ask()).text, '\n  return a + b;');
      assert.equal(proxy.requests.length, 3, 'the next one goes unstreamed at once');
    } finally {
      await proxy.close();
    }
  });

  it('a reasoning answer from a server that reports no usage is estimated with its reasoning, which it bills', async () => {
    // A server asked without stream_options (one that refuses it) sends no usage: the count is the estimate.
    const proxy = await startEmulator({ tokensPerSecond: 0 });
    try {
      const config = configFor(proxy);
      const provider = new OpenAICompatibleProvider(
        { ...config, chatModel: 'glm-4.7', preset: { ...config.preset, streamOptions: false } },
        undefined,
      );
      let answer = '';
      let reasoning = '';
      let usage: Usage | undefined;
      for await (const event of provider.chat({ messages: [{ role: 'user', content: 'what is 2+2?' }] })) {
        if (event.type === 'text') answer += event.text;
        else if (event.type === 'thinking') reasoning += event.text;
        else if (event.type === 'done') usage = event.usage;
      }
      assert.ok(reasoning.length > 400, 'the model reasoned in reasoning_content');
      assert.equal(usage?.reported, false, 'an estimate: the server said nothing');
      assert.equal(usage?.outputTokens, estimateTokens(reasoning + answer), 'the reasoning is counted with the answer');
    } finally {
      await proxy.close();
    }
  });

  it('turns a rejected key into an auth error that does not contain the key', async () => {
    const wrong = 'sk-wrong-abcdefghijklmnopqrstuvwxyz012345';
    const provider = new OpenAICompatibleProvider(configFor(emulator), wrong);
    await assert.rejects(provider.fim({ prefix: 'x', suffix: '' }), (error: unknown) => {
      assert.ok(ProviderError.is(error, 'auth'));
      assert.equal(error.status, 401);
      assert.ok(!error.message.includes(wrong));
      return true;
    });
  });

  it('cancels a stream mid-way and the server sees the request go away', async () => {
    const slow = await startEmulator({ tokensPerSecond: 20 });
    try {
      const provider = new OpenAICompatibleProvider(configFor(slow), undefined);
      const controller = new AbortController();
      let received = 0;
      await assert.rejects(
        (async () => {
          for await (const event of provider.chat({
            messages: [{ role: 'user', content: 'long answer please' }],
            signal: controller.signal,
          })) {
            if (event.type === 'text' && ++received === 2) controller.abort();
          }
        })(),
        (error: unknown) => ProviderError.is(error, 'cancelled'),
      );
      // The server learns of the abort when the socket closes: wait for it (bounded), do not time it.
      for (let i = 0; i < 500 && slow.requests.at(-1)?.aborted !== true; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(slow.requests.at(-1)?.aborted, true);
    } finally {
      await slow.close();
    }
  });

  it('reports an unreachable server as a network error that never reached it (so it costs nothing)', async () => {
    const closed = await startEmulator();
    const config = configFor(closed);
    await closed.close();
    const provider = new OpenAICompatibleProvider(config, undefined);
    await assert.rejects(
      provider.fim({ prefix: 'x', suffix: '' }),
      (error: unknown) => ProviderError.is(error, 'network') && error.notSent === true,
    );
  });
});
