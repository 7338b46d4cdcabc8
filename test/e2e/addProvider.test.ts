/**
 * Add Provider as a user goes through it, in the real workbench with the packaged VSIX: a server
 * that is not there is answered (Retry / Add Anyway, until one is clicked), a working one lists its
 * models to choose from, and the entry lands in user settings under the next free id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import {
  closeAll,
  greetingAtTheEnd,
  openScratchFile,
  openWorkbenchSession,
  runCommand,
  settingsWritten,
  switchboardItem,
  userSettings,
} from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { flavorFromEnv, type Workbench } from '../harness/workbench';

describe(`Add Provider (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession());
    await page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).waitFor({ timeout: 60_000 });
  });

  after(() => closeAll(browser, workbench, emulator));

  const input = () => page.locator('.quick-input-widget input');
  const title = () => page.locator('.quick-input-widget .quick-input-title');
  type Entry = { id: string; name?: string; preset: string; baseUrl?: string; chatModel?: string; limits?: unknown };
  /** The user settings' providers; none while the editor is half-way through writing the file. */
  const providersIn = (settings: Record<string, unknown>) => (settings['switchboard.providers'] ?? []) as Entry[];
  const userProviders = () => providersIn(userSettings(workbench));
  /** The providers once the editor has written a list that satisfies `done`. */
  const providersWritten = async (done: (entries: Entry[]) => boolean) =>
    providersIn(await settingsWritten(page, workbench, (settings) => done(providersIn(settings)), 10_000));

  /** Starts the wizard on the OpenAI-compatible preset and enters `url` at its second step. */
  async function startWith(url: string): Promise<void> {
    await runCommand(page, 'Switchboard: Add Provider…');
    await title().filter({ hasText: 'which backend?' }).waitFor();
    await input().fill('OpenAI-compatible server');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI-compatible server' }).first().waitFor();
    await page.keyboard.press('Enter');
    // The preset needs no key: after the backend come where, then models. The counter says so.
    await title().filter({ hasText: 'Add provider (2/3): where does OpenAI-compatible server run?' }).waitFor();
    await input().fill(url);
    await page.keyboard.press('Enter');
  }

  it(
    'finds the Coding Plan, where Qwen Code sent its users, when “qwen” is typed',
    explained(
      () => page,
      async () => {
        await runCommand(page, 'Switchboard: Add Provider…');
        await title().filter({ hasText: 'which backend?' }).waitFor();
        await input().fill('qwen');
        const rows = page.locator('.quick-input-list .monaco-list-row');
        await rows.filter({ hasText: 'Alibaba Coding Plan (international)' }).first().waitFor({ timeout: 10_000 });
        const shown = await rows.allTextContents();
        assert.ok(
          shown.some((text) => text.includes('Qwen (Alibaba Model Studio, Singapore)')),
          shown.join(' | '),
        );
        await page.keyboard.press('Escape');
        await title().waitFor({ state: 'hidden' });
      },
    ),
  );

  it(
    'keeps a failed connection test on screen until it is answered, and Retry tests again',
    explained(
      () => page,
      async () => {
        await startWith('http://127.0.0.1:9/v1');
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.filter({ hasText: 'did not answer the connection test' }).waitFor({ timeout: 20_000 });
        for (const button of ['Retry', 'Add Anyway', 'Cancel'])
          await dialog.getByRole('button', { name: button }).waitFor();
        await page.waitForTimeout(6_000); // longer than a notification would stay
        assert.ok(await dialog.isVisible(), 'the failure stays until answered');
        await dialog.getByRole('button', { name: 'Retry' }).click();
        await dialog.filter({ hasText: 'did not answer the connection test' }).waitFor({ timeout: 20_000 });
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        assert.equal(userProviders().length, 1, 'nothing was added');
      },
    ),
  );

  it(
    'offers the server’s own models and saves the entry in user settings',
    explained(
      () => page,
      async () => {
        await startWith(emulator.openaiBaseUrl);
        await title().filter({ hasText: 'Add provider (3/3): model for chat' }).waitFor({ timeout: 20_000 });
        const models = page.locator('.quick-input-list .monaco-list-row');
        await models.filter({ hasText: 'emulator-chat' }).first().waitFor();
        await input().fill('emulator-chat');
        await page.keyboard.press('Enter');
        await title().filter({ hasText: 'Add provider (3/3): model for completion' }).waitFor();
        await input().fill('emulator-coder');
        await page.keyboard.press('Enter');
        const added = (await providersWritten((entries) => entries.length >= 2)).at(-1);
        assert.deepEqual(
          {
            id: added?.id,
            name: added?.name,
            preset: added?.preset,
            baseUrl: added?.baseUrl,
            chatModel: added?.chatModel,
          },
          // Named by its preset, so the status bar and the pickers do not call it by its id.
          {
            id: 'custom',
            name: 'OpenAI-compatible server',
            preset: 'custom',
            baseUrl: emulator.openaiBaseUrl,
            chatModel: 'emulator-chat',
          },
        );
      },
    ),
  );

  it(
    'shows a backend added after a failed test as failing until one of its requests is served',
    explained(
      () => page,
      async () => {
        // Added from the switch picker, as a user moving to it does, and chosen for both features.
        await runCommand(page, 'Switchboard: Switch Provider');
        // The palette's own rows ("Switchboard: Add Provider…") stay a moment after Enter.
        await page.locator('.quick-input-widget input[placeholder="Switch to which backend?"]').waitFor();
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Add provider…' }).click();
        await title().filter({ hasText: 'which backend?' }).waitFor();
        await input().fill('OpenAI-compatible server');
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI-compatible server' })
          .first()
          .waitFor();
        await page.keyboard.press('Enter');
        await title().filter({ hasText: 'where does OpenAI-compatible server run?' }).waitFor();
        // The server is down while it is added (its every answer a 503), and back up right after.
        emulator.fault({ kind: 'server-error', status: 503, times: 50 });
        await input().fill(emulator.openaiBaseUrl);
        await page.keyboard.press('Enter');
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.filter({ hasText: 'did not answer the connection test' }).waitFor({ timeout: 20_000 });
        await dialog.getByRole('button', { name: 'Add Anyway' }).click();
        emulator.clearFaults();
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Completion and chat' }).click();

        // The status bar shortens the name ("OpenAI-compatible s…").
        const failing = switchboardItem(page, /OpenAI-compatible .* · connection test failed/);
        await failing.waitFor({ timeout: 20_000 });
        assert.equal(await failing.locator('.codicon-warning').count(), 1, 'a warning, not the healthy plug');
        // Its tooltip says what the test said, and what to do.
        const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'failed its connection test' });
        for (let attempt = 0; attempt < 20 && !(await hover.count()); attempt++) {
          await page.mouse.move(0, 0);
          await failing.hover();
          await page.waitForTimeout(500);
        }
        assert.match(await hover.first().innerText(), /503[\s\S]*None of its requests has been answered since\./);
        await page.screenshot({ path: '/tmp/switchboard-e2e/add-anyway-status.png' });
        await page.mouse.move(0, 0);
        await runCommand(page, 'Switchboard: Switch Provider');
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: 'failed its connection test' })
          .filter({ hasText: 'OpenAI-compatible server 2' })
          .waitFor();
        await page.screenshot({ path: '/tmp/switchboard-e2e/add-anyway-picker.png' });
        await page.keyboard.press('Escape');

        assert.ok(
          await failing.isVisible(),
          'a server back up is not yet known to work: the warning stays until something is served',
        );
        // Another window has its own extension host, as a reloaded one does (reloading code-server's
        // page reconnects to the same one): the failed test is said there too.
        const other = await page.context().newPage();
        try {
          await other.goto(`${workbench.url}?folder=${encodeURIComponent(workbench.folder)}`);
          await other.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
          await switchboardItem(other, /OpenAI-compatible .* · connection test failed/).waitFor({ timeout: 60_000 });
          await other.screenshot({ path: '/tmp/switchboard-e2e/add-anyway-other-window.png' });

          await openScratchFile(page);
          await greetingAtTheEnd(page);
          const healthy = (on: Page) =>
            switchboardItem(on, /OpenAI-compatible/)
              .filter({ hasNotText: 'connection test failed' })
              .and(on.locator('.statusbar-item', { has: on.locator('.codicon-plug') }));
          await healthy(page).waitFor({ timeout: 20_000 });
          // Served in one window is served: the other one hears it from the usage ledger.
          await healthy(other).waitFor({ timeout: 30_000 });
        } finally {
          await other.close();
        }
      },
    ),
  );

  it(
    'removes a backend: its entry leaves settings, and the features it served wait for the user’s pick',
    explained(
      () => page,
      async () => {
        // "OpenAI-compatible server 2" serves completion and chat since the test before.
        await runCommand(page, 'Switchboard: Remove Provider…');
        await page.locator('.quick-input-widget input[placeholder="Remove which backend?"]').waitFor();
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI-compatible server 2' })
          .first()
          .click();
        const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'Remove OpenAI-compatible server 2?' });
        await dialog.waitFor({ timeout: 10_000 });
        assert.match(await dialog.innerText(), /It serves completion and chat: you choose what does next\./);
        await page.screenshot({ path: '/tmp/switchboard-e2e/remove-provider-confirm.png' });
        await dialog.getByRole('button', { name: 'Remove' }).click();
        // Straight to the switch picker; nothing moved to another backend meanwhile.
        await page.locator('.quick-input-widget input[placeholder="Switch to which backend?"]').waitFor();
        const left = await providersWritten((entries) => !entries.some((entry) => entry.id === 'custom-2'));
        assert.deepEqual(
          left.map((entry) => entry.id),
          ['emulator', 'custom'],
        );
        assert.equal(
          await page.locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI-compatible server 2' }).count(),
          0,
        );
        await page.screenshot({ path: '/tmp/switchboard-e2e/remove-provider-switch.png' });
        await page.keyboard.press('Escape');
      },
    ),
  );

  it(
    'asks a backend that bills per request for a daily budget, and saves it with the entry',
    explained(
      () => page,
      async () => {
        await runCommand(page, 'Switchboard: Add Provider…');
        await title().filter({ hasText: 'which backend?' }).waitFor();
        await input().fill('DeepSeek');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'DeepSeek' }).first().waitFor();
        await page.keyboard.press('Enter');
        await title().filter({ hasText: 'API key for DeepSeek' }).waitFor();
        await input().fill('sk-e2e-not-a-real-key-0123456789');
        await page.keyboard.press('Enter');
        // DeepSeek is out of reach here (or refuses this key): added anyway, as a user fixing it later does.
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.filter({ hasText: 'did not answer the connection test' }).waitFor({ timeout: 90_000 });
        await dialog.getByRole('button', { name: 'Add Anyway' }).click();
        await title()
          .filter({ hasText: /^Add provider \(4\/4\): a daily budget for DeepSeek\?$/ })
          .waitFor({ timeout: 15_000 });
        await page.locator('.quick-input-widget', { hasText: 'In US dollars per UTC day' }).waitFor();
        await page.screenshot({ path: '/tmp/switchboard-e2e/add-provider-budget.png' });
        await input().fill('0');
        await page.locator('.quick-input-widget', { hasText: 'Type an amount above 0' }).waitFor();
        await input().fill('2');
        await page.keyboard.press('Enter');
        const added = (await providersWritten((entries) => entries.some((entry) => entry.id === 'deepseek'))).find(
          (entry) => entry.id === 'deepseek',
        );
        assert.deepEqual(added?.limits, { usdPerDay: 2 });
      },
    ),
  );
});
