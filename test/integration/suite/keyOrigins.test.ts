/**
 * A stored key goes to the server it was set for. An entry whose URL changed since (edited by
 * hand, synced from another machine, a new entry that took a removed one's id) sends no key to the
 * new server until the user says so, and is told once.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { KeptKey } from '../../../src/backends/backends';
import type { Notice } from '../../../src/usage/limitMonitor';
import {
  activateSwitchboard,
  completeNewFunction,
  config,
  emulatorBackend,
  eventually,
  useCompletionBackend,
} from './helpers';

const KEY = 'sk-origin-test-0123456789abcdef';

describe('keys and the server they were set for', () => {
  let original: unknown[];
  let first: Emulator;
  let second: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    first = await startEmulator({ apiKey: KEY });
    second = await startEmulator({ apiKey: KEY });
  });
  after(async () => {
    const api = await activateSwitchboard();
    await api.keys.delete('moving');
    for (const key of ['completion.provider', 'completion.yieldToChat'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await first.close();
    await second.close();
  });

  /**
   * Whether each completion request `emulator` received from now on carried the key: the emulator
   * refuses any other (a client without a key sends a placeholder), so its answer tells.
   */
  const keysSent = (emulator: Emulator) => {
    const from = emulator.requests.length;
    return () =>
      emulator.requests
        .slice(from)
        .filter((request) => request.path === '/v1/completions')
        .map((request) => request.status === 200);
  };

  it('a backend moved to another server sends no key there until the user sends it', async () => {
    const api = await activateSwitchboard();
    const kept: KeptKey[] = [];
    const notices: Notice[] = [];
    const subscription = api.backends.onDidKeepKey((event) => kept.push(event));
    const noticed = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      const entry = { ...emulatorBackend(first.baseUrls.openai, 'moving', 'Moving (demo)'), id: 'moving' };
      await useCompletionBackend(api, original, entry);
      const moving = await eventually(
        () => api.backends.current().providers.find((provider) => provider.id === 'moving'),
        Boolean,
        'the backend to be configured',
      );
      await api.keys.set(moving!, KEY);
      const toFirst = keysSent(first);
      await completeNewFunction(api, 'origin');
      assert.deepEqual(toFirst(), [true], 'the key goes to the server it was set for');

      await useCompletionBackend(api, original, { ...entry, baseUrl: second.baseUrls.openai });
      await eventually(
        () => api.backends.configFor('completion')?.baseUrl,
        (url) => url === second.baseUrls.openai,
        'the entry to point at the second server',
      );
      const toSecond = keysSent(second);
      await completeNewFunction(api, 'origin');
      await completeNewFunction(api, 'origin');
      assert.ok(toSecond().length > 0, 'completion still asks the new server');
      assert.ok(
        toSecond().every((carried) => !carried),
        'without the key set for the first server',
      );
      assert.equal(kept.length, 1, 'told once, not on every request');
      assert.match(
        kept[0]?.message ?? '',
        new RegExp(`was set for ${first.baseUrls.openai.replace(/\/v1$/, '').replace(/[.]/g, '\\.')}`),
      );
      assert.match(kept[0]?.message ?? '', /The key was not sent there\./);
      // The server refused the keyless request; that was already explained, so once is enough.
      await eventually(
        () => api.meter.failureOf('moving')?.kind,
        (kind) => kind === 'auth',
        'the refusal to be recorded',
      );
      api.limits.update();
      assert.deepEqual(
        notices.map((notice) => notice.message).filter((message) => message.includes('Moving (demo)')),
        [],
        'no second notification saying the server refused the key',
      );

      // "Send It to 127.0.0.1:…": from now on the key is for the second server.
      const moved = api.backends.configFor('completion');
      await api.keys.rebind(moved!);
      const afterRebind = keysSent(second);
      await eventually(
        async () => {
          await completeNewFunction(api, 'origin');
          return afterRebind();
        },
        (sent) => sent.includes(true),
        'the key to reach the second server',
      );
    } finally {
      subscription.dispose();
      noticed.dispose();
    }
  });
});
