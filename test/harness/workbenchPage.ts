import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/server';
import { launchChromium } from './browser';
import { emulatorProviderSettings, flavorFromEnv, REPO_ROOT, startWorkbench, type Workbench } from './workbench';

const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/** The VSIX `npm run package` writes, which the e2e tier installs. */
export const PACKAGED_VSIX = join(REPO_ROOT, `${name}-${version}.vsix`);

/**
 * Runs a command from the palette by its title. Right after a (re)load the palette can open before
 * the extension's commands are registered, so an empty result is closed and the palette asked again.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt === 3) throw error;
    }
  }
}

/** The user settings as the editor last wrote them; none while the file is missing or half-written. */
export function userSettings(workbench: Workbench): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(workbench.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

/**
 * Waits until the editor has written user settings that satisfy `done` (a command writes them a
 * moment after its picker closes) and returns them; after `timeout` returns what is there, for the
 * test's own assertion to explain.
 */
export async function settingsWritten(
  page: Page,
  workbench: Workbench,
  done: (settings: Record<string, unknown>) => boolean,
  timeout = 15_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeout;
  let settings = userSettings(workbench);
  while (!done(settings) && Date.now() < deadline) {
    await page.waitForTimeout(200);
    settings = userSettings(workbench);
  }
  return settings;
}

/** A headless Chromium on the workbench, with the test folder open and the workbench drawn. */
export async function openWorkbenchPage(workbench: Workbench): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  // A context of its own, so a test can open a second window (tab) on the same browser profile.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${workbench.url}?folder=${encodeURIComponent(workbench.folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { browser, page };
}

/** Stops whatever a suite started, each even when another fails to stop. */
export async function closeAll(
  ...parts: ({ close(): Promise<unknown> } | { stop(): Promise<unknown> } | undefined)[]
): Promise<void> {
  for (const part of parts) {
    if (!part) continue;
    await ('close' in part ? part.close() : part.stop()).catch(() => {});
  }
}

/** What an e2e suite runs against: the emulator, a fresh workbench with the packaged VSIX, a page on it. */
export interface WorkbenchSession {
  emulator: Emulator;
  workbench: Workbench;
  browser: Browser;
  page: Page;
}

export interface WorkbenchSessionOptions {
  /** How the emulator behaves: quotas, FIM rules, speed. */
  emulator?: EmulatorOptions;
  /** The user settings, given the emulator; by default its OpenAI-compatible side as the one backend. */
  settings?: (emulator: Emulator) => Record<string, unknown>;
  env?: Record<string, string>;
  /** Runs once the workbench is up and before the page opens: files that must be there from the start. */
  beforeOpen?: (workbench: Workbench) => void;
}

/**
 * Starts the emulator, a workbench of the flavor under test with the packaged VSIX, and a
 * Chromium page on it. Stops what it started when a later step fails; `closeAll` the rest after.
 */
export async function openWorkbenchSession(options: WorkbenchSessionOptions = {}): Promise<WorkbenchSession> {
  const emulator = await startEmulator(options.emulator);
  let workbench: Workbench | undefined;
  try {
    workbench = await startWorkbench({
      flavor: flavorFromEnv(),
      vsix: PACKAGED_VSIX,
      settings: options.settings ? options.settings(emulator) : emulatorProviderSettings(emulator.openaiBaseUrl),
      env: options.env,
    });
    options.beforeOpen?.(workbench);
    const { browser, page } = await openWorkbenchPage(workbench);
    return { emulator, workbench, browser, page };
  } catch (error) {
    await closeAll(workbench, emulator);
    throw error;
  }
}

/** Switchboard's status bar item: it carries an icon; the transient "now use …" message beside it does not. */
export function switchboardItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.statusbar-item', {
    hasText: text,
    has: page.locator('.codicon-plug, .codicon-warning, .codicon-error'),
  });
}

/**
 * The notification that says `text`, in the notification center, which this opens. VS Code hides
 * a warning's or an information's toast after a while (12 s and 10 s in 1.104, 18 s and 15 s in
 * 1.100; an error's with buttons stays), and the notification waits there, buttons and all, until
 * it is answered: a test that comes back to a toast later reads it here.
 */
export async function notificationInCenter(page: Page, text: string | RegExp): Promise<Locator> {
  await runCommand(page, 'Notifications: Show Notifications');
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text });
  await item.first().waitFor({ timeout: 15_000 });
  return item;
}

/** Opens the sample workspace's scratch.js from the explorer and puts the cursor in it. */
export async function openScratchFile(page: Page): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scratch.js' }).click();
  await page.locator('.editor-instance .view-lines').first().click();
}

/**
 * Types one key at a time, each followed by a pause longer than the adaptive debounce ever waits
 * (800 ms after a kind of key this user never pauses after; 600 ms otherwise), so each pause asks
 * for one completion; every eighth key is a new line. Stops when
 * `done` says so or after `most` keys; `onPause` looks at the workbench after each pause.
 */
export async function typeWithPauses(
  page: Page,
  most: number,
  done: () => boolean | Promise<boolean>,
  onPause?: () => Promise<void>,
): Promise<void> {
  for (let i = 0; i < most && !(await done()); i++) {
    await page.keyboard.type(i % 8 === 7 ? '\n' : 'x');
    await page.waitForTimeout(900);
    await onPause?.();
  }
}

/** Waits for ghost text that holds `words` (the editor renders its spaces as non-breaking ones). */
export async function waitForGhostText(page: Page, words: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (expected) =>
      [...document.querySelectorAll('.ghost-text-decoration, .ghost-text')].some((el) =>
        el.textContent?.replace(/\u00a0/g, ' ').includes(expected),
      ),
    words,
    { timeout },
  );
}

/**
 * Starts `const greeting =` on a new last line of the editor and waits for the emulator's greeting
 * as ghost text. The line goes in as one edit, as a paste or a snippet would put it, so it asks for
 * one completion at its end: typed key by key, the keys a slow machine delivers late are pauses to
 * the adaptive debounce, each a request, and a backend with a few requests a minute left would
 * spend them before the `=`.
 */
export async function greetingAtTheEnd(page: Page): Promise<void> {
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\nconst greeting =');
  await waitForGhostText(page, 'Hello');
}

/** Waits until the editor in front holds `text` (non-breaking spaces read as spaces). */
export async function waitForEditorText(page: Page, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    (expected) =>
      document
        .querySelector('.editor-instance .view-lines')
        ?.textContent?.replace(/\u00a0/g, ' ')
        .includes(expected),
    text,
    { timeout },
  );
}

/** The content frame of a Switchboard webview: the first one opened (chat) or the last (the dashboard). */
export function webviewFrame(page: Page, which: 'first' | 'last'): FrameLocator {
  const outer = page.frameLocator('iframe.webview.ready');
  return (which === 'first' ? outer.first() : outer.last()).frameLocator('#active-frame');
}
