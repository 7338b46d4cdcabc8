/**
 * Timeouts measure silence, not length: a long answer that keeps streaming arrives whole, a
 * backend that never starts or stalls mid-answer still fails as a timeout.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { startDeadline } from '../../../src/core/providers/deadline';
import { LOCAL_FIRST_BYTE_MS, withLocalPatience } from '../../../src/core/providers/localPatience';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { startEmulator, type Emulator } from '../../emulator/server';
import { FakeClock } from '../../harness/fakeClock';

const LIMITS = { firstByteMs: 60_000, idleMs: 30_000 };

describe('silence limits on a fake clock', () => {
  it('an answer streaming steadily for ten minutes is never cut', async () => {
    const clock = new FakeClock();
    const deadline = startDeadline({ clock }, LIMITS);
    await clock.advance(20_000);
    for (let second = 0; second < 600; second += 10) {
      deadline.alive();
      await clock.advance(10_000);
    }
    assert.equal(deadline.signal.aborted, false);
    deadline.dispose();
  });

  it('a backend that goes quiet mid-answer fails after the idle limit', async () => {
    const clock = new FakeClock();
    const deadline = startDeadline({ clock }, LIMITS);
    deadline.alive();
    await clock.advance(29_000);
    deadline.alive();
    await clock.advance(29_000);
    assert.equal(deadline.signal.aborted, false, 'each part restarts the limit');
    await clock.advance(2_000);
    assert.equal(deadline.timedOut(), true);
    assert.match(deadline.timeoutText(), /went silent for 30 s/);
    deadline.dispose();
  });

  it('a backend that never starts fails after the first-byte limit', async () => {
    const clock = new FakeClock();
    const deadline = startDeadline({ clock }, LIMITS);
    await clock.advance(59_000);
    assert.equal(deadline.signal.aborted, false);
    await clock.advance(1_000);
    assert.equal(deadline.timedOut(), true);
    assert.match(deadline.timeoutText(), /did not start answering within 60 s/);
  });

  it("the caller's own cancel is a cancel, not a timeout", () => {
    const caller = new AbortController();
    const deadline = startDeadline({ signal: caller.signal, clock: new FakeClock() }, LIMITS);
    caller.abort();
    assert.equal(deadline.signal.aborted, true);
    assert.equal(deadline.timedOut(), false);
    deadline.dispose();
  });
});

describe('silence limits against the emulator streaming slowly', () => {
  const KEY = 'sk-emu-SILENCEKEY-0123456789abcdefghij';
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY });
  });
  after(() => emulator.close());

  const clients: [string, () => Provider, string][] = [
    [
      'OpenAI-compatible',
      () => client({ preset: 'custom', baseUrl: emulator.baseUrls.openai }),
      '/v1/chat/completions',
    ],
    ['Anthropic', () => client({ preset: 'anthropic', baseUrl: emulator.baseUrls.anthropic }), '/v1/messages'],
  ];
  function client(entry: Record<string, unknown>): Provider {
    const { providers } = parseProviders([{ id: 'p', chatModel: 'emulator-chat', ...entry }]);
    assert.ok(providers[0]);
    return createProvider(providers[0], KEY);
  }
  async function answer(provider: Provider, limitMs: number): Promise<string> {
    let text = '';
    for await (const event of provider.chat({
      messages: [{ role: 'user', content: 'tell me about silence' }],
      timeoutMs: limitMs,
      idleTimeoutMs: limitMs,
    }))
      if (event.type === 'text') text += event.text;
    return text;
  }

  for (const [name, make, path] of clients) {
    it(`${name}: an answer three times longer than the limit, never silent that long, arrives whole`, async () => {
      // About 30 tokens at 10 a second: some 3 s of steady streaming against 1 s limits.
      emulator.configure({ tokensPerSecond: 10 });
      try {
        const text = await answer(make(), 1_000);
        assert.match(text, /This answer comes from the Switchboard emulator, a stand-in backend .* account\.$/);
      } finally {
        emulator.configure({ tokensPerSecond: 0 });
      }
    });

    it(`${name}: a stream that stalls after it started fails as a timeout`, async () => {
      emulator.fault({ kind: 'stall', afterChunks: 2, path });
      await assert.rejects(answer(make(), 500), (error: unknown) => {
        assert.ok(ProviderError.is(error, 'timeout'), String(error));
        assert.match(error.message, /went silent/);
        return true;
      });
    });
  }
});

describe('a local model loading on its first request', () => {
  /** A server that takes the request and says nothing: Ollama while it loads a model. */
  async function loadingServer(): Promise<{ url: string; close: () => Promise<void> }> {
    const held: ServerResponse[] = [];
    const server = createServer((_req, res) => void held.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: async () => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  it('is given three minutes to start, not a hosted API’s one, and the timeout says it may still be loading', async () => {
    const server = await loadingServer();
    try {
      const { providers } = parseProviders([
        { id: 'ollama', preset: 'ollama', baseUrl: server.url, chatModel: 'big:70b' },
      ]);
      const provider = withLocalPatience(createProvider(providers[0]!, undefined), true);
      const clock = new FakeClock();
      let failure: unknown;
      const done = (async () => {
        try {
          for await (const event of provider.chat({ messages: [{ role: 'user', content: 'hi' }], clock })) void event;
        } catch (error) {
          failure = error;
        }
      })();
      await clock.advance(90_000);
      assert.equal(failure, undefined, 'still waiting after a minute and a half');
      await clock.advance(LOCAL_FIRST_BYTE_MS - 90_000);
      await done;
      const failed = failure as unknown;
      assert.ok(ProviderError.is(failed, 'timeout'), String(failed));
      assert.match(failed.message, /did not start answering within 180 s/);
      assert.match(failed.message, /may still be loading/);
    } finally {
      await server.close();
    }
  });

  it("leaves a hosted backend's limit, and a limit the caller set, as they are", async () => {
    const seen: (number | undefined)[] = [];
    const spy = {
      id: 'spy',
      chat: async function* (request: { timeoutMs?: number }) {
        seen.push(request.timeoutMs);
        yield* [];
      },
      listModels: async () => [],
      probe: async () => ({ ok: true }),
    } as unknown as Provider;
    for await (const event of withLocalPatience(spy, false).chat({ messages: [] })) void event;
    for await (const event of withLocalPatience(spy, true).chat({ messages: [], timeoutMs: 5_000 })) void event;
    for await (const event of withLocalPatience(spy, true).chat({ messages: [] })) void event;
    assert.deepEqual(seen, [undefined, 5_000, LOCAL_FIRST_BYTE_MS]);
  });

  it('keeps what the client offers besides chat and completion (the model llama-server serves)', async () => {
    const client = {
      id: 'llamacpp',
      chat: async function* () {
        yield* [];
      },
      listModels: async () => [],
      probe: async () => ({ ok: true }),
      servedModel: async () => 'qwen2.5-coder-1.5b-q8_0.gguf',
    } as unknown as Provider;
    assert.equal(await withLocalPatience(client, true).servedModel?.('default'), 'qwen2.5-coder-1.5b-q8_0.gguf');
  });
});
