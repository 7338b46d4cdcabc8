/**
 * A new user's first minutes, in the real workbench with the packaged VSIX: the walkthrough opens
 * by itself on the first run, its first step opens Add Provider, and its completion step opens a
 * sample where ghost text appears at the pause, with nothing typed. With the first-run walkthrough
 * off, "Switchboard: Get Started" opens it from the palette.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import { closeAll, openWorkbenchSession, runCommand, waitForEditorText } from '../harness/workbenchPage';
import { emulatorProviderSettings, flavorFromEnv, type Workbench } from '../harness/workbench';

describe(`a new user's first run (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      settings: ({ openaiBaseUrl }) => ({
        ...emulatorProviderSettings(openaiBaseUrl),
        'switchboard.showWelcome': true,
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const walkthrough = () => page.locator('.gettingStartedContainer');
  const step = (title: string) => walkthrough().locator('.getting-started-step', { hasText: title });

  it('opens the walkthrough by itself, its backend and key steps ticked when a backend is ready', async () => {
    await walkthrough().getByText('Get started with Switchboard').first().waitFor({ timeout: 60_000 });
    await ticked(page, 'Choose a backend').waitFor({ timeout: 15_000 });
    await ticked(page, 'Store your API key').waitFor({ timeout: 15_000 });
    assert.equal(await ticked(page, 'Try inline completion').count(), 0);
  });

  it('opens the walkthrough by itself, and its first step opens Add Provider', async () => {
    await walkthrough().getByText('Get started with Switchboard').first().waitFor({ timeout: 60_000 });
    await step('Choose a backend').click();
    await step('Choose a backend').getByRole('button', { name: 'Add Provider…' }).click();
    const title = page.locator('.quick-input-widget .quick-input-title');
    await title.filter({ hasText: 'Add provider' }).waitFor({ timeout: 15_000 });
    assert.match((await title.textContent()) ?? '', /Add provider: which backend\?/);
    // The presets are offered, by name (the list is long: filter it as a user would).
    await page.locator('.quick-input-widget input').fill('Ollama');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ollama' }).first().waitFor();
    await page.keyboard.press('Escape');
  });

  it('has a step on prices and budgets', async () => {
    await step('Prices and budgets').waitFor();
  });

  it('opens a sample from the completion step where the pause shows ghost text, nothing typed', async () => {
    const before = emulator.requests.filter((r) => r.path === '/v1/completions').length;
    await step('Try inline completion').click();
    await step('Try inline completion').getByRole('button', { name: 'Try It' }).click();
    const ghost = await page.waitForFunction(
      () => {
        const text = [...document.querySelectorAll('.ghost-text-decoration, .ghost-text')]
          .map((el) => el.textContent ?? '')
          .join('')
          .replace(/\u00a0/g, ' ');
        return text.includes('if (n < 2)') && text.includes('return true;') ? text : undefined;
      },
      undefined,
      { timeout: 30_000 },
    );
    assert.match((await ghost.jsonValue()) ?? '', /for \(let i = 2; i \* i <= n; i\+\+\)/);
    assert.ok(emulator.requests.filter((r) => r.path === '/v1/completions').length > before);
    // It is the sample, in an editor of its own, and Tab takes the whole block.
    await page.keyboard.press('Tab');
    await waitForEditorText(page, 'return true;');
    // Back in the walkthrough, the step is done: ghost text was seen.
    await runCommand(page, 'Switchboard: Get Started');
    await ticked(page, 'Try inline completion').waitFor({ timeout: 15_000 });
  });
});

describe(`the walkthrough with no backend yet (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({ settings: () => ({}) }));
  });

  after(() => closeAll(browser, workbench, emulator));

  it('ticks no step for a button pressed and given up on, only for what was done', async () => {
    await page.locator('.statusbar-item', { hasText: 'Switchboard' }).first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'Switchboard: Get Started');
    const walkthrough = page.locator('.gettingStartedContainer');
    const step = (title: string) => walkthrough.locator('.getting-started-step', { hasText: title });
    await step('Try inline completion').click();
    await step('Try inline completion').getByRole('button', { name: 'Try It' }).click();
    // No backend: Try It offers Add Provider instead of a sample, and no ghost text was seen.
    await page
      .locator('.notification-toast', { hasText: 'inline completion needs a backend first' })
      .waitFor({ timeout: 15_000 });
    await step('Choose a backend').click();
    await step('Choose a backend').getByRole('button', { name: 'Add Provider…' }).click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Add provider' }).waitFor();
    await page.keyboard.press('Escape');
    for (const title of ['Choose a backend', 'Store your API key', 'Try inline completion'])
      assert.equal(await ticked(page, title).count(), 0, `"${title}" is ticked`);
  });
});

describe(`Get Started from the palette (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession());
  });

  after(() => closeAll(browser, workbench, emulator));

  it("shows Switchboard's walkthrough, not the editor's own, on the first day", async () => {
    // The extension is up: its status bar item shows the backend.
    await page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'Switchboard: Get Started');
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.locator('.getting-started-step', { hasText: 'Choose a backend' }).waitFor({ timeout: 15_000 });
  });
});

/** The walkthrough step titled `title`, found only while its box is ticked. */
function ticked(page: Page, title: string) {
  return page
    .locator('.gettingStartedContainer .getting-started-step', { hasText: title })
    .locator('[data-done-step-id][aria-checked="true"]');
}
