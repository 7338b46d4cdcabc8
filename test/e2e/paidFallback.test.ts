/**
 * Never sliding into paid, in the real workbench: an OpenRouter `:free` model runs out, and the
 * fallback order's next backend is DeepSeek, which is paid. Switchboard does not switch: the
 * notification names the price and asks; the confirmation dialog says it again; only a yes moves
 * the roles, and the next completion comes from DeepSeek.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { flavorFromEnv, type Workbench } from '../harness/workbench';

/** The user's own daily count for the free model, and the emulator's. */
const FREE_PER_DAY = 4;

/** Screenshots to look at after a run in the temp folder; the README's own only with SWITCHBOARD_SCREENSHOTS=1. */
async function shoot(page: Page, name: string, readme = false): Promise<void> {
  const dir = join(tmpdir(), 'switchboard-e2e');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}-${flavorFromEnv()}.png`) });
  if (readme && process.env.SWITCHBOARD_SCREENSHOTS)
    await page.screenshot({ path: join(__dirname, '..', '..', 'media', `${name}.png`) });
}

describe(`a free backend's fallback to a paid one (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      emulator: { quotas: { openrouter: { requestsPerDay: FREE_PER_DAY } } },
      env: { OPENROUTER_API_KEY: 'sk-or-v1-e2e-0123456789abcdef', DEEPSEEK_API_KEY: 'sk-e2e-0123456789abcdef' },
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [
          {
            id: 'free',
            name: 'Free (demo)',
            preset: 'openrouter',
            baseUrl: baseUrls.openrouter,
            apiKeyEnv: 'OPENROUTER_API_KEY',
            chatModel: 'qwen/qwen3-coder:free',
            completionModel: 'qwen/qwen3-coder:free',
            limits: { requestsPerDay: FREE_PER_DAY },
          },
          {
            id: 'deepseek',
            name: 'DeepSeek (demo)',
            preset: 'deepseek',
            baseUrl: baseUrls.deepseek,
            fimBaseUrl: baseUrls.deepseekBeta,
            apiKeyEnv: 'DEEPSEEK_API_KEY',
          },
        ],
        'switchboard.completion.provider': 'free',
        'switchboard.chat.provider': 'free',
        'switchboard.fallback': ['deepseek'],
        // The free backend's daily count is spent by completion on purpose, which its gears would
        // otherwise keep for chat.
        'switchboard.completion.yieldToChat': false,
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const statusItem = (backend: string) => switchboardItem(page, backend);
  const deepseekRequests = () => emulator.count('/chat/completions') + emulator.count('/beta/completions');

  it(
    'asks first, with the price, and switches only on a yes',
    explained(
      () => page,
      async () => {
        await statusItem('Free (demo)').waitFor({ timeout: 60_000 });
        await openScratchFile(page);

        const held = page.locator('.notification-toast', { hasText: /nothing was switched/ });
        await typeWithPauses(page, 30, async () => (await held.count()) > 0);
        await held.first().waitFor({ timeout: 15_000 });
        const text = (await held.first().textContent()) ?? '';
        assert.match(text, /Free \(demo\) (reached its limit|has used up its quota)/);
        assert.match(text, /Next in switchboard\.fallback is DeepSeek \(demo\).*which is paid \(~\$0\.\d+\/request\)/);
        const buttons = await held.first().locator('.monaco-button').allTextContents();
        const paid = buttons.find((label) => label.startsWith('Switch to DeepSeek (demo)'));
        assert.ok(paid, `buttons: ${buttons.join(', ')}`);
        // The message says what a request costs (above); the button stays short enough to show whole.
        assert.doesNotMatch(paid, /paid/);
        const toast = held.first().locator('.notification-list-item-buttons-container .monaco-button');
        for (const button of await toast.all())
          assert.ok(
            await button.evaluate((element) => element.scrollWidth <= element.clientWidth + 1),
            `cut short: ${await button.textContent()}`,
          );

        // Asked, not switched: the roles stay on the free backend and DeepSeek has seen nothing.
        await page.waitForTimeout(2_000);
        assert.equal(await statusItem('DeepSeek (demo)').count(), 0, 'not switched before the answer');
        assert.equal(deepseekRequests(), 0, 'no request went to the paid backend');
        await shoot(page, 'paid-fallback-asks');

        await held.first().locator('.monaco-button', { hasText: 'Switch to DeepSeek (demo)' }).click();
        const dialog = page.locator('.monaco-dialog-box', {
          hasText: /DeepSeek \(demo\).* is paid \(~\$0\.\d+\/request\)/,
        });
        await dialog.waitFor({ timeout: 15_000 });
        assert.match(await dialog.innerText(), /remembers this answer/);
        await shoot(page, 'paid-fallback-confirm', true);
        assert.equal(await statusItem('DeepSeek (demo)').count(), 0, 'still not switched while the dialog asks');
        assert.equal(deepseekRequests(), 0);

        await dialog.getByRole('button', { name: /^Switch to DeepSeek/ }).click();
        await statusItem('DeepSeek (demo)').waitFor({ timeout: 15_000 });
        await greetingAtTheEnd(page);
        assert.ok(deepseekRequests() > 0, 'after the yes, completions come from DeepSeek');
      },
    ),
  );
});
