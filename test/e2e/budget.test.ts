/**
 * A budget that holds, in the real workbench: completions spend a daily budget; at 100% the status
 * bar says completion is paused and until when, the notification says so and offers "Raise
 * budget…"; typing on sends nothing to the emulator until the budget is raised from that button,
 * and then the next completion goes out again.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import { closeAll, notificationInCenter, openWorkbenchSession, runCommand } from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { budgetedEmulatorSettings, flavorFromEnv, type Workbench } from '../harness/workbench';

/** A made-up price high enough that a few completions spend the day's budget. */
const PRICE = { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } };
const DAILY_BUDGET = 0.2;
const COMPLETIONS = '/v1/completions';

describe(`a daily budget that holds (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      settings: ({ baseUrls }) => budgetedEmulatorSettings(baseUrls.openai, PRICE, DAILY_BUDGET),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const statusItem = () => page.locator('.statusbar-item', { hasText: 'Emulator (demo)' });
  const pausedItem = () => page.locator('.statusbar-item', { hasText: 'completion paused' });
  const editor = () => page.locator('.editor-instance .view-lines').first();
  /** One key, then a pause longer than the adaptive debounce ever waits (600 ms): one completion asked for. */
  const typeAndWait = async (key: string) => {
    await page.keyboard.type(key);
    await page.waitForTimeout(900);
  };

  it(
    'pauses automatic completion at 100% until the budget is raised',
    explained(
      () => page,
      async () => {
        await statusItem().waitFor({ timeout: 60_000 });
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scratch.js' }).click();
        await editor().click();

        // Spend the day's budget: one completion per pause until the notification says it is reached.
        const reached = page.locator('.notification-toast', {
          hasText: 'Your spending on all backends reached its limit',
        });
        for (let i = 0; i < 40 && !(await reached.count()); i++) await typeAndWait(i % 8 === 7 ? '\n' : 'x');
        await reached.first().waitFor({ timeout: 10_000 });
        assert.ok(emulator.count(COMPLETIONS) >= 1, 'completions went out before the budget was reached');
        await pausedItem().waitFor({ timeout: 10_000 });
        const picture = process.env.SWITCHBOARD_SCREENSHOTS
          ? join(__dirname, '..', '..', 'media', 'budget-paused.png')
          : join(tmpdir(), `switchboard-budget-paused-${flavorFromEnv()}.png`);
        await page.screenshot({ path: picture });
        console.error(`  screenshot: ${picture}`);

        // Typing on asks for nothing: no request reaches the emulator.
        const paused = emulator.count(COMPLETIONS);
        await editor().click();
        for (let i = 0; i < 5; i++) await typeAndWait('y');
        assert.equal(emulator.count(COMPLETIONS), paused, 'no automatic completion while the budget holds');

        // The status bar says so, and until when.
        const text = (await pausedItem().innerText()).replace(/\s+/g, ' ');
        assert.match(text, /completion paused · budget · until \d\d:\d\d/, text);

        // The notification at 100% says the pause is on and offers to raise the budget; one of it. Read
        // in the notification center: VS Code hides a warning's toast after 12 s (18 s in 1.100), which
        // the typing above can take on a slow machine.
        const notification = () => notificationInCenter(page, 'Automatic completion is paused until');
        const reachedNotice = await notification();
        assert.equal(await reachedNotice.count(), 1, 'one notification for reaching the budget');
        const message = (await reachedNotice.first().innerText()).replace(/\s+/g, ' ');
        assert.match(message, /Your spending on all backends reached its limit: \$0\.\d+ of today's \$0\.20 budget/);
        const buttons = await reachedNotice.first().locator('.monaco-button').allTextContents();
        assert.ok(buttons.includes('Raise budget…'), `buttons: ${buttons.join(', ')}`);
        assert.ok(!buttons.includes('Pause completion until reset'), 'the pause is already on');
        await runCommand(page, 'Notifications: Hide Notifications');

        // A chat request past the budget asks first, with today's spend; "Cancel" sends nothing.
        const chats = emulator.count('/v1/chat/completions');
        await runCommand(page, 'Switchboard: Open Chat');
        const chat = page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
        await chat.locator('#input').waitFor({ timeout: 30_000 });
        await chat.locator('#input').fill('Explain this file');
        await chat.locator('#input').press('Enter');
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ timeout: 15_000 });
        assert.match(
          (await dialog.innerText()).replace(/\s+/g, ' '),
          /Spent today: \$0\.\d+\. Send this chat request anyway\?/,
        );
        await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
        await page.waitForTimeout(1_000);
        assert.equal(emulator.count('/v1/chat/completions'), chats, 'no chat request was sent');
        assert.equal(await chat.locator('.turn.assistant').count(), 0, 'no answer was started');
        // The view says why, and the question waits in the input to be sent again.
        assert.match((await chat.locator('#status').textContent()) ?? '', /^Not sent: the budget is reached\./);
        assert.equal(await chat.locator('#input').inputValue(), 'Explain this file');

        // Raise budget… asks for the amount, refuses one below the spend, and writes the new one.
        await (await notification()).first().locator('.monaco-button', { hasText: 'Raise budget…' }).click();
        const input = page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill('0.01');
        await page.locator('.quick-input-widget', { hasText: 'more than what is already spent' }).waitFor();
        await input.fill('100');
        await page.keyboard.press('Enter');
        await pausedItem().waitFor({ state: 'detached', timeout: 15_000 });

        await editor().click();
        await page.keyboard.press('Control+End');
        for (let i = 0; i < 10 && emulator.count(COMPLETIONS) === paused; i++) await typeAndWait('z');
        assert.ok(emulator.count(COMPLETIONS) > paused, 'the next completion goes out once the budget is raised');
      },
    ),
  );
});
