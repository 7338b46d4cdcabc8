/**
 * The return at the reset, in the real workbench: the emulator allows a few requests per minute;
 * completion uses them up; `switchboard.fallback` moves completion and chat to the local backup
 * (an emulated Ollama); the status bar counts down to the reset; when the emulator's minute rolls
 * over, one probe finds the original backend answering, and the next completion comes from it.
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
const CHAT = '/v1/chat/completions';

describe(`return at the reset (${flavorFromEnv()})`, () => {
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
        'switchboard.fallback': ['local'],
        // Completion spends the window to its end here, as it does with the yielding turned off.
        'switchboard.completion.yieldToChat': false,
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const statusItem = (text: string | RegExp) => switchboardItem(page, text);

  it(
    'falls back to the local backup, counts down to the reset, and comes back after it',
    explained(
      () => page,
      async () => {
        await statusItem('Qwen (demo)').waitFor({ timeout: 60_000 });
        await openScratchFile(page);

        // The emulator's minute starts now, so the reset comes a known while after the quota is spent.
        const windowEnds = startEmulatorMinute(emulator);

        const countdown = statusItem(/on Ollama \(demo\) until Qwen \(demo\) resets at \d\d:\d\d/);
        await typeWithPauses(page, 20, async () => (await countdown.count()) > 0);
        await countdown.waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
          const bar = (await page.locator('.statusbar-item').allInnerTexts()).filter(Boolean).join(' | ');
          const toasts = (await page.locator('.notification-toast').allInnerTexts()).join(' | ');
          const counts = [COMPLETIONS, OLLAMA_GENERATE, CHAT]
            .map((path) => `${path}: ${emulator.count(path)}`)
            .join(', ');
          await page.screenshot({ path: join(tmpdir(), `switchboard-return-at-reset-failed-${flavorFromEnv()}.png`) });
          throw new Error(`no countdown; status bar: ${bar}; notifications: ${toasts}; requests: ${counts}`, {
            cause: error,
          });
        });
        assert.ok(Date.now() < windowEnds, 'the quota ran out within the minute');
        assert.ok(emulator.count(COMPLETIONS) >= PER_MINUTE, 'completions went to the limited backend first');
        await page.screenshot({ path: join(tmpdir(), `switchboard-return-at-reset-${flavorFromEnv()}.png`) });

        // The tooltip says why, when, and how the return happens.
        await countdown.hover();
        const hover = page.locator('.monaco-hover', { hasText: 'Qwen (demo) resets at' });
        await hover.first().waitFor({ timeout: 10_000 });
        assert.match(
          (await hover.first().innerText()).replace(/\s+/g, ' '),
          /then Switchboard checks it with one small request and moves back by itself/,
        );
        // The README's picture is refreshed only when asked (SWITCHBOARD_SCREENSHOTS=1), never by a plain test run.
        await page.screenshot({
          path: process.env.SWITCHBOARD_SCREENSHOTS
            ? join(__dirname, '..', '..', 'media', 'return-at-reset-tooltip.png')
            : join(tmpdir(), `switchboard-return-at-reset-tooltip-${flavorFromEnv()}.png`),
        });
        await page.mouse.move(10, 10);

        // Meanwhile completion comes from the local backup.
        const onOllama = emulator.count(OLLAMA_GENERATE);
        await greetingAtTheEnd(page);
        assert.ok(emulator.count(OLLAMA_GENERATE) > onOllama, 'the completion came from the local backup');
        await page.keyboard.press('Escape');

        // No probe before the reset.
        assert.ok(Date.now() < windowEnds, 'still inside the spent minute');
        assert.equal(emulator.count(CHAT), 0, 'nothing probed the limited backend before its reset');

        // After the reset: one probe, and the roles are back on the original backend.
        await statusItem(/^\s*Qwen \(demo\)/).waitFor({ timeout: windowEnds - Date.now() + 30_000 });
        assert.ok(Date.now() >= windowEnds - 1_000, 'not before the reset');
        assert.equal(emulator.count(CHAT), 1, 'one probe after the reset');
        assert.equal(await countdown.count(), 0, 'the countdown is gone');

        const onQwen = emulator.count(COMPLETIONS);
        await greetingAtTheEnd(page);
        assert.ok(emulator.count(COMPLETIONS) > onQwen, 'the next completion came from the original backend again');
      },
    ),
  );
});
