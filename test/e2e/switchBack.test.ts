/**
 * Switching back after a switch the user chose, in the real workbench: the emulator allows a few
 * requests per minute; completion uses them up; the notification offers the local backup and the
 * user takes it; when the emulator's minute rolls over, one probe finds the original backend
 * answering, and since the user chose to leave it, Switchboard asks before moving back: one
 * notification with "Switch back to …", and one click on it moves completion and chat back.
 */
import assert from 'node:assert/strict';
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
import { flavorFromEnv, qwenWithLocalBackup, startEmulatorMinute, type Workbench } from '../harness/workbench';

const PER_MINUTE = 4;
const COMPLETIONS = '/v1/completions';
const OLLAMA_GENERATE = '/api/generate';

describe(`switching back after a chosen switch (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      emulator: { quotas: { openai: { requestsPerMinute: PER_MINUTE } } },
      settings: ({ baseUrls }) => ({
        ...qwenWithLocalBackup(baseUrls),
        // The typing below pauses after every letter, so the adaptive debounce would learn to ask at
        // once after letters, and any key typed after the reset could spend the new minute's few
        // requests mid-word. Here each request waits for a real pause.
        'switchboard.completion.speed': 'frugal',
        // No switchboard.fallback: the switch is the user's to choose.
        'switchboard.completion.yieldToChat': false,
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const statusItem = (text: string | RegExp) => switchboardItem(page, text);

  it(
    'offers the switch at the limit, and after the reset asks once before moving back',
    explained(
      () => page,
      async () => {
        await statusItem('Qwen (demo)').waitFor({ timeout: 60_000 });
        await openScratchFile(page);

        // The emulator's minute starts now, so the reset comes a known while after the quota is spent.
        const windowEnds = startEmulatorMinute(emulator);

        const spent = page.locator('.notification-toast', { hasText: 'Qwen (demo)' }).filter({
          has: page.locator('.monaco-button', { hasText: 'Switch to Ollama (demo)' }),
        });
        await typeWithPauses(page, 20, async () => (await spent.count()) > 0);
        await spent.first().waitFor({ timeout: 10_000 });
        assert.ok(emulator.count(COMPLETIONS) >= PER_MINUTE, 'completions went to the limited backend first');
        await spent.first().hover();
        await spent.first().locator('.monaco-button', { hasText: 'Switch to Ollama (demo)' }).click();

        // Completion now comes from the local backup.
        await statusItem('Ollama (demo)').waitFor({ timeout: 15_000 });
        const onOllama = emulator.count(OLLAMA_GENERATE);
        await greetingAtTheEnd(page);
        assert.ok(emulator.count(OLLAMA_GENERATE) > onOllama, 'the completion came from the local backup');
        await page.keyboard.press('Escape');

        // After the reset the original backend answers a probe: the user is asked, not moved.
        const back = page.locator('.notification-toast', { hasText: 'Qwen (demo) answers again' });
        await back.first().waitFor({ timeout: windowEnds - Date.now() + 30_000 });
        assert.ok(Date.now() >= windowEnds - 1_000, 'not before the reset');
        assert.equal(await back.count(), 1, 'one notification');
        assert.match(
          (await back.first().innerText()).replace(/\s+/g, ' '),
          /Completion and chat still use Ollama \(demo\)/,
        );
        assert.equal(await statusItem(/^\s*Qwen \(demo\)/).count(), 0, 'still on the backup until the user says so');
        await page.screenshot({ path: join(tmpdir(), `switchboard-switch-back-${flavorFromEnv()}.png`) });

        await back.first().hover();
        await back.first().locator('.monaco-button', { hasText: 'Switch back to Qwen (demo)' }).click();
        await statusItem(/^\s*Qwen \(demo\)/).waitFor({ timeout: 15_000 });
        const onQwen = emulator.count(COMPLETIONS);
        await greetingAtTheEnd(page);
        assert.ok(emulator.count(COMPLETIONS) > onQwen, 'the next completion came from the original backend again');
      },
    ),
  );
});
