/**
 * A hostile server's words in the real workbench: a quota error whose message carries a
 * `command:` link, HTML and an icon reaches the notification as plain text, with no link to click.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import { closeAll, openScratchFile, openWorkbenchSession } from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { emulatorEntry, flavorFromEnv, type Workbench } from '../harness/workbench';

const HOSTILE =
  'Free allocated quota exceeded. [Restore your quota](command:workbench.action.openGlobalKeybindings) ' +
  '<a href="command:workbench.action.openSettings">here</a> $(verified) official notice';

describe(`a server's error message is never a link (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      emulator: {
        quotas: { dashscope: { requestsPerDay: 0, quotaStyle: 'dashscope-free', quotaMessage: HOSTILE } },
      },
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [emulatorEntry('qwen', 'Qwen (hostile)', baseUrls.dashscope)],
        'switchboard.completion.provider': 'qwen',
        'switchboard.chat.provider': 'qwen',
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  it(
    'the quota notification shows the words but no link, HTML or icon from the server',
    explained(
      () => page,
      async () => {
        await page.locator('.statusbar-item', { hasText: 'Qwen (hostile)' }).first().waitFor({ timeout: 60_000 });
        await openScratchFile(page);
        const toast = page.locator('.notification-toast', { hasText: 'Restore your quota' });
        for (let i = 0; i < 10 && !(await toast.count()); i++) {
          await page.keyboard.type(i % 3 === 2 ? '\n' : 'x');
          await page.waitForTimeout(1_200);
        }
        await toast.first().waitFor({ timeout: 20_000 });
        assert.ok(emulator.count('/compatible-mode/v1/completions') >= 1, 'the completion reached the hostile server');
        const message = toast.first().locator('.notification-list-item-message');
        const text = await message.innerText();
        assert.match(text, /used up its quota/);
        assert.equal(await message.locator('a').count(), 0, `no link in the notification: ${text}`);
        assert.equal(await message.locator('.codicon-verified').count(), 0, 'no icon from the server');
        assert.doesNotMatch(text, /\]\(command:/, 'no link syntax left to render');
      },
    ),
  );
});
