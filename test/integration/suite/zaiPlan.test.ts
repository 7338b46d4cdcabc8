/**
 * Z.ai's GLM Coding Plan in the real extension host: when its 5-hour window is spent the server
 * answers 429 with business code 1308. That is a spent plan, not a rate limit: the backend stops,
 * the status bar and one notification say so in plain words, and nothing is retried meanwhile.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { Notice } from '../../../src/usage/limitMonitor';
import { activateWithLedger, config, eventually, itemsAt, useCompletionBackend } from './helpers';

describe('the GLM Coding Plan', () => {
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    emulator = await startEmulator({ quotas: { zai: { requestsPer5h: 1 } } });
  });
  after(async () => {
    for (const key of ['completion.provider', 'completion.yieldToChat'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    delete process.env.SWITCHBOARD_ZAI_KEY;
    await emulator.close();
  });

  it('a spent 5-hour window (429 1308) stops the backend as a spent quota, said once in plain words', async () => {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    await useCompletionBackend(
      api,
      original,
      {
        id: 'glm-plan',
        name: 'GLM plan (demo)',
        preset: 'zai-coding-plan',
        baseUrl: emulator.baseUrls.zaiCodingPlan,
        apiKeyEnv: 'SWITCHBOARD_ZAI_KEY',
      },
      'zai-demo-key-0123456789',
    );
    try {
      const document = await vscode.workspace.openTextDocument({
        language: 'javascript',
        content: 'function add(a, b) {\n}\n// sum\n',
      });
      await itemsAt(api, document, new vscode.Position(0, 'function add(a, b) {'.length));
      await itemsAt(api, document, new vscode.Position(2, '// sum'.length));
      const failure = await eventually(
        () => api.limits.stateOf('glm-plan')?.failure,
        (found) => found !== undefined,
        'the spent window to stop the backend',
      );
      assert.equal(failure?.kind, 'quota-exhausted', 'a spent plan window, not a rate limit retried on every key');
      assert.match(failure?.message ?? '', /5 小时的使用上限/, "Z.ai's own words are kept");
      await eventually(
        () => notices.length,
        (count) => count > 0,
        'a notification',
      );
      assert.match(notices[0]?.message ?? '', /^GLM plan \(demo\) has used up its quota/);
      const sent = emulator.count('/api/coding/paas/v4/chat/completions');
      await itemsAt(api, document, new vscode.Position(0, 'function add(a, b) {'.length));
      assert.equal(
        emulator.count('/api/coding/paas/v4/chat/completions'),
        sent,
        'nothing more is sent to a spent plan',
      );
    } finally {
      subscription.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
