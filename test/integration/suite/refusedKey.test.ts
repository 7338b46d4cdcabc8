/**
 * A key the server refuses, in the real extension host: Set API Key tests it at once, says the
 * test failed with the server's words and, on Model Studio, that keys belong to the region whose
 * console made them; the backend reads as failing its connection test until something is served.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import { activateWithLedger, config } from './helpers';

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
});
