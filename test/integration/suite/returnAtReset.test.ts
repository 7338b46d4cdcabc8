import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, eventually } from './helpers';

/** One completion request at a fresh spot, so nothing is answered from the cache. */
async function complete(api: Awaited<ReturnType<typeof activateSwitchboard>>): Promise<void> {
  const line = `function returnAtReset${Date.now()}(a, b) {`;
  const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${line}\n}\n` });
  const source = new vscode.CancellationTokenSource();
  await api.inlineCompletionProvider.provideInlineCompletionItems(
    document,
    new vscode.Position(0, line.length),
    { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
    source.token,
  );
}

describe('return at the reset', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];

  before(() => {
    original = config().get<unknown[]>('providers') ?? [];
  });
  afterEach(async () => {
    await config().update('fallback', undefined, vscode.ConfigurationTarget.Global);
    await config().update('completion.yieldToChat', undefined, vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
  });

  it('counts down to the reset after a fallback, and a manual switch of each role cancels its return', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const emulator = original[0] as { baseUrl: string };
    await config().update(
      'providers',
      [
        ...original,
        {
          id: 'daily-one',
          name: 'Daily One',
          preset: 'custom',
          baseUrl: emulator.baseUrl,
          completionModel: 'emulator-coder',
          limits: { requestsPerDay: 1 },
        },
        {
          id: 'standby',
          name: 'Standby',
          preset: 'custom',
          baseUrl: emulator.baseUrl,
          completionModel: 'emulator-coder',
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('fallback', ['standby'], vscode.ConfigurationTarget.Global);
    // Completion spends the window to its end here, as it does with the yielding turned off.
    await config().update('completion.yieldToChat', false, vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', 'daily-one', vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', 'daily-one', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Daily One'),
      'the status bar to show the limited backend',
    );
    await complete(api);
    // The user's own daily limit resets at the next UTC midnight, shown in this machine's time.
    const text = await eventually(
      () => api.statusBarItem.text,
      (value) => /^\$\(plug\) on Standby until Daily One resets at \d\d:\d\d$/.test(value),
      'the countdown in the status bar',
    );
    const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /Completion and chat moved to Standby because Daily One reached its limit/, text);
    assert.match(tooltip, /then Switchboard checks it with one small request and moves back by itself/);

    // "Try Daily One again" sends nothing while the user's own limit holds, and says so.
    const probes = async () => {
      let count = 0;
      for await (const record of api.meter.records({ from: Date.now() - 60_000 }))
        if (record.feature === 'probe') count++;
      return count;
    };
    await vscode.commands.executeCommand('switchboard.tryBackendAgain', 'daily-one');
    assert.equal(await probes(), 0, "no request past the user's own limit");
    await eventually(
      () => api.statusBarItem.text,
      (value) => /^\$\(plug\) on Standby · trying Daily One again at \d\d:\d\d$/.test(value),
      'the next try, at the reset',
    );
    assert.equal(config().get('completion.provider'), 'standby');

    // The user moves completion themselves: completion stays; chat still waits for the reset.
    await config().update('completion.provider', 'emulator', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (value) =>
        /^\$\(plug\) Emulator \(demo\) · chat: Standby .*· on Standby · trying Daily One again at \d\d:\d\d$/.test(
          value,
        ),
      'only chat to wait',
    );
    assert.match((api.statusBarItem.tooltip as vscode.MarkdownString).value, /Chat moved to Standby/);
    await config().update('chat.provider', 'emulator', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (value) => !value.includes('Daily One'),
      'no return to wait for',
    );
  });
});
