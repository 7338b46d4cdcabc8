import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { Notice } from '../../../src/usage/limitMonitor';
import { activateSwitchboard, completeNewFunction, eventually } from './helpers';

const { Automatic, Invoke } = vscode.InlineCompletionTriggerKind;
const COMPLETIONS = '/v1/completions';
/** Every request that generates, whichever route the preset fills the middle by. */
const GENERATIONS = /^\/v1\/(?:chat\/)?completions$/;

describe("a backend's own budget", () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    emulator = await startEmulator();
  });
  after(async () => {
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  const entry = (action: 'pause' | 'warn') => ({
    id: 'budgeted',
    name: 'Budgeted (demo)',
    preset: 'custom',
    baseUrl: emulator.baseUrls.openai,
    completionModel: 'emulator-coder',
    // One request spends the day's budget.
    limits: { usdPerDay: 0.000001, action },
    prices: { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } },
  });

  it('pauses automatic completion at 100%, lets Alt+\\ through, and only warns with "warn"', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    await config().update('providers', [entry('pause')], vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', 'budgeted', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Budgeted'),
      'the backend in use',
    );

    await completeNewFunction(api, 'budget', Automatic);
    assert.equal(emulator.count(COMPLETIONS), 1, 'the first request goes out');
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('completion paused'),
      'the pause',
    );
    assert.match(api.statusBarItem.text, /completion paused · budget · until \d\d:\d\d/);
    const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    // Markdown-escaped: "\<", "\$".
    assert.match(tooltip, /paused by Budgeted \(demo\)'s today's .+ budget, until/);
    assert.match(tooltip, /spent today: \\\$0\.\d+/);

    for (let i = 0; i < 3; i++) await completeNewFunction(api, 'budget', Automatic);
    assert.equal(emulator.count(COMPLETIONS), 1, 'no automatic request while the budget holds');

    // Asked for, completion sends one request per candidate (`completion.manualCandidates`).
    await completeNewFunction(api, 'budget', Invoke);
    const asked = emulator.count(COMPLETIONS);
    assert.ok(asked > 1, 'a request asked for still goes');

    await config().update('providers', [entry('warn')], vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => !text.includes('completion paused'),
      'the pause to end',
    );
    await completeNewFunction(api, 'budget', Automatic);
    assert.equal(emulator.count(COMPLETIONS), asked + 1, 'a budget set to warn stops nothing');
  });

  it('pauses a "local" server the user priced (a vLLM on a rented GPU) at 100% of its budget too', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const gpu = {
      id: 'rented-gpu',
      name: 'Rented GPU (demo)',
      preset: 'vllm',
      baseUrl: emulator.baseUrls.openai,
      limits: { usdPerDay: 0.000001 },
      prices: { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } },
    };
    await config().update('providers', [gpu], vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', 'rented-gpu', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Rented GPU'),
      'the backend in use',
    );
    const before = emulator.count(GENERATIONS);
    await completeNewFunction(api, 'gpu', Automatic);
    assert.equal(emulator.count(GENERATIONS), before + 1, 'the first request goes out');
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('completion paused'),
      'the pause: the server is local, but the user said what it costs',
    );
    for (let i = 0; i < 3; i++) await completeNewFunction(api, 'gpu', Automatic);
    assert.equal(emulator.count(GENERATIONS), before + 1, 'no automatic request while the budget holds');
  });

  it('an 80% warning still up when the budget is reached: its "Raise budget…" checks what is spent now', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    // VS Code cannot close a shown notification: each one here stays up until the test answers it.
    const window = vscode.window as unknown as Record<string, unknown>;
    const saved = [window.showWarningMessage, window.showErrorMessage, window.showInputBox];
    const toasts: { message: string; answer: (choice: string | undefined) => void }[] = [];
    const stay = (message: string) =>
      new Promise<string | undefined>((resolve) => toasts.push({ message, answer: resolve }));
    let asked: vscode.InputBoxOptions | undefined;
    window.showWarningMessage = stay;
    window.showErrorMessage = stay;
    window.showInputBox = (options: vscode.InputBoxOptions) => {
      asked = options;
      return Promise.resolve(undefined);
    };
    const stale = (usdPerDay: number) => ({
      id: 'stale',
      name: 'Stale (demo)',
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      completionModel: 'emulator-coder',
      limits: { usdPerDay, action: 'warn' },
      prices: { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } },
    });
    const said = () => toasts.filter((toast) => toast.message.includes('Stale (demo)'));
    try {
      await config().update('providers', [stale(1_000)], vscode.ConfigurationTarget.Global);
      await config().update('completion.provider', 'stale', vscode.ConfigurationTarget.Global);
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('Stale'),
        'the backend in use',
      );
      await completeNewFunction(api, 'stale', Automatic);
      const spent = await eventually(
        () => api.meter.today('stale')?.cost.USD ?? 0,
        (micros) => micros > 0,
        "the request's cost",
      );
      // The budget set so that this spend is 85% of it: the warning.
      await config().update('providers', [stale(spent / 0.85 / 1_000_000)], vscode.ConfigurationTarget.Global);
      const [warning] = await eventually(said, (found) => found.length === 1, 'the 80% warning');
      // The next request reaches the budget ("warn" lets it go): a second notification, the first still up.
      await completeNewFunction(api, 'stale', Automatic);
      await eventually(said, (found) => found.length === 2, 'the notification at 100%');
      const now = api.meter.today('stale')?.cost.USD ?? 0;
      assert.ok(now > spent * 1.5, `spent ${now} after ${spent}`);

      warning!.answer('Raise budget…');
      const box = await eventually(() => asked, Boolean, 'the new amount asked for');
      // An amount above the spend when the warning was shown, below what is spent now, would hold at once.
      const error = await box!.validateInput?.(String((spent * 1.5) / 1_000_000));
      assert.match(String(error ?? ''), /more than what is already spent/);
    } finally {
      [window.showWarningMessage, window.showErrorMessage, window.showInputBox] = saved;
      for (const toast of toasts) toast.answer(undefined);
    }
  });

  it('lowered below what is spent, holds at once and says so once; raised a little and reached again, says so again', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    const said = () => notices.filter((notice) => notice.message.includes('Lowered (demo)'));
    const lowered = (usdPerDay: number) => ({
      id: 'lowered',
      name: 'Lowered (demo)',
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      completionModel: 'emulator-coder',
      limits: { usdPerDay },
      prices: { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } },
    });
    try {
      await config().update('providers', [lowered(1_000)], vscode.ConfigurationTarget.Global);
      await config().update('completion.provider', 'lowered', vscode.ConfigurationTarget.Global);
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('Lowered'),
        'the backend in use',
      );
      const before = emulator.count(COMPLETIONS);
      await completeNewFunction(api, 'lowered', Automatic);
      const spent = await eventually(
        () => api.meter.today('lowered')?.cost.USD ?? 0,
        (micros) => micros > 0,
        "the request's cost",
      );

      // Lowered mid-day below what is spent: the pause is on at once, with no request in between.
      await config().update('providers', [lowered(spent / 2 / 1_000_000)], vscode.ConfigurationTarget.Global);
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('completion paused'),
        'the pause',
      );
      await eventually(said, (found) => found.length === 1, 'the notification');
      for (let i = 0; i < 2; i++) await completeNewFunction(api, 'lowered', Automatic);
      assert.equal(emulator.count(COMPLETIONS), before + 1, 'no automatic request past the lowered budget');
      assert.equal(said().length, 1, 'said once');

      // "Raise budget…" to a little above what is spent (90% of it): completion goes again, and
      // the next request spends the raised budget, which is news again.
      await config().update('providers', [lowered(spent / 0.9 / 1_000_000)], vscode.ConfigurationTarget.Global);
      await eventually(
        () => api.statusBarItem.text,
        (text) => !text.includes('completion paused'),
        'the pause to end',
      );
      await completeNewFunction(api, 'lowered', Automatic);
      assert.equal(emulator.count(COMPLETIONS), before + 2, 'the raised budget lets a request through');
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('completion paused'),
        'the pause at the raised budget',
      );
      await eventually(said, (found) => found.length === 2, 'a notification that the raised budget is spent too');
    } finally {
      subscription.dispose();
    }
  });

  it("says once that a backend's own budget cannot count what it spends: in another currency, or at an unknown price", async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    const said = (id: string) => notices.filter((notice) => notice.message.includes(id));
    try {
      // Billed in yuan (Moonshot .cn, Model Studio Beijing), with a budget in dollars.
      const yuan = {
        id: 'yuan-billed',
        name: 'Yuan billed (demo)',
        preset: 'custom',
        baseUrl: emulator.baseUrls.openai,
        completionModel: 'emulator-coder',
        limits: { usdPerDay: 0.000001 },
        prices: { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000, currency: 'CNY' } },
      };
      // Nobody knows its price.
      const unpriced = {
        id: 'unpriced',
        name: 'Unpriced (demo)',
        preset: 'custom',
        baseUrl: emulator.baseUrls.openai,
        completionModel: 'emulator-coder',
        limits: { usdPerDay: 0.000001 },
      };
      await config().update('providers', [yuan, unpriced], vscode.ConfigurationTarget.Global);
      await config().update('completion.provider', 'yuan-billed', vscode.ConfigurationTarget.Global);
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('Yuan billed'),
        'the backend in use',
      );
      const before = emulator.count(COMPLETIONS);
      for (let i = 0; i < 3; i++) await completeNewFunction(api, 'yuan', Automatic);
      // What the setting promises cannot hold; the user is told instead of finding out on the bill.
      assert.equal(emulator.count(COMPLETIONS), before + 3, 'a dollar budget never pauses a backend billed in yuan');
      const [currency] = await eventually(
        () => said('Yuan billed (demo)'),
        (found) => found.length > 0,
        'the note on the budget in dollars',
      );
      assert.match(currency?.message ?? '', /bills in yuan.*limits\.usdPerDay.*counts nothing.*limits\.cnyPerDay/);
      const [unknown] = await eventually(
        () => said('Unpriced (demo)'),
        (found) => found.length > 0,
        'the note on the budget of an unknown price',
      );
      assert.match(unknown?.message ?? '', /price is unknown.*limits\.usdPerDay.*counts nothing/);
      assert.ok(unknown?.buttons.includes('Set Price…'), JSON.stringify(unknown?.buttons));
      await completeNewFunction(api, 'yuan', Automatic);
      await config().update('completion.provider', 'unpriced', vscode.ConfigurationTarget.Global);
      await completeNewFunction(api, 'unpriced', Automatic);
      assert.equal(said('Yuan billed (demo)').length, 1, 'said once, not at every request');
      assert.equal(said('Unpriced (demo)').length, 1, 'said once, not at every request');
    } finally {
      subscription.dispose();
    }
  });

  it('at the budget for all backends, the switch buttons offer only backends that spend nothing', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const price = { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } };
    const custom = (id: string, name: string) => ({
      id,
      name,
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      completionModel: 'emulator-coder',
      prices: price,
    });
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      await config().update(
        'providers',
        [
          custom('spender', 'Spender (demo)'),
          custom('paid-spare', 'Paid spare (demo)'),
          { id: 'local-spare', name: 'Local spare (demo)', preset: 'ollama', baseUrl: emulator.baseUrls.ollama },
        ],
        vscode.ConfigurationTarget.Global,
      );
      await config().update('completion.provider', 'spender', vscode.ConfigurationTarget.Global);
      // One request spends the day's budget for all backends.
      await config().update('budget', { usdPerDay: 0.000001 }, vscode.ConfigurationTarget.Global);
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('Spender'),
        'the backend in use',
      );
      await completeNewFunction(api, 'overall', Automatic);
      const [notice] = await eventually(
        () => notices.filter((found) => found.message.startsWith('Your spending on all backends')),
        (found) => found.length > 0,
        'the budget notification',
      );
      const buttons = notice?.buttons ?? [];
      assert.ok(
        buttons.some((button) => button.startsWith('Switch to Local spare (demo)')),
        JSON.stringify(buttons),
      );
      assert.ok(
        !buttons.some((button) => button.startsWith('Switch to Paid spare (demo)')),
        `a paid backend would spend against the same budget, unconfirmed: ${JSON.stringify(buttons)}`,
      );
    } finally {
      subscription.dispose();
      await config().update('budget', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
