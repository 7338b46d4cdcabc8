/**
 * Switches Switchboard makes by itself or from a button, with a user settings.json that VS Code
 * cannot write: nothing claims a switch that did not happen, one message says what was not saved
 * and where to fix it, and nothing is left counted or forgotten.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator/server';
import {
  activateWithLedger,
  completeNewFunction,
  config,
  emulatorBackend,
  eventually,
  restoreSettingsAfterEach,
  setUserSettings,
  statusBarText,
} from './helpers';
import { answeringErrors, unhandledDuring, withBrokenSettings } from './brokenSettings';

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
});
