/**
 * The quota story, in the real workbench: the emulator enforces a daily quota; completions use it
 * up; the status bar warns, then errors; the notification's switch button moves completion and
 * chat to another backend; the next completion comes from it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import {
  closeAll,
  greetingAtTheEnd,
  openScratchFile,
  openWorkbenchSession,
  switchboardItem,
  typeWithPauses,
} from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { DEMO_PRICE, emulatorEntry, flavorFromEnv, type Workbench } from '../harness/workbench';

/**
 * Installed in the page: records each state the Qwen item passes through (ok, warning, error) as
 * the workbench draws it. A string, so the test runner's transforms cannot touch it.
 */
const STATE_RECORDER = `(() => {
  const states = [];
  window.__sbStates = states;
  const record = () => {
    const item = [...document.querySelectorAll('.statusbar-item')].find((el) => (el.textContent || '').includes('Qwen (demo)'));
    if (!item) return;
    const state = item.querySelector('.codicon-error') ? 'error' : item.querySelector('.codicon-warning') ? 'warning' : 'ok';
    if (states[states.length - 1] !== state) states.push(state);
  };
  new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  record();
})()`;

/** The server's daily allocation, and the user's own daily limit (their plan as they know it). */
const SERVER_QUOTA = 8;
const USER_LIMIT = 10;

describe(`running out of a quota (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      // DashScope's free tier as it ended: a daily allocation, then "Free allocated quota exceeded."
      emulator: { quotas: { dashscope: { requestsPerDay: SERVER_QUOTA, quotaStyle: 'dashscope-free' } } },
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [
          emulatorEntry('qwen', 'Qwen (demo)', baseUrls.dashscope, {
            limits: { requestsPerDay: USER_LIMIT },
            prices: DEMO_PRICE,
          }),
          emulatorEntry('backup', 'Backup (demo)', baseUrls.openai, { prices: DEMO_PRICE }),
        ],
        'switchboard.completion.provider': 'qwen',
        'switchboard.chat.provider': 'qwen',
        // This test runs the window out through completion on purpose: completion must not yield to chat.
        'switchboard.completion.yieldToChat': false,
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const statusItem = (backend: string) => switchboardItem(page, backend);

  it(
    'warns, then errors, then switches from the notification and completes on the new backend',
    explained(
      () => page,
      async () => {
        await statusItem('Qwen (demo)').waitFor({ timeout: 60_000 });
        await openScratchFile(page);

        // Every state the item passes through, as the page draws it: a look at each pause could miss
        // the warning when two requests land between two looks (the 8th warns, the 9th errors).
        await page.evaluate(STATE_RECORDER);
        let seen: string[] = [];
        const look = async () => {
          seen = (await page.evaluate('[...window.__sbStates]')) as string[];
        };
        // One completion asked for at each pause, until the status bar shows an error.
        await typeWithPauses(page, 40, () => seen.includes('error'), look);
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
        await greetingAtTheEnd(page);
        assert.ok(emulator.count('/v1/completions') > before, 'the next completion came from the new backend');
      },
    ),
  );
});
