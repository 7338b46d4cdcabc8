import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './workbench';

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
