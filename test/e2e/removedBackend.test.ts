/**
 * The spend of a backend the user removed stays in the usage dashboard, under a name they know
 * and marked removed, never as its internal id.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import { toLine, type UsageRecord } from '../../src/core/usage/usageRecord';
import { closeAll, openWorkbenchSession, runCommand, webviewFrame } from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { seedLedger } from '../harness/ledgerFiles';
import { flavorFromEnv, REPO_ROOT, type Workbench } from '../harness/workbench';

/** Chat requests of two backends since removed: one recorded with its name, one from before names were. */
function removedSpend(now: number): string {
  const base: UsageRecord = {
    id: '',
    time: now - 3_600_000,
    backend: '',
    model: 'deepseek-chat',
    feature: 'chat',
    inputTokens: 2_000,
    outputTokens: 400,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: true,
    costMicros: 1_250_000,
    currency: 'USD',
    latencyMs: 900,
    outcome: 'ok',
  };
  return [
    toLine({ ...base, id: 'seed:1', backend: 'deepseek-2', backendName: 'Work DeepSeek' }),
    toLine({ ...base, id: 'seed:2', backend: 'openrouter-3', model: 'openai/gpt-4o-mini', costMicros: 300_000 }),
  ].join('');
}

describe(`a removed backend in the usage dashboard (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      // The ledger as a window left it before the user removed both backends.
      beforeOpen: (started) => seedLedger(started.userDataDir, removedSpend(Date.now())),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  it(
    'keeps its spend under the name it had, marked removed, or its preset name for older records',
    explained(
      () => page,
      async () => {
        await page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).waitFor({ timeout: 60_000 });
        await runCommand(page, 'Switchboard: Open Usage Dashboard');
        const dashboard = webviewFrame(page, 'last');
        const legend = dashboard.locator('#cost-legend li');
        await legend.first().waitFor({ timeout: 30_000 });
        const labels = await legend.allInnerTexts();
        assert.deepEqual(
          labels.map((label) => label.trim()),
          ['Work DeepSeek (removed)', 'OpenRouter (removed)'],
        );
        const rows = await dashboard.locator('#models tbody tr').allInnerTexts();
        assert.ok(
          rows.some((row) => row.includes('Work DeepSeek (removed)') && row.includes('$1.25')),
          rows.join('\n'),
        );
        assert.ok(!rows.some((row) => /deepseek-2|openrouter-3/.test(row)), rows.join('\n'));
        mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
        await page.screenshot({
          path: join(REPO_ROOT, 'test-results', `removed-backend-dashboard-${flavorFromEnv()}.png`),
        });
        await dashboard.locator('#models').scrollIntoViewIfNeeded();
        await page.screenshot({
          path: join(REPO_ROOT, 'test-results', `removed-backend-models-${flavorFromEnv()}.png`),
        });
      },
    ),
  );
});
