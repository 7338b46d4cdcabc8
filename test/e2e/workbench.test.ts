/**
 * The packaged extension in a real workbench, driven like a person would: open a file, type, see
 * ghost text and accept it; run a command from the palette; read the status bar.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../emulator/server';
import { closeAll, openWorkbenchPage, PACKAGED_VSIX, runCommand } from '../harness/workbenchPage';
import { ledgerRecords } from '../harness/ledgerFiles';
import { emulatorProviderSettings, flavorFromEnv, startWorkbench, type Workbench } from '../harness/workbench';

describe(`Switchboard in the workbench (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    emulator = await startEmulator();
    workbench = await startWorkbench({
      flavor: flavorFromEnv(),
      vsix: PACKAGED_VSIX,
      settings: emulatorProviderSettings(emulator.openaiBaseUrl),
    });
    ({ browser, page } = await openWorkbenchPage(workbench));
  });

  after(() => closeAll(browser, workbench, emulator));

  const statusItem = () => page.locator('.statusbar-item', { hasText: 'Emulator (demo)' });

  it('shows the Switchboard item with the active backend in the status bar', async () => {
    await statusItem().waitFor({ timeout: 60_000 });
    const label = await statusItem().getAttribute('aria-label');
    assert.match(label ?? '', /Emulator \(demo\)/);
  });

  const completionRequests = () => emulator.requests.filter((r) => r.path === '/v1/completions').length;
  // Ghost text is rendered in pieces (leading whitespace apart), and spaces as no-break spaces.
  const waitForGhost = (needle: string) =>
    page.waitForFunction(
      (want) => {
        const text = [...document.querySelectorAll('.ghost-text-decoration, .ghost-text')]
          .map((el) => el.textContent ?? '')
          .join('');
        return text.includes(want) ? text.replace(/\u00a0/g, ' ') : undefined;
      },
      needle,
      { timeout: 20_000 },
    );

  const ledgerCompletions = () =>
    ledgerRecords(workbench.userDataDir).filter((record) => record.feature === 'completion');

  it('shows ghost text from the emulator while typing, records the request, reuses it at the same place, and Tab inserts it', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scratch.js' }).click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await editor.locator('.view-lines').click();
    const before = completionRequests();
    await page.keyboard.type('const greeting =', { delay: 40 });
    const ghost = await waitForGhost('Hello');
    assert.match((await ghost.jsonValue()) ?? '', /^ 'Hello from the Switchboard emulator';$/);
    const afterFirst = completionRequests();
    assert.ok(afterFirst > before, 'the emulator received a completion request');

    // The ledger has it, with tokens, under the active backend.
    const deadline = Date.now() + 10_000;
    while (
      !ledgerCompletions().some((record) => record.backend === 'emulator' && record.outcome === 'ok') &&
      Date.now() < deadline
    )
      await page.waitForTimeout(200);
    const recorded = ledgerCompletions().filter((record) => record.backend === 'emulator' && record.outcome === 'ok');
    assert.ok(
      recorded.length >= 1 && (recorded[0]?.inputTokens ?? 0) > 0,
      `the ledger has the completion request (${JSON.stringify(ledgerCompletions())})`,
    );

    // Away and back to the same place: type a character, delete it, pause. No new request.
    await page.keyboard.press('Escape');
    await page.keyboard.type('x');
    await page.keyboard.press('Backspace');
    await waitForGhost('Hello');
    await page.waitForTimeout(1_500);
    assert.equal(completionRequests(), afterFirst, 'the second pause at the same place sent no request');

    await page.keyboard.press('Tab');
    await page.waitForFunction(
      () =>
        document
          .querySelector('.editor-instance .view-lines')
          ?.textContent?.replace(/\u00a0/g, ' ')
          .includes("const greeting = 'Hello from the Switchboard emulator';"),
      undefined,
      { timeout: 10_000 },
    );
  });

  it('runs Toggle Inline Completion from the command palette and the status bar follows', async () => {
    await runCommand(page, 'Switchboard: Toggle Inline Completion');
    await statusItem().locator('.codicon-circle-slash').waitFor({ timeout: 10_000 });
    await runCommand(page, 'Switchboard: Toggle Inline Completion');
    await statusItem().locator('.codicon-plug').waitFor({ timeout: 10_000 });
  });
});
