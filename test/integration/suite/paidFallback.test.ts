import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Notice } from '../../../src/usage/limitMonitor';
import { activateSwitchboard, eventually } from './helpers';

let completions = 0;

/** One completion request: a new function each time, so nothing is answered from the cache. */
async function complete(api: Awaited<ReturnType<typeof activateSwitchboard>>): Promise<void> {
  const line = `function paid${++completions}(a, b) {`;
  const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${line}\n}\n` });
  const source = new vscode.CancellationTokenSource();
  await api.inlineCompletionProvider.provideInlineCompletionItems(
    document,
    new vscode.Position(0, line.length),
    { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
    source.token,
  );
}

describe('the automatic fallback never slides into paid', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];

  before(() => {
    original = config().get<unknown[]>('providers') ?? [];
  });
  afterEach(async () => {
    for (const key of [
      'completion.provider',
      'chat.provider',
      'fallback',
      'paidFallbackAllowed',
      'fallbackBudget',
      'completion.yieldToChat',
    ])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
  });

  /** A free backend (the user's own price of 0) with a daily limit of one request, and a paid spare. */
  async function setUp(freeId: string): Promise<void> {
    const emulator = original[0] as { baseUrl: string };
    await config().update(
      'providers',
      [
        ...original,
        {
          id: freeId,
          name: 'Free Tiny',
          preset: 'custom',
          baseUrl: emulator.baseUrl,
          completionModel: 'emulator-coder',
          limits: { requestsPerDay: 1 },
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        },
        {
          id: 'paid-spare',
          name: 'Paid Spare',
          preset: 'custom',
          baseUrl: emulator.baseUrl,
          completionModel: 'emulator-coder',
          prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } },
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('fallback', ['paid-spare'], vscode.ConfigurationTarget.Global);
    // The one request a day is spent by completion on purpose, which its gears would keep for chat.
    await config().update('completion.yieldToChat', false, vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', freeId, vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', freeId, vscode.ConfigurationTarget.Global);
  }

  it('asks with the price instead of switching to a paid backend not confirmed yet', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      await setUp('free-tiny');
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('Free Tiny'),
        'the free backend',
      );
      await complete(api);
      const asked = await eventually(
        () => notices.find((notice) => notice.level === 'error' && /nothing was switched/.test(notice.message)),
        Boolean,
        'a notification that asks',
      );
      // The host follows the name: the spare is not at its preset's own address.
      assert.match(
        asked!.message,
        /Next in switchboard\.fallback is Paid Spare · [\d.:]+, which is paid \(~\$0\.0065\/request\)/,
      );
      assert.ok(
        asked!.buttons.some((label) => /^Switch to Paid Spare · [\d.:]+ \(paid, ~\$0\.0065\/request\)$/.test(label)),
        asked!.buttons.join(', '),
      );
      // A switch would have been written before the notification; give it time to show anyway.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.equal(config().get('completion.provider'), 'free-tiny', 'completion stays on the free backend');
      assert.equal(config().get('chat.provider'), 'free-tiny', 'chat stays on the free backend');
    } finally {
      subscription.dispose();
    }
  });

  it('switches by itself to a paid backend the user confirmed before', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    await config().update('paidFallbackAllowed', ['paid-spare'], vscode.ConfigurationTarget.Global);
    // Another id: a backend the monitor has not announced yet, with nothing counted today.
    await setUp('free-tiny-2');
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Free Tiny'),
      'the free backend',
    );
    await complete(api);
    await eventually(
      () => config().get('completion.provider'),
      (id) => id === 'paid-spare',
      'completion to move to the confirmed paid backend',
    );
  });

  it('at the daily fallback budget, sends the roles back and says so once', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      await config().update('paidFallbackAllowed', ['paid-spare'], vscode.ConfigurationTarget.Global);
      // Ten micro-dollars: less than one request to the spare costs.
      await config().update('fallbackBudget', { usdPerDay: 0.00001 }, vscode.ConfigurationTarget.Global);
      await setUp('free-tiny-3');
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('Free Tiny'),
        'the free backend',
      );
      await complete(api);
      await eventually(
        () => config().get('completion.provider'),
        (id) => id === 'paid-spare',
        'the fallback',
      );
      await complete(api);
      await eventually(
        () => config().get('completion.provider'),
        (id) => id === 'free-tiny-3',
        'completion to go back at the cap',
        10_000,
      );
      // The notification follows the two settings writes that move the roles back.
      const capped = await eventually(
        () => notices.filter((notice) => /fallback budget/.test(notice.message)),
        (found) => found.length > 0,
        'the notification at the cap',
      );
      assert.equal(capped.length, 1, JSON.stringify(notices));
      assert.match(capped[0]!.message, /completion and chat went back to Free Tiny/);
      assert.ok(
        capped[0]!.buttons.some((label) => label.startsWith('Keep using Paid Spare')),
        capped[0]!.buttons.join(),
      );
      await complete(api);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.equal(notices.filter((notice) => /fallback budget/.test(notice.message)).length, 1, 'said once');
    } finally {
      subscription.dispose();
    }
  });
});
