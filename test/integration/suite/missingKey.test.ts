/**
 * A backend in use that has no key, in the real extension host: the status bar says so before
 * the first request is refused for it, and stops saying so once a key is set.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateWithLedger, config, statusBarText } from './helpers';

describe('a backend in use without its key', () => {
  let original: unknown[];

  before(() => {
    original = config().get<unknown[]>('providers') ?? [];
  });
  after(async () => {
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
  });

  it('reads "no API key" in the status bar until a key is set', async () => {
    const api = await activateWithLedger();
    // Its own host: nothing is sent there in this test.
    const entry = { id: 'keyless', name: 'Keyless', preset: 'dashscope-intl' };
    await api.keys.delete(entry.id);
    await config().update('providers', [...original, entry], vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', entry.id, vscode.ConfigurationTarget.Global);
    const keyless = api.backends.current().providers.find((provider) => provider.id === entry.id);
    assert.ok(keyless);
    const found = JSON.stringify(await api.keys.lookup(keyless));
    const without = await statusBarText(
      api,
      (text) => text.includes('Keyless') && text.includes('no API key'),
      `the missing key in the status bar (${found})`,
    );
    assert.match(without, /\$\(warning\)/);
    assert.match((api.statusBarItem.tooltip as vscode.MarkdownString).value, /Keyless has no API key/);

    await api.keys.set(keyless, 'sk-test-0123456789abcdef');
    try {
      await statusBarText(
        api,
        (text) => text.includes('Keyless') && !text.includes('no API key'),
        'the status bar to drop the warning once a key is set',
      );
    } finally {
      await api.keys.delete(entry.id);
    }
  });
});
