/**
 * What a completion is worth, as a person sees it: ghost text accepted with Tab in the real
 * workbench shows up in the usage dashboard as an acceptance rate and a cost per accepted
 * suggestion for the backend and model that gave it.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import {
  closeAll,
  openWorkbenchSession,
  runCommand,
  waitForEditorText,
  waitForGhostText,
  webviewFrame,
} from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { flavorFromEnv, REPO_ROOT, type Workbench } from '../harness/workbench';

describe(`what a completion is worth, in the workbench (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession());
  });

  after(() => closeAll(browser, workbench, emulator));

  it(
    'a suggestion accepted with Tab shows in the dashboard as an acceptance rate and a cost per accepted',
    explained(
      () => page,
      async () => {
        await page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).waitFor({ timeout: 60_000 });
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scratch.js' }).click();
        const editor = page.locator('.editor-instance .monaco-editor').first();
        await editor.waitFor();
        await editor.locator('.view-lines').click();
        await page.keyboard.type('const greeting =', { delay: 40 });
        await waitForGhostText(page, 'Hello');
        await page.keyboard.press('Tab');
        await waitForEditorText(page, "const greeting = 'Hello from the Switchboard emulator';");

        await runCommand(page, 'Switchboard: Open Usage Dashboard');
        const dashboard = webviewFrame(page, 'last');
        const row = dashboard.locator('#acceptance tbody tr', { hasText: 'Emulator (demo)' });
        await row.first().waitFor({ timeout: 30_000 });
        const cells = await row.first().locator('th, td').allInnerTexts();
        // Backend, model, shown, accepted, rate, requests per accepted, cost per accepted, still there.
        assert.equal(cells.length, 8, cells.join(' | '));
        assert.ok(Number(cells[3]) >= 1, `at least the Tab accept is counted: ${cells.join(' | ')}`);
        assert.match(cells[4] ?? '', /^\d+%$/, 'an acceptance rate');
        assert.match(cells[5] ?? '', /^\d+(\.\d)?$/, 'requests per accepted');
        assert.match(cells[6] ?? '', /^(< )?\$\d/, 'the emulator entry has a price: a cost per accepted in dollars');
        await row.first().scrollIntoViewIfNeeded();
        mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
        await page.screenshot({ path: join(REPO_ROOT, 'test-results', `acceptance-dashboard-${flavorFromEnv()}.png`) });
        if (process.env.SWITCHBOARD_SCREENSHOTS)
          await page.screenshot({ path: join(REPO_ROOT, 'media', 'dashboard-acceptance.png') });
      },
    ),
  );
});
