/**
 * Switching the completion backend while a completion is in flight (a fallback at a limit, or the
 * user's own switch): the answer of the backend left never shows as ghost text, and what it cost
 * is that backend's; the pause the user is in is answered by the backend switched to.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import { activateWithLedger, eventually, useCompletionBackend } from './helpers';

describe('switching the completion backend mid-request', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    emulator = await startEmulator({ tokensPerSecond: 0 });
  });
  after(async () => {
    for (const key of ['completion.provider', 'completion.yieldToChat'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  it('a late answer from the backend switched away from is not shown, and the new backend answers the pause', async () => {
    const api = await activateWithLedger();
    const left = { id: 'switch-left', name: 'Left (demo)', preset: 'custom', baseUrl: emulator.baseUrls.openai };
    const chosen = { ...left, id: 'switch-chosen', name: 'Chosen (demo)' };
    const leftRecords = await useCompletionBackend(api, original, { ...left, completionModel: 'emulator-coder' });
    await config().update(
      'providers',
      [...original, { ...left, completionModel: 'emulator-coder' }, { ...chosen, completionModel: 'emulator-coder' }],
      vscode.ConfigurationTarget.Global,
    );
    // The left backend takes its time to answer, time enough to switch.
    emulator.fault({ kind: 'slow-headers', delayMs: 3_000, path: '/v1/completions' });
    const asked = emulator.count('/v1/completions');

    const line = 'const total = items.length';
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${line}\n` });
    const source = new vscode.CancellationTokenSource();
    const items = api.inlineCompletionProvider.provideInlineCompletionItems(
      document,
      new vscode.Position(0, line.length),
      { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
      source.token,
    );
    await eventually(
      () => emulator.count('/v1/completions'),
      (count) => count > asked,
      'the request to go out',
    );
    await config().update('completion.provider', chosen.id, vscode.ConfigurationTarget.Global);

    const result = await items;
    const shown = (Array.isArray(result) ? result : (result?.items ?? [])) as vscode.InlineCompletionItem[];
    // The same pause, answered by the backend switched to: the left one's answer never came.
    assert.equal(shown.length, 1, 'ghost text at the pause, from the backend switched to');
    assert.equal(emulator.count('/v1/completions'), asked + 2, 'one request to each backend');
    const records = await eventually(leftRecords, (found) => found.length > 0, 'the request to be recorded');
    assert.equal(records.length, 1, 'recorded once, as the left backend’s');
    assert.equal(api.meter.today(chosen.id)?.requests, 1, 'the answer shown is recorded as the chosen backend’s');
  });
});
