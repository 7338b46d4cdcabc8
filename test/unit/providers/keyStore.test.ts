/**
 * A stored key goes to the server it was set for, and only there: a backend whose URL changed
 * since, or a new backend that took the id of a removed one, does not get it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { KeyStore } from '../../../src/backends/keyStore';
import { parseProviders } from '../../../src/core/settings/providerSettings';

/** VS Code's SecretStorage, in memory. */
function secrets(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const storage = {
    data,
    get: async (key: string) => data.get(key),
    store: async (key: string, value: string) => void data.set(key, value),
    delete: async (key: string) => void data.delete(key),
    keys: async () => [...data.keys()],
    onDidChange: () => ({ dispose() {} }),
  };
  return storage as typeof storage & vscode.SecretStorage;
}

const backend = (entry: Record<string, unknown>) => {
  const [config] = parseProviders([{ id: 'custom', ...entry }]).providers;
  assert.ok(config);
  return config;
};

describe('keys know the server they were set for', () => {
  it('a backend pointed elsewhere since does not get the key, until the user sends it there', async () => {
    const store = new KeyStore(secrets(), {});
    const corp = backend({ preset: 'custom', baseUrl: 'https://corp-gw.example/v1' });
    await store.set(corp, 'corp-gateway-key-7f3a9c2e1b');
    assert.equal(await store.get(corp), 'corp-gateway-key-7f3a9c2e1b');

    const moved = backend({ preset: 'custom', baseUrl: 'http://203.0.113.9:8000/v1' });
    assert.deepEqual(await store.lookup(moved), { storedFor: 'https://corp-gw.example' });
    assert.equal(await store.has(moved), false);

    await store.rebind(moved);
    assert.equal(await store.get(moved), 'corp-gateway-key-7f3a9c2e1b');
    assert.equal(await store.get(corp), undefined, 'and no longer to the first server');
  });

  it('a key stored before keys knew their server belongs where the backend points now', async () => {
    const storage = secrets({ 'switchboard.apiKey.ds': 'sk-legacy-0123456789' });
    const store = new KeyStore(storage, {});
    const [deepseek] = parseProviders([{ id: 'ds', preset: 'deepseek' }]).providers;
    assert.equal(await store.get(deepseek!), 'sk-legacy-0123456789');
    assert.deepEqual(JSON.parse(storage.data.get('switchboard.apiKey.ds')!), {
      key: 'sk-legacy-0123456789',
      origin: 'https://api.deepseek.com',
    });
  });

  it('the variable the entry names is a fallback; a vendor variable kept from a proxy is said', async () => {
    const env = { OPENAI_API_KEY: 'sk-openai-shell-0123456789', MY_PROXY_KEY: ' sk-proxy-0123 ' };
    const store = new KeyStore(secrets(), env);
    const [openai, proxy, named] = parseProviders([
      { id: 'openai', preset: 'openai' },
      { id: 'proxy', preset: 'openai', baseUrl: 'https://oai.helicone.ai/v1' },
      { id: 'named', preset: 'openai', baseUrl: 'https://oai.helicone.ai/v1', apiKeyEnv: 'MY_PROXY_KEY' },
    ]).providers;
    assert.equal(await store.get(openai!), 'sk-openai-shell-0123456789');
    assert.deepEqual(await store.lookup(proxy!), { envKept: 'OPENAI_API_KEY' });
    assert.equal(await store.get(named!), 'sk-proxy-0123');
  });
});
