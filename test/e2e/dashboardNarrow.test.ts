/**
 * The usage dashboard in a narrow window (800 px, the explorer open beside it): the per-model
 * table fits, so its Cost column is seen without a sideways scroll.
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

/** A month as a user who tried several backends has it: long names, a plan, unpriced requests. */
function monthOfSpend(now: number): string {
  const base: UsageRecord = {
    id: '',
    time: now - 3_600_000,
    backend: '',
    model: '',
    feature: 'chat',
    inputTokens: 12_345_678,
    outputTokens: 1_234_567,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: true,
    costMicros: 1_234_567_890,
    currency: 'USD',
    latencyMs: 12_345,
    outcome: 'ok',
  };
  const rows: Partial<UsageRecord>[] = [
    { backend: 'work-deepseek', backendName: 'Work DeepSeek (team gateway)', model: 'deepseek-reasoner' },
    { backend: 'openrouter', backendName: 'OpenRouter', model: 'anthropic/claude-3.5-sonnet-20241022' },
    { backend: 'plan', backendName: 'Alibaba Coding Plan', model: 'qwen3-coder-plus', costMicros: 0, inPlan: true },
    { backend: 'gateway', backendName: 'LiteLLM gateway', model: 'gpt-4o-mini', costMicros: null },
    { backend: 'moonshot', backendName: 'Moonshot', model: 'kimi-k2-0905-preview', currency: 'CNY' },
  ];
  return rows.map((row, index) => toLine({ ...base, ...row, id: `seed:${index}` })).join('');
}

const shots = join(REPO_ROOT, 'test-results');

describe(`the usage dashboard in a narrow window (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      beforeOpen: (started) => seedLedger(started.userDataDir, monthOfSpend(Date.now())),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  it(
    'shows the per-model table whole at 800 px: no sideways scroll to reach the Cost column',
    explained(
      () => page,
      async () => {
        await page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).waitFor({ timeout: 60_000 });
        await runCommand(page, 'Switchboard: Open Usage Dashboard');
        const dashboard = webviewFrame(page, 'last');
        await dashboard.locator('#models tbody tr').first().waitFor({ timeout: 30_000 });
        mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: join(shots, `dashboard-1400-${flavorFromEnv()}.png`) });
        await dashboard.locator('#models').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(shots, `dashboard-models-1400-${flavorFromEnv()}.png`) });
        await page.setViewportSize({ width: 800, height: 900 });
        await page.waitForTimeout(1_000);
        await dashboard.locator('#models').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(shots, `dashboard-800-${flavorFromEnv()}.png`) });
        const widths = await dashboard
          .locator('#models')
          .evaluate((table) => ({ table: table.scrollWidth, box: table.parentElement?.clientWidth ?? 0 }));
        assert.ok(widths.table <= widths.box, `the table is ${widths.table} px wide in a ${widths.box} px box`);
        // Each row's cost, with its heading beside it, inside the box (both measured in the webview).
        const overflow = await dashboard
          .locator('#models tbody tr')
          .first()
          .locator('td[data-label="Cost"]')
          .evaluate((cell) => {
            const box = cell.closest('.table-wrap')!.getBoundingClientRect();
            const rect = cell.getBoundingClientRect();
            return rect.right - box.right;
          });
        assert.ok(overflow <= 0.5, `the Cost cell ends ${overflow} px past the box`);
      },
    ),
  );
});
