import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateSwitchboard,
  activateWithLedger,
  clearUserSettings,
  completeNewFunction,
  config,
  emulatorBackend,
  eventually,
  restoreSettingsAfterEach,
  setUserSettings,
  statusBarText,
} from './helpers';

describe('usage meter in the status bar and the picker', () => {
  const start = restoreSettingsAfterEach(['completion.provider', 'chat.provider']);

  // These tests run limits out through completion on purpose: completion must not yield to chat.
  before(() => setUserSettings({ 'completion.yieldToChat': false }));
  after(() => clearUserSettings(['completion.yieldToChat']));

  it('status bar text, colour and tooltip follow the meter: warning from 80%, error at the limit', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'limited', 'Limited Backend', { limits: { requestsPerDay: 5 } }),
      ],
      'completion.provider': 'limited',
    });
    await statusBarText(api, (text) => text.includes('Limited Backend'), 'the status bar to show the limited backend');

    for (let i = 0; i < 4; i++) await completeNewFunction(api, 'add');
    await eventually(
      () => api.statusBarItem.backgroundColor?.id,
      (id) => id === 'statusBarItem.warningBackground',
      'warning colours at 4 of 5',
    );
    assert.match(
      api.statusBarItem.text,
      /^\$\(warning\) Limited Backend · chat: Emulator \(demo\) · Limited Backend: 4\/5 requests today$/,
    );
    const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /Limited Backend is at 80% of a limit: 4 of 5 requests today; it resets at 00:00 UTC/);
    assert.match(
      tooltip,
      /\| Limited Backend \| 4 req · price unknown \| price unknown \| 1 request today \| 00:00 UTC \|/,
    );

    await completeNewFunction(api, 'add');
    await eventually(
      () => api.statusBarItem.backgroundColor?.id,
      (id) => id === 'statusBarItem.errorBackground',
      'error colours at 5 of 5',
    );
    assert.match(
      api.statusBarItem.text,
      /^\$\(error\) Limited Backend · chat: Emulator \(demo\) · Limited Backend: 5\/5 requests today$/,
    );
    assert.equal(api.limits.stateOf('limited')?.level, 'exhausted');
  });

  it('a backend that spent nothing reads “no cost” in the tooltip, never dollars it does not bill in', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'quiet-yuan', 'Quiet Yuan', {
          prices: { '*': { inputPerMTok: 4, outputPerMTok: 16, currency: 'CNY' } },
        }),
      ],
    });
    const tooltip = await eventually(
      () => (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
      (value) => value.includes('| Quiet Yuan |'),
      'the tooltip to list the new backend',
    );
    assert.match(tooltip, /\| Quiet Yuan \| 0 req · no cost \| no cost \|/);
  });

  it('a local backend reads “free (local)”, never “$0.00” as if it were metered', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        {
          id: 'local-free',
          name: 'Local Ollama',
          preset: 'ollama',
          baseUrl: new URL(start.emulatorBaseUrl).origin,
          completionModel: 'emulator-coder',
          chatModel: 'emulator-coder',
        },
      ],
      'completion.provider': 'local-free',
      'chat.provider': 'local-free',
    });
    await statusBarText(api, (text) => text.includes('Local Ollama'), 'the status bar to show the local backend');
    assert.equal(await completeNewFunction(api, 'local'), 1);
    const text = await statusBarText(
      api,
      (value) => /free|today/.test(value),
      'the status bar to show what the local backend cost',
    );
    assert.match(text, /^\$\(plug\) Local Ollama · free \(local\)$/);
    const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    // Beside it, every backend's spend today when others had requests (earlier tests' here), never "$0.00".
    assert.match(tooltip, /Spent today on this backend: free \(local\)( \(all backends: [^)\n]+\))?\n/);
    assert.doesNotMatch(tooltip, /Spent today on this backend: free \(local\) \(all backends: \\?\$0\.00\)/);
    assert.match(tooltip, /\| Local Ollama \| 1 req · free \(local\) \| free \(local\) \|/);
  });

  it('a plan added after metered requests this month: the month shows the metered spend beside the plan', async () => {
    const api = await activateWithLedger();
    const metered = emulatorBackend(start.emulatorBaseUrl, 'plan-later', 'Plan Later', {
      prices: { '*': { inputPerMTok: 1000, outputPerMTok: 1000 } },
    });
    await setUserSettings({ providers: [...start.providers, metered], 'completion.provider': 'plan-later' });
    await statusBarText(api, (text) => text.includes('Plan Later'), 'the status bar to show the metered backend');
    assert.equal(await completeNewFunction(api, 'planLater'), 1);
    await statusBarText(api, (text) => /\$[\d.]+ today/.test(text), 'the metered spend to show');
    await setUserSettings({
      providers: [...start.providers, { ...metered, plan: { requestsPer5h: 1000 } }],
    });
    const tooltip = await eventually(
      () => (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
      (value) => /Plan Later: your numbers/.test(value),
      'the tooltip to show the plan',
    );
    const row = tooltip.split('\n').find((line) => line.startsWith('| Plan Later |')) ?? '';
    assert.doesNotMatch(row, /included in plan/, row);
    // The tooltip's Markdown escapes "$".
    assert.match(row, /\| 1 req · \\\$[\d.]+ \| \\\$[\d.]+ \|/, row);
  });

  it('with a fallback order set, an exhausted backend is switched away from by itself', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'tiny', 'Tiny Quota', { limits: { requestsPerDay: 1 } }),
        emulatorBackend(start.emulatorBaseUrl, 'spare', 'Spare Backend'),
      ],
      fallback: ['spare'],
      'completion.provider': 'tiny',
      'chat.provider': 'tiny',
    });
    try {
      await statusBarText(api, (text) => text.includes('Tiny Quota'), 'the status bar to show the tiny backend');
      await completeNewFunction(api, 'add');
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
      await statusBarText(api, (text) => text.includes('Spare Backend'), 'the status bar to follow');
    } finally {
      await clearUserSettings(['fallback']);
    }
  });

  it('the switch picker changes the settings', async () => {
    await activateSwitchboard();
    await setUserSettings({
      providers: [
        ...start.providers,
        { id: 'second', name: 'Second Backend', preset: 'custom', baseUrl: start.emulatorBaseUrl },
      ],
      'completion.provider': 'second',
      'chat.provider': 'second',
    });
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

  it('Show Usage puts each line’s cost first, where a long line is not cut', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'priced', 'A backend with a rather long name (region)', {
          prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } },
        }),
      ],
      'completion.provider': 'priced',
    });
    await completeNewFunction(api, 'usageLine');
    await eventually(
      () => api.meter.today('priced')?.requests ?? 0,
      (requests) => requests > 0,
      'the request in the ledger',
    );
    const window = vscode.window as { showQuickPick: unknown };
    const pick = window.showQuickPick;
    let shown: vscode.QuickPickItem[] = [];
    window.showQuickPick = async (items: vscode.QuickPickItem[]) => {
      shown = items;
      return undefined;
    };
    try {
      await vscode.commands.executeCommand('switchboard.showUsage');
    } finally {
      window.showQuickPick = pick;
    }
    const row = shown.find((item) => item.label === 'A backend with a rather long name (region)');
    assert.match(row?.description ?? '', /^today: (< )?\$\d/, JSON.stringify(row));
    assert.match(row?.detail ?? '', /^this month: (< )?\$\d/, JSON.stringify(row));
  });

  it('offers "Set price…" for unpriced requests only while the price is unknown', async () => {
    const api = await activateWithLedger();
    const unpriced = emulatorBackend(start.emulatorBaseUrl, 'unpriced', 'Unpriced Gateway');
    await setUserSettings({ providers: [...start.providers, unpriced], 'completion.provider': 'unpriced' });
    await statusBarText(api, (text) => text.includes('Unpriced Gateway'), 'the status bar to show the gateway');
    await completeNewFunction(api, 'unpriced');
    const tooltip = () => (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    await eventually(
      tooltip,
      (text) => text.includes('Unpriced Gateway has requests with no known price: [Set price…]'),
      'the link to set its price',
    );

    // The price set (as Set Price… writes it): today's earlier requests stay unpriced, and no link
    // says otherwise by leading to the same question again.
    await setUserSettings({
      providers: [...start.providers, { ...unpriced, prices: { '*': { inputPerMTok: 0.5, outputPerMTok: 2 } } }],
    });
    const after = await eventually(
      tooltip,
      (text) => !text.includes('Unpriced Gateway has requests with no known price'),
      'the link gone once the price is set',
    );
    assert.doesNotMatch(after, /Unpriced Gateway[^\n]*command:switchboard\.setPrice/);
    assert.match(after, /Unpriced Gateway's requests from before its price was set stay unpriced/);
  });
});
