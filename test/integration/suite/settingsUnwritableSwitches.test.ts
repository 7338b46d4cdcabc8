/**
 * Switches Switchboard makes by itself or from a button, with a user settings.json that VS Code
 * cannot write: nothing claims a switch that did not happen, one message says what was not saved
 * and where to fix it, and nothing is left counted or forgotten.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator/server';
import { MemoryStorage } from '../../harness/memoryStorage';
import type { DetectedBackend } from '../../../src/backends/detection';
import { offerQwenRoutes } from '../../../src/backends/qwenMigration';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { storedFallbacks } from '../../../src/core/usage/fallbackSpend';
import type { Candidate } from '../../../src/core/usage/switchAdvice';
import { FALLBACKS_KEY, PaidFallbackGuard } from '../../../src/usage/paidFallback';
import { openChatView } from './fakeChatView';
import {
  activateWithLedger,
  completeNewFunction,
  config,
  emulatorBackend,
  eventually,
  clearUserSettings,
  restoreSettingsAfterEach,
  setUserSettings,
  statusBarText,
} from './helpers';
import { answeringErrors, breakSettings, unhandledDuring, withBrokenSettings } from './brokenSettings';

/** Status bar messages set while `body` runs (they are gone after a few seconds, and unreadable). */
async function statusMessagesDuring(body: () => Promise<void>): Promise<string[]> {
  const said: string[] = [];
  const window = vscode.window as { setStatusBarMessage: unknown };
  const original = window.setStatusBarMessage;
  window.setStatusBarMessage = (text: string) => {
    said.push(text);
    return new vscode.Disposable(() => {});
  };
  try {
    await body();
  } finally {
    window.setStatusBarMessage = original;
  }
  return said;
}

/** Answers VS Code's warnings (the Qwen Code notice, a paid switch's modal) with `answer`. */
async function answeringWarnings(
  answer: (message: string, items: unknown[]) => string | undefined,
  body: () => Promise<void>,
): Promise<void> {
  const window = vscode.window as { showWarningMessage: unknown };
  const original = window.showWarningMessage;
  window.showWarningMessage = async (message: string, ...items: unknown[]) => answer(message, items);
  try {
    await body();
  } finally {
    window.showWarningMessage = original;
  }
}

/** Answers quick picks with `pick` (given the items) while `body` runs. */
async function answeringPicks(
  pick: (items: readonly vscode.QuickPickItem[]) => Promise<vscode.QuickPickItem | undefined>,
  body: () => Promise<void>,
): Promise<void> {
  const window = vscode.window as { showQuickPick: unknown };
  const original = window.showQuickPick;
  window.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) =>
    pick(await items);
  try {
    await body();
  } finally {
    window.showQuickPick = original;
  }
}

