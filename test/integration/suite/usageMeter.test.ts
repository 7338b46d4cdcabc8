import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, eventually } from './helpers';

let completions = 0;

/** One completion request: a new function each time, so nothing is answered from the cache. */
async function complete(api: Awaited<ReturnType<typeof activateSwitchboard>>): Promise<void> {
  const line = `function add${++completions}(a, b) {`;
  const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${line}\n}\n` });
  const source = new vscode.CancellationTokenSource();
  await api.inlineCompletionProvider.provideInlineCompletionItems(
    document,
    new vscode.Position(0, line.length),
    { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
    source.token,
  );
}

describe('usage meter in the status bar and the picker', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    // These tests run limits out through completion on purpose: completion must not yield to chat.
    await config().update('completion.yieldToChat', false, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('completion.yieldToChat', undefined, vscode.ConfigurationTarget.Global);
  });
  afterEach(async () => {
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
  });

  it('status bar text, colour and tooltip follow the meter: warning from 80%, error at the limit', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const emulator = original[0] as { baseUrl: string };
    await config().update(
      'providers',
      [
        ...original,
        {
          id: 'limited',
          name: 'Limited Backend',
          preset: 'custom',
          baseUrl: emulator.baseUrl,
          completionModel: 'emulator-coder',
          limits: { requestsPerDay: 5 },
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', 'limited', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Limited Backend'),
      'the status bar to show the limited backend',
    );

    for (let i = 0; i < 4; i++) await complete(api);
    await eventually(
      () => api.statusBarItem.backgroundColor?.id,
      (id) => id === 'statusBarItem.warningBackground',
      'warning colours at 4 of 5',
    );
    assert.match(
      api.statusBarItem.text,
      /^\$\(warning\) Limited Backend · chat: Emulator \(demo\) · 4\/5 requests today$/,
    );
    const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /Limited Backend is at 80% of a limit: 4 of 5 requests today; it resets at 00:00 UTC/);
    assert.match(
      tooltip,
      /\| Limited Backend \| 4 req · price unknown \| price unknown \| 1 request today \| 00:00 UTC \|/,
    );

    await complete(api);
    await eventually(
      () => api.statusBarItem.backgroundColor?.id,
      (id) => id === 'statusBarItem.errorBackground',
      'error colours at 5 of 5',
    );
    assert.match(
      api.statusBarItem.text,
      /^\$\(error\) Limited Backend · chat: Emulator \(demo\) · 5\/5 requests today$/,
    );
    assert.equal(api.limits.stateOf('limited')?.level, 'exhausted');
  });

  it('with a fallback order set, an exhausted backend is switched away from by itself', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const emulator = original[0] as { baseUrl: string };
    await config().update(
      'providers',
      [
        ...original,
        {
          id: 'tiny',
          name: 'Tiny Quota',
          preset: 'custom',
          baseUrl: emulator.baseUrl,
          completionModel: 'emulator-coder',
          limits: { requestsPerDay: 1 },
        },
        {
          id: 'spare',
          name: 'Spare Backend',
          preset: 'custom',
          baseUrl: emulator.baseUrl,
          completionModel: 'emulator-coder',
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('fallback', ['spare'], vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', 'tiny', vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', 'tiny', vscode.ConfigurationTarget.Global);
    try {
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('Tiny Quota'),
        'the status bar to show the tiny backend',
      );
      await complete(api);
      await eventually(
        () => config().get('completion.provider'),
        (id) => id === 'spare',
        'completion to move to the fallback',
      );
      // The two settings are written one after the other.
      await eventually(
        () => config().get('chat.provider'),
        (id) => id === 'spare',
        'chat to move with it',
      );
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('Spare Backend'),
        'the status bar to follow',
      );
    } finally {
      await config().update('fallback', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the switch picker changes the settings', async () => {
    await activateSwitchboard();
    const emulator = original[0] as { baseUrl: string };
    await config().update(
      'providers',
      [...original, { id: 'second', name: 'Second Backend', preset: 'custom', baseUrl: emulator.baseUrl }],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', 'second', vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', 'second', vscode.ConfigurationTarget.Global);
    // Open the picker, take its first entry (the emulator), then "Completion and chat".
    const done = vscode.commands.executeCommand('switchboard.switchProvider');
    for (const _step of ['backend', 'features']) {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    await done;
    assert.equal(config().get('completion.provider'), 'emulator');
    assert.equal(config().get('chat.provider'), 'emulator');
  });
});
