/**
 * A connection test whose key is refused says so as a refused key, and on Model Studio says why a
 * key the user believes right may be refused: keys belong to the region whose console made them.
 * Over real sockets, against the emulator's Model Studio 401.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { findPreset, testFailureText } from '../../../src/core/providers/presets';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { startEmulator, type Emulator } from '../../emulator/server';

const SINGAPORE_KEY = 'sk-emu-singapore-0123456789abcdef';
const BEIJING_KEY = 'sk-emu-beijing-0123456789abcdef';

describe('a refused key on the connection test', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: SINGAPORE_KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  const probe = (presetId: string, key: string) => {
    const { providers } = parseProviders([{ id: 'qwen', preset: presetId, baseUrl: emulator.baseUrls.dashscope }]);
    assert.ok(providers[0]);
    return createProvider(providers[0], key).probe();
  };

  it('on Model Studio, names the region a key belongs to', async () => {
    const refused = await probe('dashscope-intl', BEIJING_KEY);
    assert.equal(refused.ok, false);
    assert.equal(refused.kind, 'auth');
    const text = testFailureText(findPreset('dashscope-intl')!, refused);
    assert.match(text, /^Authentication failed/);
    assert.match(text, /Model Studio keys work only in the region whose console made them/);
    assert.ok(!text.includes(BEIJING_KEY), 'never the key itself');
  });

  it('a test that failed for another reason gets no note on keys', async () => {
    emulator.fault({ kind: 'server-error', status: 503, times: 5 });
    try {
      const down = await probe('dashscope-intl', SINGAPORE_KEY);
      assert.equal(down.ok, false);
      assert.notEqual(down.kind, 'auth');
      assert.doesNotMatch(testFailureText(findPreset('dashscope-intl')!, down), /region/);
    } finally {
      emulator.clearFaults();
    }
    assert.equal((await probe('dashscope-intl', SINGAPORE_KEY)).ok, true, 'the right key passes');
  });

  it('a preset without a note says the server’s words alone', async () => {
    const refused = await probe('deepseek', BEIJING_KEY);
    assert.equal(refused.kind, 'auth');
    assert.equal(testFailureText(findPreset('deepseek')!, refused), refused.detail);
  });
});
