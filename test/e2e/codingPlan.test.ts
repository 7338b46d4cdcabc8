/**
 * A Coding Plan in the real workbench: the status bar shows the plan's 5-hour window, its count
 * rises with every completion (from the shared ledger), it warns from 80%, and at the limit the
 * notification offers the switch, which moves completion to another backend.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import {
  closeAll,
  greetingAtTheEnd,
  openScratchFile,
  openWorkbenchSession,
  runCommand,
  switchboardItem,
  typeWithPauses,
  webviewFrame,
} from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import {
  CODING_PLAN_KEY_ENV,
  codingPlanEntry,
  DEMO_PRICE,
  emulatorEntry,
  flavorFromEnv,
  type Workbench,
} from '../harness/workbench';

/** The plan's 5-hour window as the user set it (the emulator enforces the same). */
const PER_5H = 10;

describe(`a Coding Plan's 5-hour window (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      emulator: { quotas: { 'coding-plan': { requestsPer5h: PER_5H } } },
      // A Coding Plan key, as Qwen Code keeps it.
      env: CODING_PLAN_KEY_ENV,
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [
          codingPlanEntry(baseUrls.codingPlan, { plan: { tier: 'lite', requestsPer5h: PER_5H } }),
          emulatorEntry('backup', 'Backup (demo)', baseUrls.openai, { prices: DEMO_PRICE }),
        ],
        'switchboard.completion.provider': 'plan',
        'switchboard.chat.provider': 'plan',
        // This test runs the window out through completion on purpose: completion must not yield to chat.
        'switchboard.completion.yieldToChat': false,
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const planItem = () => switchboardItem(page, /Coding Plan · \d+ \/ 10 in 5 h/);

  it(
    'shows the window, counts each completion, warns at 80% and offers the switch at the limit',
    explained(
      () => page,
      async () => {
        await planItem().waitFor({ timeout: 60_000 });
        assert.match((await planItem().innerText()).trim(), /Coding Plan · 0 \/ 10 in 5 h$/);
        await openScratchFile(page);

        const seen: { used: number; state: string }[] = [];
        const look = async () => {
          const item = planItem();
          const text = await item.innerText().catch(() => '');
          const used = Number(/· (\d+) \/ 10/.exec(text)?.[1] ?? -1);
          const state = (await item.locator('.codicon-error').count())
            ? 'error'
            : (await item.locator('.codicon-warning').count())
              ? 'warning'
              : 'ok';
          // The README's picture is refreshed only when asked (SWITCHBOARD_SCREENSHOTS=1), never by a plain test run.
          if (state === 'warning' && !seen.some((s) => s.state === 'warning') && process.env.SWITCHBOARD_SCREENSHOTS)
            await page.screenshot({ path: join(__dirname, '..', '..', 'media', 'coding-plan-status.png') });
          seen.push({ used, state });
        };
        await typeWithPauses(page, 40, () => seen.some((s) => s.state === 'error'), look);
        const trace = seen.map((s) => `${s.used}:${s.state}`).join(',');
        const counts = seen.map((s) => s.used).filter((n) => n >= 0);
        assert.ok(
          counts.length > 3 && counts.every((n, i) => i === 0 || n >= (counts[i - 1] ?? 0)),
          `the count only rises (${trace})`,
        );
        assert.ok(new Set(counts).size >= 4, `it rose with the completions (${trace})`);
        const firstWarning = seen.findIndex((s) => s.state === 'warning');
        assert.ok(firstWarning !== -1 && (seen[firstWarning]?.used ?? 0) >= 8, `warned from 8 of 10 (${trace})`);
        assert.ok(
          seen.slice(0, firstWarning).every((s) => s.used < 8),
          `not before (${trace})`,
        );
        assert.ok(
          seen.some((s) => s.state === 'error' && s.used >= 10),
          `then the limit (${trace})`,
        );
        // The status bar's time is local: "resets HH:MM".
        assert.match(await planItem().innerText(), /resets \d\d:\d\d/);

        const toast = page.locator('.notification-toast', { hasText: /reached its limit|used up its quota/ });
        await toast.waitFor({ timeout: 15_000 });
        await toast.locator('.monaco-button', { hasText: 'Switch to Backup (demo)' }).click();
        // From a plan to a pay-per-token backup is a move into paid: it asks once, with the price.
        const dialog = page.locator('.monaco-dialog-box', {
          hasText: /Backup \(demo\).* is paid \(~\$0\.\d+\/request\)/,
        });
        await dialog.waitFor({ timeout: 15_000 });
        await dialog.getByRole('button', { name: /^Switch to Backup/ }).click();
        await switchboardItem(page, 'Backup (demo)').waitFor({ timeout: 15_000 });

        const before = emulator.count('/v1/completions');
        await greetingAtTheEnd(page);
        assert.ok(emulator.count('/v1/completions') > before, 'the next completion came from the backup');
      },
    ),
  );

  it(
    "shows the plan's requests in the usage dashboard as included in the plan, never as $0.00",
    explained(
      () => page,
      async () => {
        await runCommand(page, 'Switchboard: Open Usage Dashboard');
        const dashboard = webviewFrame(page, 'last');
        const planRow = dashboard.locator('#models tr', {
          has: dashboard.locator('td, th', { hasText: /^plan$/ }),
          hasText: 'emulator-coder',
        });
        await planRow.first().waitFor({ timeout: 30_000 });
        const rowText = await planRow.first().innerText();
        assert.match(rowText, /included in plan/, rowText);
        assert.doesNotMatch(rowText, /\$0\.00/, rowText);
        // The total names the plan's share beside the backup's metered cost.
        assert.match(await dashboard.locator('#totals').innerText(), /in plan/);
        if (process.env.SWITCHBOARD_SCREENSHOTS)
          await page.screenshot({ path: join(__dirname, '..', '..', 'media', 'dashboard-plan.png') });
      },
    ),
  );
});
