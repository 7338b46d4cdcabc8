import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { REPO_ROOT, type Workbench } from './workbench';

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

/** A headless Chromium on the workbench, with the test folder open and the workbench drawn. */
export async function openWorkbenchPage(workbench: Workbench): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
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
