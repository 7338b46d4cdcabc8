/**
 * The packaged extension in a real workbench, driven like a person would: open a file, type, see
 * ghost text and accept it; run a command from the palette; read the status bar.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../emulator/server';
import { launchChromium } from '../harness/browser';
import { emulatorProviderSettings, flavorFromEnv, REPO_ROOT, startWorkbench, type Workbench } from '../harness/workbench';

const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const VSIX = join(REPO_ROOT, `${name}-${version}.vsix`);

describe(`Switchboard in the workbench (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    emulator = await startEmulator();
    workbench = await startWorkbench({ flavor: flavorFromEnv(), vsix: VSIX, settings: emulatorProviderSettings(emulator.openaiBaseUrl) });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${workbench.url}?folder=${encodeURIComponent(workbench.folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await workbench?.stop().catch(() => {});
    await emulator?.close().catch(() => {});
  });

  const statusItem = () => page.locator('.statusbar-item', { hasText: 'Emulator (demo)' });

  it('shows the Switchboard item with the active backend in the status bar', async () => {
    await statusItem().waitFor({ timeout: 60_000 });
    const label = await statusItem().getAttribute('aria-label');
    assert.match(label ?? '', /Emulator \(demo\)/);
  });

  it('shows ghost text from the emulator while typing and Tab inserts it', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scratch.js' }).click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await editor.locator('.view-lines').click();
    const before = emulator.requests.filter((r) => r.path === '/v1/completions').length;
    await page.keyboard.type('const greeting =', { delay: 40 });
    // Ghost text is rendered in pieces (leading whitespace apart), so read all of them together.
    const ghost = await page.waitForFunction(
      () => {
        const text = [...document.querySelectorAll('.ghost-text-decoration, .ghost-text')].map((el) => el.textContent ?? '').join('');
        return text.includes('Hello') ? text : undefined;
      },
      undefined,
      { timeout: 20_000 },
    );
    // The editor renders spaces as no-break spaces.
    assert.match(((await ghost.jsonValue()) ?? '').replace(/\u00a0/g, ' '), /^ 'Hello from the Switchboard emulator';$/);
    assert.ok(emulator.requests.filter((r) => r.path === '/v1/completions').length > before, 'the emulator received a completion request');
    await page.keyboard.press('Tab');
    await page.waitForFunction(
      () => document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes("const greeting = 'Hello from the Switchboard emulator';"),
      undefined,
      { timeout: 10_000 },
    );
  });

  it('runs Toggle Inline Completion from the command palette and the status bar follows', async () => {
    const runCommand = async (title: string) => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
      await page.keyboard.press('Enter');
    };
    await runCommand('Switchboard: Toggle Inline Completion');
    await statusItem().locator('.codicon-circle-slash').waitFor({ timeout: 10_000 });
    await runCommand('Switchboard: Toggle Inline Completion');
    await statusItem().locator('.codicon-plug').waitFor({ timeout: 10_000 });
  });
});
