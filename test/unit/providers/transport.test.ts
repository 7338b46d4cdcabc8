/**
 * Where a prompt and a key may go: a server cannot redirect them to another origin, a key does
 * not cross plain http to another machine without the user's yes, and the LiteLLM balance call
 * stays under the gateway's path.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { isLoopbackHost } from '../../../src/core/net/loopback';
import { connectionDetail } from '../../../src/core/providers/connectFailure';
import { guardedFetch } from '../../../src/core/providers/guardedFetch';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { Provider } from '../../../src/core/providers/types';
import { balanceUrl } from '../../../src/core/usage/balances';
import { meterRequest } from '../../../src/core/usage/meterRequest';
import { priceRequest } from '../../../src/core/usage/pricing';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { startEmulator, type Emulator } from '../../emulator/server';

const KEY = 'sk-ant-api03-TRANSPORTkey0123456789abcdefghij';

describe('redirects never take a prompt or key to another origin', () => {
  let home: Emulator;
  let elsewhere: Emulator;
  before(async () => {
    home = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
    elsewhere = await startEmulator({ tokensPerSecond: 0 });
  });
  after(async () => {
    await home.close();
    await elsewhere.close();
  });

  function client(entry: Record<string, unknown>): Provider {
    const { providers } = parseProviders([
      { id: 'p', chatModel: 'emulator-chat', completionModel: 'emulator-coder', ...entry },
    ]);
    assert.ok(providers[0]);
    return createProvider(providers[0], KEY);
  }
  const chat = async (provider: Provider) => {
    let text = '';
    for await (const event of provider.chat({ messages: [{ role: 'user', content: 'my secret plan' }] }))
      if (event.type === 'text') text += event.text;
    return text;
  };

  const cases: [string, () => Provider, string, () => string][] = [
    [
      'OpenAI-compatible',
      () => client({ preset: 'custom', baseUrl: home.baseUrls.openai }),
      '/v1/chat/completions',
      () => `${elsewhere.baseUrls.openai}/chat/completions`,
    ],
    [
      'Anthropic',
      () => client({ preset: 'anthropic', baseUrl: home.baseUrls.anthropic }),
      '/v1/messages',
      () => `${elsewhere.baseUrls.anthropic}/v1/messages`,
    ],
  ];
  for (const [name, make, path, target] of cases) {
    it(`${name}: a 307 to another origin is refused, and that origin receives nothing`, async () => {
      home.fault({ kind: 'redirect', status: 307, location: target(), path });
      const before = elsewhere.requests.length;
      await assert.rejects(chat(make()), (error: unknown) => {
        assert.ok(ProviderError.is(error, 'bad-request'), String(error));
        assert.match(error.message, /another server/);
        return true;
      });
      assert.equal(elsewhere.requests.length, before, 'no prompt and no key reached the other origin');
    });
  }

  it('a redirect within the same origin is still followed', async () => {
    home.fault({ kind: 'redirect', status: 307, location: '/v1/chat/completions', path: '/v1/chat/completions' });
    const text = await chat(client({ preset: 'custom', baseUrl: home.baseUrls.openai }));
    assert.match(text, /my secret plan/);
  });
});

describe('a key over plain http', () => {
  const calls: string[] = [];
  const recordingFetch = (async (input: string | URL | Request) => {
    calls.push(String(input));
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;

  it('is not sent to a host that is not this machine unless the user confirms', async () => {
    const asked: string[] = [];
    let answer = false;
    const send = guardedFetch({
      providerId: 'p',
      apiKey: KEY,
      fetch: recordingFetch,
      confirmPlainHttpKey: async (origin) => {
        asked.push(origin);
        return answer;
      },
    });
    const request = { method: 'POST', headers: { 'x-api-key': KEY }, body: '{}' };
    await assert.rejects(send('http://gateway.example:8080/v1/messages', request), (error: unknown) => {
      assert.ok(ProviderError.is(error, 'bad-request'));
      assert.match(error.message, /was not sent to http:\/\/gateway\.example:8080/);
      return true;
    });
    assert.deepEqual(calls, [], 'nothing left the machine');
    // A name that only starts like a loopback address is somebody else's server.
    await assert.rejects(send('http://127.0.0.1.attacker.example/v1/messages', request));
    assert.deepEqual(calls, []);
    answer = true;
    await send('http://gateway.example:8080/v1/messages', request);
    assert.equal(calls.length, 1, 'sent once the user said yes');
    assert.deepEqual(asked, [
      'http://gateway.example:8080',
      'http://127.0.0.1.attacker.example',
      'http://gateway.example:8080',
    ]);
  });

  it('goes to https, to this machine, and keyless requests anywhere without asking', async () => {
    calls.length = 0;
    const send = guardedFetch({
      providerId: 'p',
      apiKey: KEY,
      fetch: recordingFetch,
      confirmPlainHttpKey: () => Promise.reject(new Error('must not ask')),
    });
    await send('https://gateway.example/v1/messages', { headers: { authorization: `Bearer ${KEY}` } });
    await send('http://127.0.0.1:11434/api/tags', { headers: { authorization: `Bearer ${KEY}` } });
    await send('http://[::1]:1234/v1/models', { headers: { authorization: `Bearer ${KEY}` } });
    await send('http://lan-box:11434/api/tags', { headers: { authorization: 'Bearer no-key' } });
    assert.equal(calls.length, 4);
    assert.equal(isLoopbackHost('localhost'), true);
    assert.equal(isLoopbackHost('127.0.0.1.nip.io'), false);
  });
});

describe('the LiteLLM balance call', () => {
  it("keeps the gateway's path prefix", () => {
    assert.equal(balanceUrl('litellm', 'https://gw.example/litellm/'), 'https://gw.example/litellm/key/info');
    assert.equal(balanceUrl('litellm', 'https://gw.example/litellm/v1'), 'https://gw.example/litellm/key/info');
    assert.equal(balanceUrl('litellm', 'http://localhost:4000'), 'http://localhost:4000/key/info');
  });
});

describe('a request Switchboard would not send, or a server only redirected, costs nothing', () => {
  const priceOnDeepSeek = (usage: Parameters<typeof priceRequest>[0]['usage']) =>
    priceRequest({ presetId: 'deepseek', local: false, model: 'deepseek-chat', usage });

  it('a key refused over plain http: the request never left, so the ledger shows no tokens and no cost', async () => {
    const { providers } = parseProviders([
      { id: 'ds', preset: 'deepseek', baseUrl: 'http://ds-proxy.corp.example:8080/v1' },
    ]);
    assert.ok(providers[0]);
    const provider = createProvider(providers[0], 'sk-abcdef1234567890', {
      hooks: { confirmPlainHttpKey: async () => false },
    });
    const promptText = 'def f():\n    pass\n'.repeat(2_000);
    let failure: unknown;
    try {
      for await (const event of provider.chat({ messages: [{ role: 'user', content: promptText }] })) void event;
    } catch (error) {
      failure = error;
    }
    assert.ok(ProviderError.is(failure, 'bad-request'), String(failure));
    assert.equal(failure.notSent, true, 'marked as never sent');
    const metered = meterRequest({ promptText, error: failure }, priceOnDeepSeek);
    assert.deepEqual([metered.usage.inputTokens, metered.price.micros], [0, 0]);
  });

  it('a redirect to another origin refused: the server answered with a redirect, not an answer', async () => {
    const home = await startEmulator({ tokensPerSecond: 0 });
    try {
      home.fault({
        kind: 'redirect',
        status: 307,
        location: 'http://127.0.0.2:9/v1/chat/completions',
        path: '/v1/chat/completions',
      });
      const { providers } = parseProviders([
        {
          id: 'p',
          preset: 'custom',
          baseUrl: home.baseUrls.openai,
          chatModel: 'emulator-chat',
          prices: { '*': { inputPerMTok: 1, outputPerMTok: 1 } },
        },
      ]);
      assert.ok(providers[0]);
      let failure: unknown;
      try {
        for await (const event of createProvider(providers[0], undefined).chat({
          messages: [{ role: 'user', content: 'x'.repeat(4000) }],
        }))
          void event;
      } catch (error) {
        failure = error;
      }
      assert.ok(ProviderError.is(failure, 'bad-request'), String(failure));
      assert.equal(failure.status, 307);
      const metered = meterRequest({ promptText: 'x'.repeat(4000), error: failure }, priceOnDeepSeek);
      assert.deepEqual([metered.usage.inputTokens, metered.price.micros], [0, 0]);
    } finally {
      await home.close();
    }
  });
});

describe('a connection that could not be made says why, in words a user can act on', () => {
  const chatError = async (baseUrl: string): Promise<ProviderError> => {
    const { providers } = parseProviders([{ id: 'down', preset: 'custom', baseUrl, chatModel: 'm' }]);
    let failure: unknown;
    try {
      for await (const event of createProvider(providers[0]!, undefined).chat({
        messages: [{ role: 'user', content: 'hi' }],
      }))
        void event;
    } catch (error) {
      failure = error;
    }
    assert.ok(ProviderError.is(failure, 'network'), String(failure));
    return failure;
  };

  it('a port nothing listens on: refused, is the server running', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await chatError(`http://127.0.0.1:${port}/v1`);
    assert.match(failure.message, /^Could not reach http:\/\/127\.0\.0\.1:\d+\/v1: the connection was refused/);
    assert.match(failure.message, /running/);
    assert.doesNotMatch(failure.message, /fetch failed/);
  });

  it('a name that does not resolve: no such host, or no network', async () => {
    const failure = await chatError('http://switchboard-test.invalid/v1');
    assert.match(failure.message, /switchboard-test\.invalid could not be found/);
    assert.match(failure.message, /offline|proxy/);
  });

  it('a certificate refused: a TLS-inspecting proxy is the usual cause, with the code to look up', () => {
    const socketError = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    const detail = connectionDetail(new TypeError('fetch failed', { cause: socketError }), 'api.example.com');
    assert.match(detail, /certificate of api\.example\.com was not accepted \(SELF_SIGNED_CERT_IN_CHAIN\)/);
    assert.match(detail, /proxy/);
  });
});
