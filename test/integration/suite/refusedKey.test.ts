/**
 * A key the server refuses, in the real extension host: Set API Key tests it at once, says the
 * test failed with the server's words and, on Model Studio, that keys belong to the region whose
 * console made them; the backend reads as failing its connection test until something is served.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { Notice } from '../../../src/usage/limitMonitor';
import { activateWithLedger, config, eventually, itemsAt, statusBarText, useCompletionBackend } from './helpers';

const SINGAPORE_KEY = 'sk-emu-singapore-0123456789abcdef';
const BEIJING_KEY = 'sk-emu-beijing-0123456789abcdef';

describe('a refused key', () => {
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    emulator = await startEmulator({ apiKey: SINGAPORE_KEY });
  });
  after(async () => {
    for (const key of ['completion.provider', 'completion.yieldToChat'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  it('Set API Key on Model Studio: the test fails, and the warning names the region a key belongs to', async () => {
    const api = await activateWithLedger();
    const entry = {
      id: 'mstudio',
      name: 'Model Studio (test)',
      preset: 'dashscope-intl',
      baseUrl: emulator.baseUrls.dashscope,
    };
    await config().update('providers', [...original, entry], vscode.ConfigurationTarget.Global);

    const window = vscode.window as { showInputBox: unknown; showWarningMessage: unknown };
    const [ask, warn] = [window.showInputBox, window.showWarningMessage];
    const warnings: { message: string; detail?: string }[] = [];
    window.showInputBox = async () => BEIJING_KEY;
    window.showWarningMessage = async (message: string, options?: { detail?: string }) => {
      warnings.push({ message, ...(typeof options === 'object' && options?.detail && { detail: options.detail }) });
      return undefined;
    };
    try {
      await vscode.commands.executeCommand('switchboard.setApiKey', 'mstudio');
    } finally {
      window.showInputBox = ask;
      window.showWarningMessage = warn;
    }
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0]!.message, /key saved for Model Studio \(test\), but the connection test failed/);
    assert.match(warnings[0]!.detail ?? '', /^Authentication failed/);
    assert.match(warnings[0]!.detail ?? '', /Model Studio keys work only in the region whose console made them/);
    assert.ok(!JSON.stringify(warnings).includes(BEIJING_KEY), 'the key itself is never shown');
    assert.match(api.backends.failedTest('mstudio') ?? '', /^Authentication failed/);
    await api.keys.delete('mstudio');
  });

  it('a Coding Plan added after a failed test says so in the status bar, not only its window', async () => {
    const api = await activateWithLedger();
    const entry = {
      id: 'plan-untested',
      name: 'My plan',
      preset: 'coding-plan-intl',
      baseUrl: emulator.baseUrls.codingPlan,
    };
    try {
      await config().update('providers', [...original, entry], vscode.ConfigurationTarget.Global);
      await config().update('completion.provider', entry.id, vscode.ConfigurationTarget.Global);
      const planConfig = api.backends.current().providers.find((provider) => provider.id === entry.id);
      assert.ok(planConfig, 'the entry is read');
      // As Add Anyway leaves it: the test failed, nothing has been served since.
      api.backends.noteTest(planConfig, 'could not be found');
      const text = await statusBarText(
        api,
        (shown) => shown.includes('My plan') && shown.includes('connection test failed'),
        'the failed test in the status bar',
      );
      assert.match(text, /\$\(warning\)/);
    } finally {
      api.backends.noteTest(entry, undefined);
    }
  });

  it('a URL in what the failed test said is plain text in the tooltip, never a link', async () => {
    const api = await activateWithLedger();
    const entry = {
      id: 'url-untested',
      name: 'Url plan',
      preset: 'coding-plan-intl',
      baseUrl: emulator.baseUrls.codingPlan,
    };
    try {
      await config().update('providers', [...original, entry], vscode.ConfigurationTarget.Global);
      await config().update('completion.provider', entry.id, vscode.ConfigurationTarget.Global);
      await statusBarText(api, (shown) => shown.includes('Url plan'), 'the backend in the status bar');
      api.backends.noteTest(
        entry,
        'Could not reach https://coding.example.invalid/v1 (see www.example.invalid or ops@example.invalid)',
      );
      const tooltip = await eventually(
        () => (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
        (value) => value.includes('failed its connection test'),
        'the failed test in the tooltip',
      );
      // Markdown makes a bare URL, a www. host or an address a link: none is left for it to find.
      assert.doesNotMatch(tooltip, /https?:\/\/(?!command)|www\.example|ops@example/, tooltip);
      assert.match(tooltip, /coding\.example\.invalid/);
    } finally {
      api.backends.noteTest(entry, undefined);
    }
  });

  it('a Model Studio key refused while in use: the notice says keys belong to a region, once', async () => {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      await useCompletionBackend(
        api,
        original,
        {
          id: 'mstudio-use',
          name: 'Model Studio (in use)',
          preset: 'dashscope-intl',
          baseUrl: emulator.baseUrls.dashscope,
          // Named in the entry, the variable goes to the emulator, which is not Alibaba's host.
          apiKeyEnv: 'SWITCHBOARD_TEST_MSTUDIO_KEY',
        },
        BEIJING_KEY,
      );
      const document = await vscode.workspace.openTextDocument({
        language: 'javascript',
        content: 'function add(a, b) {\n}\n',
      });
      await itemsAt(api, document, new vscode.Position(0, 'function add(a, b) {'.length));
      await eventually(
        () => notices.filter((notice) => /Model Studio \(in use\)/.test(notice.message)),
        (found) => found.length > 0,
        'the refused key to be said',
      );
      const said = notices.filter((notice) => /Model Studio \(in use\)/.test(notice.message));
      assert.equal(said.length, 1, JSON.stringify(said));
      assert.match(said[0]!.message, /Model Studio keys work only in the region whose console made them/);
      assert.ok(!said[0]!.message.includes(BEIJING_KEY));
    } finally {
      subscription.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      delete process.env.SWITCHBOARD_TEST_MSTUDIO_KEY;
    }
  });
});
