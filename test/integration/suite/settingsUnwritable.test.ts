/**
 * A user settings.json that VS Code cannot write (a syntax error left while editing it by hand):
 * every `update` rejects. What Switchboard meant to write is said, with the way to fix it, and
 * nothing is left half done or silent.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Notice } from '../../../src/usage/limitMonitor';
import { saveNewBackend } from '../../../src/backends/addProviderWizard';
import { removeProvider } from '../../../src/backends/removeProvider';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import {
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
import { answeringErrors, breakSettings, unhandledDuring, withBrokenSettings } from './brokenSettings';

describe('a user settings.json that cannot be written', () => {
  const start = restoreSettingsAfterEach([
    'completion.provider',
    'chat.provider',
    'fallback',
    'paidFallbackAllowed',
    'completion.yieldToChat',
  ]);

  it('a quota that runs out still says so, and that the fallback could not be switched to', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'tiny-unwritable', 'Tiny Daily', {
          limits: { requestsPerDay: 1 },
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        }),
        emulatorBackend(start.emulatorBaseUrl, 'spare-unwritable', 'Spare', {
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        }),
      ],
      fallback: ['spare-unwritable'],
      'completion.yieldToChat': false,
      'completion.provider': 'tiny-unwritable',
      'chat.provider': 'tiny-unwritable',
    });
    await statusBarText(api, (text) => text.includes('Tiny Daily'), 'the backend with one request a day');
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      let unhandled: unknown[] = [];
      await withBrokenSettings(async () => {
        unhandled = await unhandledDuring(async () => {
          await completeNewFunction(api, 'unwritable');
          await eventually(
            () => notices.length,
            (count) => count > 0,
            'a notification that the limit was reached',
          );
        });
      });
      assert.deepEqual(unhandled.map(String), [], 'no unhandled rejection');
      assert.equal(notices.length, 1, `one notification, got: ${JSON.stringify(notices)}`);
      const [notice] = notices;
      assert.match(notice!.message, /^Tiny Daily /);
      assert.match(notice!.message, /could not switch to Spare/i);
      assert.match(notice!.message, /settings\.json/);
      assert.ok(notice!.buttons.includes('Open User Settings'), notice!.buttons.join(', '));
      assert.equal(config().get('completion.provider'), 'tiny-unwritable');
    } finally {
      subscription.dispose();
    }
  });

  it('Add Provider keeps no key without its entry, and Try Again saves both once the file is fixed', async () => {
    const api = await activateWithLedger();
    const entry = { id: 'openai-unwritable', name: 'OpenAI Unwritable', preset: 'openai' };
    const backend = parseProviders([entry]).providers[0]!;
    const key = 'sk-unwritable-7f3a9c2e1b';

    let saved: boolean | undefined;
    const repair = await breakSettings();
    try {
      const shown = await answeringErrors(
        async () => undefined,
        async () => {
          saved = await saveNewBackend(backend, key, entry, api.keys);
        },
      );
      assert.equal(saved, false);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0]!, /OpenAI Unwritable was not added, and its key not kept/);
      assert.match(shown[0]!, /settings\.json/);
      assert.equal(await api.keys.stored(backend.id), false, 'no key left without its entry');
    } finally {
      await repair();
    }

    // Again, and the user fixes the file before answering Try Again: nothing they typed is lost.
    const again = await breakSettings();
    const shown = await answeringErrors(
      async () => {
        await again();
        return 'Try Again';
      },
      async () => {
        saved = await saveNewBackend(backend, key, entry, api.keys);
      },
    );
    assert.equal(saved, true);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.ok(
      (config().get<{ id: string }[]>('providers') ?? []).some((found) => found.id === backend.id),
      'the entry is in settings',
    );
    assert.equal(await api.keys.get(backend), key);
    await api.keys.delete(backend.id);
  });

  it('Toggle Inline Completion and the switch picker say what was not saved, and leave the settings as they were', async () => {
    await activateWithLedger();
    await setUserSettings({
      providers: [...start.providers, emulatorBackend(start.emulatorBaseUrl, 'second-unwritable', 'Second Backend')],
      'completion.provider': 'second-unwritable',
      'chat.provider': 'second-unwritable',
    });
    const enabled = config().get('completion.enabled');
    let shown: string[] = [];
    await withBrokenSettings(async () => {
      shown = await answeringErrors(
        async () => undefined,
        async () => {
          await vscode.commands.executeCommand('switchboard.toggleInlineCompletion');
          // The picker's first entry (the suite's emulator), then "Completion and chat".
          const done = vscode.commands.executeCommand('switchboard.switchProvider');
          for (const _step of ['backend', 'features']) {
            await new Promise((resolve) => setTimeout(resolve, 1_500));
            await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
          }
          await done;
        },
      );
    });
    assert.equal(shown.length, 2, JSON.stringify(shown));
    assert.match(shown[0]!, /^Switchboard: Inline completion (on|off) was not saved\. .*settings\.json/);
    assert.match(shown[1]!, /^Switchboard: The switch of completion and chat to .+ was not saved\. .*settings\.json/);
    assert.equal(config().get('completion.enabled'), enabled);
    assert.equal(config().get('completion.provider'), 'second-unwritable');
  });

  it('Remove Provider takes the entry and its key, pins a role left to its default, and keeps both when the file cannot be written', async () => {
    const api = await activateWithLedger();
    const entry = emulatorBackend(start.emulatorBaseUrl, 'doomed', 'Doomed Backend');
    // First in the list, with no role set: completion and chat fall to it by default.
    await setUserSettings({ providers: [entry, ...start.providers] });
    await clearUserSettings(['completion.provider', 'chat.provider']);
    const doomed = parseProviders([entry]).providers[0]!;
    await api.keys.set(doomed, 'sk-doomed-4c1d');
    assert.equal(api.backends.configFor('completion')?.id, 'doomed');

    const window = vscode.window as { showWarningMessage: unknown };
    const commands = vscode.commands as { executeCommand: unknown };
    const [warn, run] = [window.showWarningMessage, commands.executeCommand];
    const ran: string[] = [];
    window.showWarningMessage = async (message: string) => (message.startsWith('Remove ') ? 'Remove' : undefined);
    // The switch picker it opens would wait for a pick.
    commands.executeCommand = async (command: string, ...rest: unknown[]) =>
      command === 'switchboard.switchProvider'
        ? void ran.push(command)
        : (run as typeof vscode.commands.executeCommand).call(vscode.commands, command, ...rest);
    const remove = () => removeProvider(api.backends, api.keys, async () => undefined, 'doomed');
    try {
      // The file cannot be written: nothing is removed, the key included.
      const repair = await breakSettings();
      try {
        const shown = await answeringErrors(async () => undefined, remove);
        assert.equal(shown.length, 1, JSON.stringify(shown));
        assert.match(shown[0]!, /The removal of Doomed Backend was not saved/);
      } finally {
        await repair();
      }
      assert.equal(await api.keys.stored('doomed'), true, 'the key stays with its entry');
      assert.ok(
        config()
          .get<{ id: string }[]>('providers')
          ?.some((found) => found.id === 'doomed'),
      );
      assert.deepEqual(ran, []);

      await remove();
      assert.equal(
        config()
          .get<{ id: string }[]>('providers')
          ?.some((found) => found.id === 'doomed'),
        false,
      );
      assert.equal(await api.keys.stored('doomed'), false, 'its key left secret storage');
      // Pinned to the removed backend, the roles serve nothing until the user picks: not the first one left.
      await eventually(
        () => api.backends.configFor('completion'),
        (found) => found === undefined,
        'completion to have no backend',
      );
      assert.equal(api.backends.configFor('chat'), undefined);
      // The status bar says the roles serve nothing, with the one click that gives them a backend.
      await eventually(
        () => (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
        (value) => value.includes('Chat: none · [choose a backend](command:switchboard.switchProvider)'),
        'the tooltip to offer a backend for chat',
      );
      assert.deepEqual(ran, ['switchboard.switchProvider']);
    } finally {
      window.showWarningMessage = warn;
      commands.executeCommand = run;
      await api.keys.delete('doomed');
    }
  });
  it('a user switchboard.providers that is not a list is left as it was by Add and Remove Provider, which say so', async () => {
    const api = await activateWithLedger();
    const mistyped = { id: 'typed-as-an-object', preset: 'ollama' };
    await setUserSettings({ providers: mistyped });
    const window = vscode.window as { showWarningMessage: unknown };
    const warn = window.showWarningMessage;
    const warned: string[] = [];
    window.showWarningMessage = async (message: string) => void warned.push(message);
    try {
      let unhandled: unknown[] = [];
      let errors: string[] = [];
      unhandled = await unhandledDuring(async () => {
        await removeProvider(api.backends, api.keys, async () => undefined, 'typed-as-an-object');
        const entry = emulatorBackend(start.emulatorBaseUrl, 'fresh-after-object', 'Fresh');
        errors = await answeringErrors(
          async () => undefined,
          async () => {
            assert.equal(
              await saveNewBackend(parseProviders([entry]).providers[0]!, undefined, entry, api.keys),
              false,
            );
          },
        );
      });
      assert.deepEqual(unhandled.map(String), [], 'no unhandled rejection');
      assert.equal(warned.length, 1, JSON.stringify(warned));
      assert.match(warned[0]!, /switchboard\.providers in your user settings is not a list/);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0]!, /Fresh was not added: switchboard\.providers in your user settings is not a list/);
      assert.deepEqual(config().inspect('providers')?.globalValue, mistyped, 'the setting is as the user left it');
    } finally {
      window.showWarningMessage = warn;
    }
  });
});
