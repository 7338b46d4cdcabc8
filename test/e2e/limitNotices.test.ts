/**
 * A day's requests already spent when the window opens (the ledger of an earlier window): the
 * status bar and the notification count the requests the server served against the daily request
 * limit, never the one it refused, and every button of the notifications reads whole.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import { toLine, type UsageRecord } from '../../src/core/usage/usageRecord';
import { closeAll, notificationInCenter, openWorkbenchSession, switchboardItem } from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { seedLedger } from '../harness/ledgerFiles';
import { DEMO_PRICE, emulatorEntry, flavorFromEnv, REPO_ROOT, type Workbench } from '../harness/workbench';

const DAILY_REQUESTS = 12;

/** Twelve answered completions on "Paid (demo)" and the one its server then refused, all today. */
function spentDay(now: number): string {
  const served: UsageRecord = {
    id: '',
    time: 0,
    backend: 'paid',
    backendName: 'Paid (demo)',
    model: 'emulator-coder',
    feature: 'completion',
    inputTokens: 20,
    outputTokens: 8,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: true,
    costMicros: 15_000,
    currency: 'USD',
    latencyMs: 40,
    outcome: 'ok',
  };
  // A day that began less than a minute ago still holds them all.
  const time = (i: number) => Math.max(now - 1_000 * (DAILY_REQUESTS + 1 - i), now - (now % 86_400_000));
  const lines = Array.from({ length: DAILY_REQUESTS }, (_, i) => toLine({ ...served, id: `seed:${i}`, time: time(i) }));
  lines.push(
    toLine({
      ...served,
      id: 'seed:refused',
      time: time(DAILY_REQUESTS),
      inputTokens: 0,
      outputTokens: 0,
      costMicros: 0,
      outcome: 'quota-exhausted',
      unserved: true,
    }),
  );
  return lines.join('');
}

describe(`limit notices on a day already spent (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [
          emulatorEntry('paid', 'Paid (demo)', baseUrls.openai, {
            prices: DEMO_PRICE,
            limits: { requestsPerDay: DAILY_REQUESTS },
          }),
          emulatorEntry('local', 'Ollama (demo)', baseUrls.ollama, { preset: 'ollama' }),
          emulatorEntry('gateway', 'Gateway (no price)', baseUrls.openai),
        ],
        'switchboard.completion.provider': 'paid',
        'switchboard.chat.provider': 'paid',
        // $0.18 of it spent: past the warning, short of the pause.
        'switchboard.budget': { usdPerDay: 0.22 },
      }),
      beforeOpen: (started) => seedLedger(started.userDataDir, spentDay(Date.now())),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  /** The labels of a notification's buttons that VS Code cuts short with an ellipsis. */
  const cutShort = (notification: Locator) =>
    notification
      .locator('.monaco-button')
      .evaluateAll((buttons) =>
        buttons.filter((button) => button.scrollWidth > button.clientWidth).map((button) => button.textContent),
      );

  it(
    'counts the served requests against the daily limit, not the refused one',
    explained(
      () => page,
      async () => {
        const item = switchboardItem(page, 'Paid (demo)');
        await item.waitFor({ timeout: 60_000 });
        // The ledger is read once the window opens: the notification and the figure follow.
        const notice = await notificationInCenter(page, 'Paid (demo) reached its limit');
        const message = (await notice.first().innerText()).replace(/\s+/g, ' ');
        assert.match(message, /12 of 12 requests today/, message);
        const text = (await item.innerText()).replace(/\s+/g, ' ');
        assert.match(text, /12\/(12|day)/, text);
        assert.doesNotMatch(text, /13/, text);
        mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
        await page.screenshot({ path: join(REPO_ROOT, 'test-results', `limit-notices-${flavorFromEnv()}.png`) });
      },
    ),
  );

  it(
    'shows every button of the limit and the budget notifications whole',
    explained(
      () => page,
      async () => {
        const limit = (await notificationInCenter(page, 'Paid (demo) reached its limit')).first();
        const limitButtons = await limit.locator('.monaco-button').allTextContents();
        assert.ok(
          limitButtons.some((label) => label.includes('Ollama (demo)')),
          `a switch to the free backend: ${limitButtons.join(', ')}`,
        );
        assert.deepEqual(await cutShort(limit), [], `buttons: ${limitButtons.join(', ')}`);

        const budget = (await notificationInCenter(page, 'Your spending on all backends is at')).first();
        const budgetButtons = await budget.locator('.monaco-button').allTextContents();
        assert.ok(
          budgetButtons.some((label) => label.includes('Ollama (demo)')),
          `a switch to the free backend: ${budgetButtons.join(', ')}`,
        );
        assert.deepEqual(await cutShort(budget), [], `buttons: ${budgetButtons.join(', ')}`);
        await page.screenshot({
          path: join(REPO_ROOT, 'test-results', `limit-notices-buttons-${flavorFromEnv()}.png`),
        });
      },
    ),
  );
});
