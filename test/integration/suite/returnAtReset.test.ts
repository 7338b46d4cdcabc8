import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator/server';
import {
  activateWithLedger,
  completeNewFunction,
  config,
  emulatorBackend,
  restoreSettingsAfterEach,
  setUserSettings,
  statusBarText,
} from './helpers';

describe('return at the reset', () => {
  const start = restoreSettingsAfterEach([
    'budget',
    'fallback',
    'completion.yieldToChat',
    'completion.provider',
    'chat.provider',
  ]);

  it('counts down to the reset after a fallback, and a manual switch of each role cancels its return', async () => {
    const api = await activateWithLedger();
    // The status bar also names the active editor's language when completion is off for it: no
    // editor left in front by an earlier test may add that to the text read below.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'daily-one', 'Daily One', { limits: { requestsPerDay: 1 } }),
        emulatorBackend(start.emulatorBaseUrl, 'standby', 'Standby'),
      ],
      fallback: ['standby'],
      // Completion spends the window to its end here, as it does with the yielding turned off.
      'completion.yieldToChat': false,
      'completion.provider': 'daily-one',
      'chat.provider': 'daily-one',
    });
    await statusBarText(api, (text) => text.includes('Daily One'), 'the status bar to show the limited backend');
    await completeNewFunction(api, 'returnAtReset');
    // The user's own daily limit resets at the next UTC midnight, shown in this machine's time.
    const text = await statusBarText(
      api,
      // Whatever editor is in front may add why completion is off for it ("· off for plaintext").
      (value) => /^\$\(plug\) on Standby until Daily One resets at \d\d:\d\d( · off for [^·]+)?$/.test(value),
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
    await statusBarText(
      api,
      // Nothing was sent: the bar says what holds the return, and when the probe goes out next.
      (value) =>
        /^\$\(plug\) on Standby · return to Daily One held by your limit, next try at \d\d:\d\d( · off for [^·]+)?$/.test(
          value,
        ),
      'the held return, and its next try at the reset',
    );
    assert.equal(config().get('completion.provider'), 'standby');

    // The user moves completion themselves: completion stays; chat still waits for the reset.
    await setUserSettings({ 'completion.provider': 'emulator' });
    await statusBarText(
      api,
      (value) =>
        /^\$\(plug\) Emulator \(demo\) · chat: Standby .*· on Standby · return to Daily One held by your limit, next try at \d\d:\d\d$/.test(
          value,
        ),
      'only chat to wait',
    );
    assert.match((api.statusBarItem.tooltip as vscode.MarkdownString).value, /Chat moved to Standby/);
    await setUserSettings({ 'chat.provider': 'emulator' });
    await statusBarText(api, (value) => !value.includes('Daily One'), 'no return to wait for');
  });

  it('names whose limit the figure is when the status bar names two backends', async () => {
    // Ids of its own: the ledger keeps what earlier tests spent today on theirs.
    const api = await activateWithLedger();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'whose-daily', 'Whose Daily', { limits: { requestsPerDay: 1 } }),
        emulatorBackend(start.emulatorBaseUrl, 'whose-backup', 'Backup', { limits: { requestsPerDay: 1 } }),
      ],
      fallback: ['whose-backup'],
      'completion.yieldToChat': false,
      'completion.provider': 'whose-daily',
      'chat.provider': 'whose-daily',
    });
    await statusBarText(api, (text) => text.includes('Whose Daily'), 'the status bar to show the limited backend');
    await completeNewFunction(api, 'whoseLimit');
    await statusBarText(api, (text) => text.includes('on Backup until Whose Daily resets'), 'the fallback');
    // The backup spends its own day too: "1/1 requests today" alone would read as Whose Daily's.
    await completeNewFunction(api, 'whoseLimit');
    await statusBarText(
      api,
      (value) =>
        /^\$\(error\) on Backup until Whose Daily resets at \d\d:\d\d · Backup: 1\/1 requests today( · off for [^·]+)?$/.test(
          value,
        ),
      "the backup's figure, named",
    );

    // Each role on its own backend: the figure says which one it is about.
    // (Moving chat away by hand also cancels its return.)
    await setUserSettings({ 'completion.provider': 'whose-backup', 'chat.provider': 'emulator' });
    await statusBarText(
      api,
      (value) => /^\$\(error\) Backup · chat: Emulator \(demo\) · Backup: 1\/1 requests today/.test(value),
      'the figure named with two backends shown',
    );
    // One backend for both roles, chosen by hand (which cancels completion's return): its name is already there.
    await setUserSettings({ 'completion.provider': 'emulator' });
    await statusBarText(api, (value) => !value.includes('Whose Daily'), 'no return to wait for');
    await setUserSettings({ 'completion.provider': 'whose-backup', 'chat.provider': 'whose-backup' });
    await statusBarText(
      api,
      (value) => /^\$\(error\) Backup · 1\/1 requests today/.test(value),
      'the figure alone with one backend shown',
    );
  });

  it('"Try again" sends no probe while the budget for all backends is spent', async () => {
    const api = await activateWithLedger();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The server's own day holds one request; the user's budget for all backends holds one too.
    const server = await startEmulator({ requestsPerDay: 1 });
    try {
      await setUserSettings({
        providers: [
          ...start.providers,
          emulatorBackend(server.openaiBaseUrl, 'priced-one', 'Priced One', {
            prices: { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } },
          }),
          emulatorBackend(start.emulatorBaseUrl, 'standby', 'Standby'),
        ],
        budget: { usdPerDay: 0.000001 },
        fallback: ['standby'],
        'completion.yieldToChat': false,
        'completion.provider': 'priced-one',
        'chat.provider': 'priced-one',
      });
      await statusBarText(api, (text) => text.includes('Priced One'), 'the priced backend');
      await completeNewFunction(api, 'returnBudget');
      // Past the budget only Alt+\ asks; the server's day is spent too, and completion falls back.
      await completeNewFunction(api, 'returnBudget', vscode.InlineCompletionTriggerKind.Invoke);
      await statusBarText(api, (text) => text.includes('on Standby'), 'the fallback and its return');
      const since = Date.now();
      const shown: string[] = [];
      const window = vscode.window as { showWarningMessage: unknown };
      const original = window.showWarningMessage;
      window.showWarningMessage = (message: string) => {
        shown.push(message);
        return Promise.resolve(undefined);
      };
      try {
        await vscode.commands.executeCommand('switchboard.tryBackendAgain', 'priced-one');
      } finally {
        window.showWarningMessage = original;
      }
      // What the user reads: nothing was sent, and why; not that the backend "is not back yet".
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(
        shown[0]!,
        /^Switchboard: nothing was sent to Priced One: the budget for all backends is spent\. Switchboard tries again at /,
      );
      let probes = 0;
      for await (const record of api.meter.records({ from: since })) if (record.feature === 'probe') probes++;
      assert.equal(probes, 0, 'no billed probe while the budget is spent');
      // Nor does the status bar claim a try: the return is held by the budget until it resets.
      await statusBarText(
        api,
        (text) => / · return to Priced One held by a budget, next try at \d\d:\d\d/.test(text) && !/trying/.test(text),
        'the return held by the budget',
      );
    } finally {
      await server.close();
    }
  });
});