describe('switches with a user settings.json that cannot be written', () => {
  const start = restoreSettingsAfterEach([
    'completion.provider',
    'chat.provider',
    'fallback',
    'paidFallbackAllowed',
    'fallbackBudget',
    'completion.yieldToChat',
  ]);

  it('a return at the reset claims no switch, says once what was not saved, and is kept to try again', async () => {
    const api = await activateWithLedger();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The server's own day holds one request; its quota is reset by hand below.
    const server = await startEmulator({ requestsPerDay: 1 });
    try {
      await setUserSettings({
        providers: [
          ...start.providers,
          emulatorBackend(server.openaiBaseUrl, 'daily-server', 'Daily Server'),
          emulatorBackend(start.emulatorBaseUrl, 'standby-unwritable', 'Standby'),
        ],
        fallback: ['standby-unwritable'],
        'completion.yieldToChat': false,
        'completion.provider': 'daily-server',
        'chat.provider': 'daily-server',
      });
      await statusBarText(api, (text) => text.includes('Daily Server'), 'the backend with one request a day');
      await completeNewFunction(api, 'unwritableReturn');
      await completeNewFunction(api, 'unwritableReturn');
      await statusBarText(api, (text) => text.includes('on Standby'), 'the fallback and its return');
      server.resetQuota();

      let shown: string[] = [];
      let unhandled: unknown[] = [];
      let said: string[] = [];
      await withBrokenSettings(async () => {
        unhandled = await unhandledDuring(async () => {
          said = await statusMessagesDuring(async () => {
            shown = await answeringErrors(
              async () => undefined,
              async () => {
                await vscode.commands.executeCommand('switchboard.tryBackendAgain', 'daily-server');
              },
            );
          });
        });
        assert.deepEqual(unhandled.map(String), [], 'no unhandled rejection');
        assert.equal(shown.length, 1, JSON.stringify(shown));
        assert.match(
          shown[0]!,
          /^Switchboard: The return of completion and chat to Daily Server was not saved\. VS Code could not write your user settings\.json .* They stay on Standby\. Fix the file, then use “Try Daily Server again”/,
        );
        assert.deepEqual(
          said.filter((text) => /use it again|has reset/.test(text)),
          [],
          'no status message claims the return',
        );
        assert.equal(config().get('completion.provider'), 'standby-unwritable');
        assert.equal(config().get('chat.provider'), 'standby-unwritable');
        // The return waits, and says why.
        await statusBarText(
          api,
          (text) => /on Standby · return to Daily Server not saved, again at \d\d:\d\d/.test(text),
          'the kept return in the status bar',
        );
        const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
        assert.match(tooltip, /Daily Server answered again, but VS Code could not write your settings\.json/);
        assert.match(tooltip, /Try Daily Server again/);
      });

      // The file is fixed: "Try Daily Server again" brings both roles back (its probe spent the day's request).
      server.resetQuota();
      await vscode.commands.executeCommand('switchboard.tryBackendAgain', 'daily-server');
      await eventually(
        () => [config().get('completion.provider'), config().get('chat.provider')],
        (ids) => ids.every((id) => id === 'daily-server'),
        'the roles back on Daily Server',
      );
      await statusBarText(api, (text) => !text.includes('Standby'), 'no return left to wait for');
    } finally {
      await server.close();
    }
  });

  it('Toggle Inline Completion for This Language says once what was not saved, and claims nothing', async () => {
    await activateWithLedger();
    const languages = config().get('completion.languages');
    let shown: string[] = [];
    let said: string[] = [];
    await withBrokenSettings(async () => {
      said = await statusMessagesDuring(async () => {
        shown = await answeringErrors(
          async () => undefined,
          async () => {
            await vscode.commands.executeCommand('switchboard.toggleCompletionForLanguage', 'rust');
          },
        );
      });
    });
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(
      shown[0]!,
      /^Switchboard: Completion off for rust was not saved\. VS Code could not write your user settings\.json/,
    );
    assert.deepEqual(said, [], 'no status message says it is off');
    assert.deepEqual(config().get('completion.languages'), languages);
  });

  /** A local server found on this machine, not configured yet. */
  const foundOllama = (): DetectedBackend => ({
    entry: { id: 'ollama-unwritable', preset: 'ollama', name: 'Ollama Unwritable', baseUrl: 'http://127.0.0.1:9' },
    detail: 'running on this machine',
  });
  const configured = (id: string) =>
    (config().get<{ id: string }[]>('providers') ?? []).some((entry) => entry.id === id);

  it('the Qwen Code notice says once that Ollama was not added, or not switched to, and nothing rejects', async () => {
    const api = await activateWithLedger();
    const detected = api.backends.detected();
    api.backends.setDetected([foundOllama()]);
    const completion = config().get('completion.provider');
    const answerOllama = (_message: string, items: unknown[]) =>
      items.find((item): item is string => typeof item === 'string' && /Ollama/.test(item));
    try {
      // The file cannot be written: Ollama is not added.
      let added: unknown = 'unset';
      let unhandled: unknown[] = [];
      let shown: string[] = [];
      await withBrokenSettings(async () => {
        unhandled = await unhandledDuring(async () => {
          shown = await answeringErrors(
            async () => undefined,
            () =>
              answeringWarnings(answerOllama, async () => {
                added = await offerQwenRoutes(api.backends, api.keys);
              }),
          );
        });
      });
      assert.deepEqual(unhandled.map(String), [], 'no unhandled rejection');
      assert.equal(added, undefined);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(
        shown[0]!,
        /^Switchboard: The addition of Ollama Unwritable \(found on this machine\) was not saved\. VS Code could not write your user settings\.json .*Fix the file, then try again\.$/,
      );
      assert.equal(configured('ollama-unwritable'), false);

      // Ollama is added; the file breaks before the roles are written to it.
      let repair: (() => Promise<void>) | undefined;
      try {
        shown = await answeringErrors(
          async () => undefined,
          () =>
            answeringWarnings(answerOllama, () =>
              answeringPicks(
                async (items) => {
                  repair = await breakSettings();
                  return items.find((item) => item.label === 'Completion and chat');
                },
                async () => {
                  added = await offerQwenRoutes(api.backends, api.keys);
                },
              ),
            ),
        );
      } finally {
        await repair?.();
      }
      assert.equal((added as { id?: string } | undefined)?.id, 'ollama-unwritable');
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0]!, /^Switchboard: The switch of completion and chat to Ollama Unwritable was not saved\./);
      assert.equal(config().get('completion.provider'), completion);
    } finally {
      api.backends.setDetected([...detected]);
    }
  });

  it('adopting a server found on this machine from the switch picker says once what was not added', async () => {
    const api = await activateWithLedger();
    const detected = api.backends.detected();
    api.backends.setDetected([foundOllama()]);
    try {
      let shown: string[] = [];
      await withBrokenSettings(async () => {
        shown = await answeringErrors(
          async () => undefined,
          () =>
            answeringPicks(
              async (items) =>
                items.find(
                  (item) => (item as { detected?: DetectedBackend }).detected?.entry.id === 'ollama-unwritable',
                ),
              async () => {
                await vscode.commands.executeCommand('switchboard.switchProvider');
              },
            ),
        );
      });
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(
        shown[0]!,
        /^Switchboard: The addition of Ollama Unwritable \(found on this machine\) was not saved\. VS Code could not write your user settings\.json/,
      );
      assert.equal(configured('ollama-unwritable'), false);
    } finally {
      api.backends.setDetected([...detected]);
    }
  });

  describe('a paid fallback', () => {
    const paidSpare = () =>
      emulatorBackend(start.emulatorBaseUrl, 'paid-spare-unwritable', 'Paid Spare', {
        prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } },
      });
    const spare: Candidate = {
      id: 'paid-spare-unwritable',
      name: 'Paid Spare',
      level: 'ok',
      ready: true,
      local: false,
      configured: true,
    };

    /** A free backend and a paid spare; a fallback guard of the test's own, whose store the test reads. */
    async function setUp(more: Record<string, unknown> = {}) {
      const api = await activateWithLedger();
      await setUserSettings({
        providers: [
          ...start.providers,
          emulatorBackend(start.emulatorBaseUrl, 'free-unwritable', 'Free Tiny', {
            prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
          }),
          paidSpare(),
        ],
        'completion.provider': 'free-unwritable',
        'chat.provider': 'free-unwritable',
        ...more,
      });
      const storage = new MemoryStorage();
      const notices: { message: string; buttons: string[] }[] = [];
      const guard = new PaidFallbackGuard(
        api.backends,
        api.meter,
        async (_level, message, buttons) => {
          notices.push({ message, buttons });
          return undefined;
        },
        storage as unknown as vscode.Memento,
      );
      const from = api.backends.current().providers.find((entry) => entry.id === 'free-unwritable')!;
      const fallbacks = () => storedFallbacks(storage.get(FALLBACKS_KEY)).fallbacks;
      return { api, guard, from, notices, fallbacks };
    }

    it('whose switch settings refused counts nothing toward the fallback budget', async () => {
      const { api, guard, from, fallbacks } = await setUp({ paidFallbackAllowed: ['paid-spare-unwritable'] });
      const offer = guard.offer(from, spare, ['completion']);
      assert.equal(offer.verdict, 'switch');
      // As every fallback does: counted from before the settings move, then the move.
      guard.began(from, offer, spare.id);
      assert.equal(fallbacks().length, 1);
      await withBrokenSettings(async () => {
        await assert.rejects(Promise.resolve(api.backends.choose(spare.id, ['completion'])));
      });
      assert.deepEqual(fallbacks(), [], 'the switch never happened: nothing is counted');
      assert.equal(config().get('completion.provider'), 'free-unwritable');
    });

    it('confirmed in its modal, says once that the answer and the switch were not saved, and does not switch', async () => {
      const { guard, from, fallbacks } = await setUp();
      const offer = guard.offer(from, spare, ['completion']);
      assert.equal(offer.verdict, 'ask');
      let proceed: unknown;
      let shown: string[] = [];
      await withBrokenSettings(async () => {
        shown = await answeringErrors(
          async () => undefined,
          () =>
            answeringWarnings(
              (_message, items) => items.find((item) => item === 'Switch to Paid Spare') as string | undefined,
              async () => {
                proceed = await guard.mayProceed(from, offer);
              },
            ),
        );
      });
      assert.equal(proceed, false);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(
        shown[0]!,
        /^Switchboard: Your answer to switch to Paid Spare was not saved\. VS Code could not write your user settings\.json .* Nothing was switched\./,
      );
      assert.deepEqual(config().get('paidFallbackAllowed') ?? [], []);
      assert.deepEqual(fallbacks(), []);
    });

    it('at the fallback budget, does not say the roles went back when settings refused it', async () => {
      const { api, guard, from, notices } = await setUp({ fallbackBudget: { usdPerDay: 0.00001 } });
      const offer = guard.offer(from, spare, ['completion']);
      guard.began(from, offer, spare.id);
      await setUserSettings({ 'completion.provider': spare.id });
      await eventually(
        () => api.backends.configFor('completion')?.id,
        (id) => id === spare.id,
        'the switch',
      );
      const spareConfig = parseProviders([paidSpare()]).providers[0]!;
      let unhandled: unknown[] = [];
      await withBrokenSettings(async () => {
        // What the spare answered costs more than the day's fallback budget.
        api.meter.record({
          config: spareConfig,
          feature: 'completion',
          model: spareConfig.completionModel,
          startedAt: Date.now(),
          usage: { inputTokens: 1_000, outputTokens: 1_000, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
        });
        unhandled = await unhandledDuring(() => guard.check());
      });
      assert.deepEqual(unhandled.map(String), [], 'no unhandled rejection');
      assert.equal(notices.length, 1, JSON.stringify(notices));
      assert.doesNotMatch(notices[0]!.message, /went back/);
      assert.match(notices[0]!.message, /completion could not go back to Free Tiny: still on Paid Spare\./);
      assert.match(notices[0]!.message, /settings\.json .*Fix the file, then switch them yourself\.$/);
      assert.ok(notices[0]!.buttons.includes('Open User Settings'), notices[0]!.buttons.join());
      assert.equal(config().get('completion.provider'), spare.id);
    });
  });

  it("the chat view's backend list is put back when its switch is refused, and says so once", async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [...start.providers, emulatorBackend(start.emulatorBaseUrl, 'chat-unwritable', 'Chat Elsewhere')],
    });
    const chat = api.backends.configFor('chat')?.id;
    assert.ok(chat && chat !== 'chat-unwritable');
    const { posted, receive, dispose } = openChatView(api);
    try {
      receive({ type: 'ready' });
      await eventually(() => posted.some((message) => message.type === 'backends'), Boolean, 'the backend list');
      let shown: string[] = [];
      let unhandled: unknown[] = [];
      await withBrokenSettings(async () => {
        unhandled = await unhandledDuring(async () => {
          shown = await answeringErrors(
            async () => undefined,
            async () => {
              posted.length = 0;
              // The webview's list already shows the pick when it sends it.
              receive({ type: 'selectBackend', providerId: 'chat-unwritable' });
              await eventually(
                () => posted.filter((message) => message.type === 'backends'),
                (lists) => lists.length > 0,
                'the backend list sent again',
              );
            },
          );
        });
      });
      assert.deepEqual(unhandled.map(String), [], 'no unhandled rejection');
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(
        shown[0]!,
        /^Switchboard: The chat backend did not change\. VS Code could not write your user settings\.json .*Fix the file, then choose again\.$/,
      );
      const lists = posted.filter((message) => message.type === 'backends');
      assert.equal(lists.at(-1)?.selectedId, chat, 'the list shows the backend chat still uses');
      assert.ok(
        posted.some((message) => message.type === 'notice' && /did not change/.test(message.text ?? '')),
        'the view says it too, where the pick was made',
      );
      assert.equal(config().get('chat.provider') || chat, chat);
      assert.equal(api.backends.configFor('chat')?.id, chat);
    } finally {
      dispose();
    }
  });

  it("the budget notice's switch to a server found on this machine says once that it was not added, and nothing rejects", async () => {
    const api = await activateWithLedger();
    const detected = api.backends.detected();
    api.backends.setDetected([foundOllama()]);
    const offered: unknown[][] = [];
    let repair: (() => Promise<void>) | undefined;
    try {
      let shown: string[] = [];
      const unhandled = await unhandledDuring(async () => {
        shown = await answeringErrors(
          async () => undefined,
          () =>
            answeringWarnings(
              (message, items) => {
                if (!message.includes('Your spending on all backends')) return undefined;
                offered.push(items);
                // The file breaks while the notice is up; then the click on the server found.
                return breakSettings().then((undo) => {
                  repair = undo;
                  return 'Switch to Ollama Unwritable';
                }) as unknown as string;
              },
              async () => {
                // Set while the notice is answered here: what earlier tests spent today may reach it at once.
                await setUserSettings({
                  providers: [
                    emulatorBackend(start.emulatorBaseUrl, 'budget-unwritable', 'Budget Spender', {
                      prices: { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } },
                    }),
                    ...start.providers,
                  ],
                  'completion.provider': 'budget-unwritable',
                  'completion.yieldToChat': false,
                  budget: { usdPerDay: 0.000001, action: 'warn' },
                });
                await completeNewFunction(api, 'budgetUnwritable');
                await eventually(
                  () => offered.length,
                  (count) => count > 0,
                  'the budget notice',
                );
                await eventually(
                  () => repair,
                  (found) => found !== undefined,
                  'the settings to break',
                );
                // The click's work: the settings write, and whatever it says.
                await new Promise((resolve) => setTimeout(resolve, 1_500));
              },
            ),
        );
      });
      assert.ok(
        offered[0]?.includes('Switch to Ollama Unwritable'),
        `the notice offers the server found: ${JSON.stringify(offered)}`,
      );
      assert.deepEqual(unhandled.map(String), []);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(
        shown[0]!,
        /^Switchboard: The addition of Ollama Unwritable \(found on this machine\) was not saved\./,
      );
      assert.equal(configured('ollama-unwritable'), false);
      assert.equal(config().get('completion.provider'), 'budget-unwritable');
    } finally {
      await repair?.();
      api.backends.setDetected([...detected]);
      await clearUserSettings(['budget']);
    }
  });
});
