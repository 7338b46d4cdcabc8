/**
 * Memory stays bounded whatever a server sends: over real sockets, an endless error body, an
 * endless JSON body, an endless line in an event stream and an endless model name each end in a
 * clear error (or a capped value), and the client hangs up instead of reading on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { startDeadline } from '../../../src/core/providers/deadline';
import { guardedProvider } from '../../../src/core/providers/guardedProvider';
import { callJson } from '../../../src/core/providers/httpJson';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { startEmulator, type Emulator } from '../../emulator/server';

const MB = 1024 * 1024;
const KEY = 'sk-emu-BODYLIMITS-0123456789abcdefghij';

describe('bounded bodies over real sockets', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  function client(entry: Record<string, unknown> = {}): Provider {
    const { providers } = parseProviders([
      {
        id: 'p',
        preset: 'custom',
        baseUrl: emulator.baseUrls.openai,
        chatModel: 'emulator-chat',
        completionModel: 'emulator-coder',
        ...entry,
      },
    ]);
    assert.ok(providers[0]);
    return guardedProvider(createProvider(providers[0], KEY));
  }
  const lastRequest = (path: string) => emulator.requests.filter((r) => r.path === path).at(-1);
  /** Whether the client hung up on the server before the body was all sent (the server sees it a moment later). */
  const hungUp = async (path: string) => {
    for (let i = 0; i < 100 && !lastRequest(path)?.aborted; i++) await new Promise((r) => setTimeout(r, 50));
    return lastRequest(path)?.aborted;
  };
  const chat = async (provider: Provider) => {
    for await (const event of provider.chat({ messages: [{ role: 'user', content: 'hi' }] })) void event;
  };

  it('an endless error body is cut short: a short message, and the client hangs up', async () => {
    emulator.fault({ kind: 'huge-body', status: 400, bytes: 96 * MB, path: '/v1/chat/completions' });
    await assert.rejects(chat(client()), (error: unknown) => {
      assert.ok(ProviderError.is(error), String(error));
      assert.ok(error.message.length <= 600);
      return true;
    });
    assert.equal(await hungUp('/v1/chat/completions'), true, 'the client stopped reading the error body');
  });

  it('an endless non-streamed body fails as a server error instead of filling memory', async () => {
    emulator.fault({ kind: 'huge-body', bytes: 96 * MB, path: '/v1/completions' });
    await assert.rejects(client().fim({ prefix: 'const a = ', suffix: '' }), (error: unknown) => {
      assert.ok(ProviderError.is(error, 'server'), String(error));
      assert.match(error.message, /more than 16 MB/);
      return true;
    });
    assert.equal(await hungUp('/v1/completions'), true);
  });

  it('an event stream whose line never ends fails as a server error', async () => {
    emulator.fault({ kind: 'huge-body', stream: true, bytes: 96 * MB, path: '/v1/chat/completions' });
    await assert.rejects(chat(client()), (error: unknown) => {
      assert.ok(ProviderError.is(error, 'server'), String(error));
      assert.match(error.message, /a line longer than/);
      return true;
    });
    assert.equal(await hungUp('/v1/chat/completions'), true);
  });

  it('plain JSON calls (Ollama, balances) cut an endless error body too', async () => {
    emulator.fault({ kind: 'huge-body', status: 400, bytes: 96 * MB, path: '/api/tags' });
    const deadline = startDeadline({}, 30_000);
    try {
      await assert.rejects(
        callJson({ providerId: 'o', url: `${emulator.baseUrls.ollama}/api/tags`, deadline }),
        (error: unknown) => ProviderError.is(error) && error.message.length <= 600,
      );
    } finally {
      deadline.dispose();
    }
    assert.equal(await hungUp('/api/tags'), true);
  });

  it('a model name from the server is capped before it reaches the ledger', async () => {
    const long = `m${'x'.repeat(20_000)}`;
    const result = await client().fim({ prefix: 'const a = ', suffix: '', model: long });
    assert.ok(result.model.length <= 200, `capped, got ${result.model.length}`);
  });
});
