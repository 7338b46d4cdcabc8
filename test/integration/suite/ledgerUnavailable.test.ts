/**
 * A usage ledger that cannot be opened at all (a file where its folder should be, no permission):
 * the user is told once, with the way out, budgets say they cannot be checked and hold paid
 * requests rather than let them through uncounted, and the rest of the extension goes on.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { BudgetGuard } from '../../../src/usage/budgetGuard';
import { LimitMonitor } from '../../../src/usage/limitMonitor';
import { SwitchboardStatusBar } from '../../../src/usage/statusBar';
import { UsageMeter } from '../../../src/usage/usageMeter';
import { DEFAULT_COMPLETION_SETTINGS } from '../../../src/core/completion/engine';
import { activateWithLedger, emulatorBackend, eventually, restoreSettingsAfterEach, setUserSettings } from './helpers';

interface Shown {
  message: string;
  items: unknown[];
}

/** Answers VS Code's warnings with `answer` while `body` runs; returns them. */
async function answeringWarnings(answer: string | undefined, body: () => Promise<void>): Promise<Shown[]> {
  const shown: Shown[] = [];
  const window = vscode.window as { showWarningMessage: unknown };
  const original = window.showWarningMessage;
  window.showWarningMessage = (message: string, ...items: unknown[]) => {
    shown.push({ message, items });
    return Promise.resolve(answer);
  };
  try {
    await body();
  } finally {
    window.showWarningMessage = original;
  }
  return shown;
}

/** A memento of its own, so nothing here touches the extension's global state. */
function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}

describe('a usage ledger that cannot be opened', () => {
  const start = restoreSettingsAfterEach([]);
  let scratch: string;
  let blocked: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'sb-ledger-blocked-'));
    // A file where the ledger's folder should be.
    blocked = join(scratch, 'usage');
    writeFileSync(blocked, 'not a folder');
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('says so once, naming the folder, what it means and what to do, with Show Log; recording goes on quietly', async () => {
    await activateWithLedger();
    let meter: UsageMeter | undefined;
    const shown = await answeringWarnings(undefined, async () => {
      meter = new UsageMeter(blocked, 90);
      await eventually(() => meter!.unavailable, Boolean, 'the ledger to fail to open');
      // Requests still go through the meter: nothing throws, nothing is said again.
      assert.doesNotThrow(() => meter!.recordEvent({ kind: 'shown', backend: 'unopened-a', model: 'm', chars: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    try {
      assert.equal(shown.length, 1, JSON.stringify(shown));
      const [{ message, items }] = shown as [Shown];
      assert.ok(message.includes(blocked), message);
      assert.match(message, /could not open its usage ledger/);
      assert.match(message, /budgets cannot be checked/);
      assert.match(message, /reload the window/);
      assert.deepEqual(items, ['Show Log', 'Reload Window']);
      assert.equal(meter!.ready, false);
      assert.match(meter!.notReadyText(), /could not be opened/);
      assert.equal(meter!.today(), undefined, 'no spend is made up');
    } finally {
      meter?.dispose();
    }
  });

  it('a ledger that stops taking writes says so once, naming the folder, with Show Log', async () => {
    await activateWithLedger();
    const dir = join(scratch, 'writable');
    mkdirSync(dir);
    let meter: UsageMeter | undefined;
    const shown = await answeringWarnings(undefined, async () => {
      meter = new UsageMeter(dir, 90);
      await eventually(() => meter!.ready, Boolean, 'the ledger to open');
      // The folder goes away under the open ledger (a synced folder removed, a disk unmounted):
      // a file where it was, so today's file cannot be created.
      rmSync(dir, { recursive: true, force: true });
      writeFileSync(dir, 'not a folder');
      for (let i = 0; i < 2; i++) meter!.recordEvent({ kind: 'shown', backend: 'unwritten-a', model: 'm', chars: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    try {
      assert.equal(shown.length, 1, JSON.stringify(shown));
      const [{ message, items }] = shown as [Shown];
      assert.ok(message.includes(dir), message);
      assert.match(message, /could not write its usage ledger/);
      assert.deepEqual(items, ['Show Log']);
    } finally {
      meter?.dispose();
    }
  });

  it('a budget that pauses holds automatic completion on a paid backend and asks before chat; free ones go', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'unopened-paid', 'Unopened Paid', {
          limits: { usdPerDay: 5 },
          prices: { '*': { inputPerMTok: 1, outputPerMTok: 2 } },
        }),
        emulatorBackend(start.emulatorBaseUrl, 'unopened-free', 'Unopened Free', {
          limits: { usdPerDay: 5 },
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        }),
      ],
    });
    const paid = await eventually(
      () => api.backends.current().providers.find((config) => config.id === 'unopened-paid'),
      Boolean,
      'the paid backend',
    );
    const free = api.backends.current().providers.find((config) => config.id === 'unopened-free')!;
    let meter: UsageMeter | undefined;
    let limits: LimitMonitor | undefined;
    let guard: BudgetGuard | undefined;
    let statusBar: SwitchboardStatusBar | undefined;
    try {
      const ledgerNews = await answeringWarnings(undefined, async () => {
        meter = new UsageMeter(blocked, 90);
        await eventually(() => meter!.unavailable, Boolean, 'the ledger to fail to open');
      });
      assert.equal(ledgerNews.length, 1);
      const state = memento();
      limits = new LimitMonitor(api.backends, meter!, api.keys, state);
      guard = new BudgetGuard(api.backends, meter!, limits, state);
      limits.update();

      assert.equal(guard.allowCompletion(paid!, false, DEFAULT_COMPLETION_SETTINGS), false, 'automatic waits');
      assert.equal(guard.allowCompletion(paid!, true, DEFAULT_COMPLETION_SETTINGS), true, 'Alt+\\ still asks');
      assert.equal(guard.allowCompletion(free, false, DEFAULT_COMPLETION_SETTINGS), true, 'free costs nothing');

      let sent: boolean | undefined;
      const asked = await answeringWarnings(undefined, async () => {
        sent = await guard!.confirmChat(paid!);
      });
      assert.equal(sent, false, 'not sent unless the user says Send');
      assert.equal(asked.length, 1);
      assert.match(asked[0]!.message, /Unopened Paid's today's \$5\.00 budget cannot be checked/);
      assert.doesNotMatch(asked[0]!.message, /\$0\.00/);
      const confirmed = await answeringWarnings('Send', async () => {
        sent = await guard!.confirmChat(paid!);
      });
      assert.equal(confirmed.length, 1);
      assert.equal(sent, true, 'sent once the user says so');
      assert.equal(await guard.confirmChat(free), true, 'a free backend is not asked about');

      // The status bar says why, and shows no figure counted from a ledger it could not read.
      statusBar = new SwitchboardStatusBar(api.backends, meter, limits);
      guard.completionBackend = () => paid;
      statusBar.budgetPause = () => guard!.statusText();
      statusBar.render();
      assert.match(statusBar.item.text, /completion paused · budget cannot be checked/);
      const tooltip = (statusBar.item.tooltip as vscode.MarkdownString).value;
      assert.match(tooltip, /cannot be checked: the usage ledger could not be opened/);
      assert.match(tooltip, /Spending is not counted in this window/);
      assert.doesNotMatch(tooltip, /\| Unopened Paid \|/, 'no table of figures counted from nothing');
    } finally {
      statusBar?.dispose();
      guard?.dispose();
      limits?.dispose();
      meter?.dispose();
    }
  });
});
