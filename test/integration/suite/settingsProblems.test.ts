/**
 * A broken backend entry in settings.json is said once while the user edits it: every save of a
 * half-typed value (auto save does one a second) is a new problem text, not a new event.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, restoreSettingsAfterEach, setUserSettings } from './helpers';

/** The warnings VS Code was asked to show while `body` ran (none is answered). */
async function warningsDuring(body: () => Promise<void>): Promise<string[]> {
  const shown: string[] = [];
  const window = vscode.window as { showWarningMessage: unknown };
  const original = window.showWarningMessage;
  window.showWarningMessage = (message: string) => {
    shown.push(message);
    return Promise.resolve(undefined);
  };
  try {
    await body();
    // The change events reach the extension after the writes resolve.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  } finally {
    window.showWarningMessage = original;
  }
  return shown;
}

describe('a broken settings entry while it is being edited', () => {
  const start = restoreSettingsAfterEach(['budget']);

  it('one warning while a preset name is typed and saved letter by letter, another for a new breakage later', async () => {
    await activateSwitchboard();
    const entry = (preset: string) => ({ id: 'typed-preset', preset, baseUrl: start.emulatorBaseUrl });
    const shown = await warningsDuring(async () => {
      for (const typed of ['o', 'op', 'ope', 'open', 'opena', 'openai-'])
        await setUserSettings({ providers: [...start.providers, entry(typed)] });
    });
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(shown[0]!, /preset "o" is not a known preset/);

    // Fixed, then broken again: that is news.
    const again = await warningsDuring(async () => {
      await setUserSettings({ providers: [...start.providers, entry('custom')] });
      await setUserSettings({ providers: [...start.providers, entry('custom'), entry('custom')] });
    });
    assert.equal(again.length, 1, JSON.stringify(again));
    assert.match(again[0]!, /"typed-preset" is used twice/);
  });

  it('one warning for a save that breaks three entries, the others counted in it', async () => {
    await activateSwitchboard();
    const shown = await warningsDuring(async () => {
      await setUserSettings({
        providers: [
          ...start.providers,
          { id: 'a', preset: 'opnai' },
          { id: 'b', preset: 'ollama', baseUrl: 'x' },
          { id: 'c' },
        ],
      });
    });
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(
      shown[0]!,
      /preset "opnai" is not a known preset.* 2 more problems are listed in Output › Switchboard\.$/,
    );
  });

  it('a budget typed as text is said: it caps nothing', async () => {
    await activateSwitchboard();
    const shown = await warningsDuring(() => setUserSettings({ budget: { usdPerDay: '5' } }));
    assert.deepEqual(shown, [
      'Switchboard: switchboard.budget.usdPerDay must be a number of US dollars; that budget caps nothing until it is fixed.',
    ]);
  });
});
