/**
 * A return that the user's own limit holds, in the real workbench: Qwen has a daily limit of one
 * request; completion spends it and moves to the local backup, with ghost text at the pause during
 * the move too; "Try the Backend That Ran Out Again" sends nothing, and the status bar says what holds the return and when the next try is, whole,
 * without claiming a try that never went.
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
  notificationInCenter,
  openScratchFile,
  openWorkbenchSession,
  runCommand,
  switchboardItem,
} from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { emulatorEntry, flavorFromEnv, type Workbench } from '../harness/workbench';

const COMPLETIONS = '/v1/completions';
const CHAT = '/v1/chat/completions';
const OLLAMA_GENERATE = '/api/generate';

describe(`a return held by the user's own limit (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [
          emulatorEntry('qwen', 'Qwen (demo)', baseUrls.openai, { limits: { requestsPerDay: 1 } }),
          emulatorEntry('local', 'Ollama (demo)', baseUrls.ollama, { preset: 'ollama' }),
        ],
        'switchboard.completion.provider': 'qwen',
        'switchboard.chat.provider': 'qwen',
        'switchboard.fallback': ['local'],
        'switchboard.completion.yieldToChat': false,
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  it(
    'sends nothing on "Try again" and says the limit holds the return until its reset',
    explained(
      () => page,
      async () => {
        await switchboardItem(page, 'Qwen (demo)').waitFor({ timeout: 60_000 });
        await openScratchFile(page);
        // The day's one request reaches the limit, and completion and chat move to the backup.
        await greetingAtTheEnd(page);
        await page.keyboard.press('Escape');
        // The next pause comes as the move gets under way: it has ghost text all the same, from
        // whichever backend the move leaves it with (switchMidCompletion.test.ts pins the case
        // where the move stops a request under way).
        await greetingAtTheEnd(page);
        await page.keyboard.press('Escape');
        const moved = switchboardItem(page, /on Ollama \(demo\) until Qwen \(demo\) resets at \d\d:\d\d/);
        await moved.waitFor({ timeout: 20_000 });
        // Completion goes on from the backup.
        const onBackup = emulator.count(OLLAMA_GENERATE);
        await greetingAtTheEnd(page);
        await page.keyboard.press('Escape');
        assert.ok(emulator.count(OLLAMA_GENERATE) > onBackup, 'the next completion came from the backup');
        const sent = emulator.count(COMPLETIONS) + emulator.count(CHAT);

        await runCommand(page, 'Switchboard: Try the Backend That Ran Out Again');
        const held = switchboardItem(
          page,
          /on Ollama \(demo\) · return to Qwen \(demo\) held by your limit, next try at \d\d:\d\d/,
        );
        await held.waitFor({ timeout: 15_000 });
        assert.equal(emulator.count(COMPLETIONS) + emulator.count(CHAT), sent, 'nothing went to Qwen');
        assert.doesNotMatch(await held.innerText(), /trying/);
        // One notification says the same in a sentence: nothing sent, and why.
        const told = await notificationInCenter(page, /nothing was sent to Qwen \(demo\)/);
        assert.equal(await told.count(), 1);
        assert.match(
          (await told.innerText()).replace(/\s+/g, ' '),
          /nothing was sent to Qwen \(demo\): it is still past the limit in your settings\./,
        );
        await page.screenshot({ path: join(tmpdir(), `switchboard-held-return-${flavorFromEnv()}.png`) });
        await page.keyboard.press('Escape');

        // The tooltip says it in full: why the roles moved, what holds the return, and the next try.
        await held.hover();
        const hover = page.locator('.monaco-hover', { hasText: 'Completion and chat moved to Ollama (demo)' });
        await hover.first().waitFor({ timeout: 10_000 });
        assert.match(
          (await hover.first().innerText()).replace(/\s+/g, ' '),
          /Completion and chat moved to Ollama \(demo\) because Qwen \(demo\) reached its limit[^.]*\. Nothing was sent to Qwen \(demo\): it is still past the limit in your settings\. The next try is at \d\d:\d\d( UTC)? \(in [^)]+\)\./,
        );
        await page.screenshot({ path: join(tmpdir(), `switchboard-held-return-tooltip-${flavorFromEnv()}.png`) });
      },
    ),
  );
});
