/**
 * A Model Studio (Singapore) backend with no price of the user's own, pointed at the emulator's
 * DashScope route: its requests cost real dollars from Switchboard's price table, shown under the
 * chat answer and in the status bar tooltip, never "price unknown".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import { ledgerRecords } from '../harness/ledgerFiles';
import { explained } from '../harness/failureReport';
import { closeAll, openWorkbenchSession, runCommand, webviewFrame } from '../harness/workbenchPage';
import { flavorFromEnv, type Workbench } from '../harness/workbench';
import { formatMoney } from '../../src/core/usage/formatMoney';

const KEY_VARIABLE = 'SWITCHBOARD_E2E_DASHSCOPE_KEY';
// Short enough that the status bar shows it whole (it shortens labels over 20 characters).
const NAME = 'Qwen SG (demo)';

describe(`Model Studio prices (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [
          // The preset's own models (qwen3-coder-plus for chat); no `prices`: the table prices it.
          {
            id: 'qwen-sg',
            name: NAME,
            preset: 'dashscope-intl',
            baseUrl: baseUrls.dashscope,
            apiKeyEnv: KEY_VARIABLE,
          },
        ],
        'switchboard.completion.provider': 'qwen-sg',
        'switchboard.chat.provider': 'qwen-sg',
      }),
      env: { [KEY_VARIABLE]: 'sk-e2e-dashscope' },
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const chatFrame = (): FrameLocator => webviewFrame(page, 'first');

  it(
    'shows a real dollar cost per request in the chat and in the status bar tooltip',
    explained(
      () => page,
      async () => {
        // The extension is active once its status bar item shows: its commands run from the palette.
        const item = page.locator('.statusbar-item', { hasText: NAME });
        await item.waitFor({ timeout: 60_000 });
        await runCommand(page, 'Switchboard: Open Chat');
        const chat = chatFrame();
        await chat.locator('#input').waitFor({ timeout: 30_000 });
        await chat.locator('#input').fill('Show me an example');
        await chat.locator('#input').press('Enter');
        const answer = chat.locator('.turn.assistant[data-status="complete"]').last();
        await answer.waitFor({ timeout: 30_000 });

        // The ledger holds the request at Singapore's first tier (≤32K input): $1 / $5 per 1M tokens.
        let record = ledgerRecords(workbench.userDataDir).find((entry) => entry.feature === 'chat');
        for (let i = 0; i < 100 && !record; i++) {
          await page.waitForTimeout(100);
          record = ledgerRecords(workbench.userDataDir).find((entry) => entry.feature === 'chat');
        }
        assert.ok(record, 'the chat request is in the ledger');
        assert.equal(record.model, 'qwen3-coder-plus');
        assert.equal(record.currency, 'USD');
        assert.ok(record.inputTokens > 0 && record.inputTokens <= 32_000);
        assert.equal(record.costMicros, record.inputTokens * 1 + record.outputTokens * 5);
        const cost = formatMoney(record.costMicros);
        assert.match(cost, /^\$0\.\d/);

        const usage = await answer.locator('.usage').innerText();
        assert.ok(usage.includes(cost), `the answer shows ${cost}: ${usage}`);
        assert.doesNotMatch(usage, /price unknown/);

        // The tooltip's row for the backend shows today's cost in dollars, not "price unknown".
        const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'today' });
        for (let attempt = 0; attempt < 20 && !(await hover.count()); attempt++) {
          await page.mouse.move(0, 0);
          await item.hover();
          await page.waitForTimeout(500);
        }
        const tooltip = await hover.first().innerText();
        assert.ok(tooltip.includes(cost), `the tooltip shows ${cost}: ${tooltip}`);
        assert.doesNotMatch(tooltip, /price unknown|unpriced/);
      },
    ),
  );
});
