/**
 * The quota story, in the real workbench: the emulator enforces a daily quota; completions use it
 * up; the status bar warns, then errors; the notification's switch button moves completion and
 * chat to another backend; the next completion comes from it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../emulator/server';
import { closeAll, openWorkbenchPage, PACKAGED_VSIX } from '../harness/workbenchPage';
import { flavorFromEnv, startWorkbench, type Workbench } from '../harness/workbench';

/** The server's daily allocation, and the user's own daily limit (their plan as they know it). */
const SERVER_QUOTA = 8;
const USER_LIMIT = 10;

describe(`running out of a quota (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    // DashScope's free tier as it ended: a daily allocation, then "Free allocated quota exceeded."
    emulator = await startEmulator({
      quotas: { dashscope: { requestsPerDay: SERVER_QUOTA, quotaStyle: 'dashscope-free' } },
    });
    const price = { '*': { inputPerMTok: 1, outputPerMTok: 5 } };
    workbench = await startWorkbench({
      flavor: flavorFromEnv(),
      vsix: PACKAGED_VSIX,
      settings: {
        'switchboard.providers': [
          {
            id: 'qwen',
            name: 'Qwen (demo)',
            preset: 'custom',
            baseUrl: emulator.baseUrls.dashscope,
            chatModel: 'emulator-chat',
            completionModel: 'emulator-coder',
            limits: { requestsPerDay: USER_LIMIT },
            prices: price,
          },
          {
            id: 'backup',
            name: 'Backup (demo)',
            preset: 'custom',
            baseUrl: emulator.baseUrls.openai,
            chatModel: 'emulator-chat',
            completionModel: 'emulator-coder',
            prices: price,
          },
        ],
        'switchboard.completion.provider': 'qwen',
        'switchboard.chat.provider': 'qwen',
        // This test runs the window out through completion on purpose: completion must not yield to chat.
        'switchboard.completion.yieldToChat': false,
      },
    });
    ({ browser, page } = await openWorkbenchPage(workbench));
  });

  after(() => closeAll(browser, workbench, emulator));

  // The Switchboard item carries an icon; the transient "now use …" message beside it does not.
  const statusItem = (backend: string) =>
    page.locator('.statusbar-item', {
      hasText: backend,
      has: page.locator('.codicon-plug, .codicon-warning, .codicon-error'),
    });

  it('warns, then errors, then switches from the notification and completes on the new backend', async () => {
    await statusItem('Qwen (demo)').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scratch.js' }).click();
    await page.locator('.editor-instance .view-lines').first().click();

    const seen: string[] = [];
    const look = async () => {
      const item = statusItem('Qwen (demo)');
      if (await item.locator('.codicon-error').count()) seen.push('error');
      else if (await item.locator('.codicon-warning').count()) seen.push('warning');
      else seen.push('ok');
    };
    // Pause after every key, longer than the adaptive debounce ever waits (600 ms), so each pause
    // asks for one completion, until the status bar shows an error.
    for (let i = 0; i < 40 && !seen.includes('error'); i++) {
      await page.keyboard.type(i % 8 === 7 ? '\n' : 'x');
      await page.waitForTimeout(900);
      await look();
    }
    const firstWarning = seen.indexOf('warning');
    const firstError = seen.indexOf('error');
    assert.ok(firstWarning !== -1, `the status bar warned (seen: ${seen.join(',')})`);
    assert.ok(firstError > firstWarning, `then showed an error (seen: ${seen.join(',')})`);
    // Whichever ran out first, the server's allocation or the user's own limit, the story is the same.
    assert.ok(
      emulator.count('/compatible-mode/v1/completions') >= SERVER_QUOTA - 2,
      'completions went to the quota-limited backend',
    );

    // Running out is one event, whichever limit went first: one toast, one sentence.
    const outOf = /Qwen \(demo\) (reached its limit|has used up its quota)/;
    const toast = page.locator('.notification-toast', { hasText: outOf });
    await toast.first().waitFor({ timeout: 15_000 });
    // Both preset entries are "OpenAI-compatible server": the buttons name the user's backends.
    const buttons = await toast.first().locator('.monaco-button').allTextContents();
    // The host follows the name wherever it is not the preset's own.
    assert.ok(
      buttons.some((text) => text.startsWith('Switch to Backup (demo)')),
      `buttons: ${buttons.join(', ')}`,
    );
    assert.ok(!buttons.some((text) => /OpenAI-compatible/.test(text)), `buttons: ${buttons.join(', ')}`);
    // A second toast for the same event would come with the next refused requests: make some.
    for (let i = 0; i < 3; i++) {
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.type('y');
      await page.waitForTimeout(900);
    }
    assert.equal(await toast.count(), 1, 'one notification for running out');
    assert.doesNotMatch((await toast.first().textContent()) ?? '', /\(\(|\.\)\./, 'no words nested in parentheses');
    await toast.first().locator('.monaco-button', { hasText: 'Switch to Backup (demo)' }).click();
    await statusItem('Backup (demo)').waitFor({ timeout: 15_000 });

    const before = emulator.count('/v1/completions');
    // The click left focus on the notification; back to the editor, at the end of the file.
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nconst greeting =', { delay: 60 });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.ghost-text-decoration, .ghost-text')].some((el) =>
          el.textContent?.includes('Hello'),
        ),
      undefined,
      { timeout: 20_000 },
    );
    assert.ok(emulator.count('/v1/completions') > before, 'the next completion came from the new backend');
  });
});
