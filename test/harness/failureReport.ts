/**
 * When an e2e test fails, what the workbench showed at that moment: CI keeps only the log, so the
 * report goes into the error's message (and a screenshot beside it for a local run).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Most characters kept of each part of the report. */
const PART_LIMIT = 2_000;

const clip = (text: string): string =>
  text.length > PART_LIMIT ? `${text.slice(0, PART_LIMIT)}… (${text.length - PART_LIMIT} more)` : text;

/** The visible text of the status bar, the notifications, and each webview's page. */
export async function pageReport(page: Page): Promise<string> {
  const parts: string[] = [];
  const textOf = async (selector: string): Promise<string> =>
    (
      await page
        .locator(selector)
        .allInnerTexts()
        .catch(() => [])
    )
      .join(' | ')
      .replace(/\s+/g, ' ')
      .trim();
  parts.push(`status bar: ${clip(await textOf('.statusbar-item'))}`);
  parts.push(`notifications: ${clip(await textOf('.notification-toast, .notification-list-item'))}`);
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || !frame.url().includes('fake.html')) continue;
    const text = await frame
      .evaluate(() => document.body.innerText)
      .then((body) => body.replace(/\s+/g, ' ').trim())
      .catch((error: unknown) => `(unreadable: ${String(error)})`);
    parts.push(`webview ${frame.url().slice(0, 80)}: ${clip(text)}`);
  }
  return parts.join('\n');
}

/**
 * Wraps a test's body: if it throws, the error's message gains the page report, and a screenshot
 * is saved under the temp folder (its path in the message).
 */
export function explained(page: () => Page | undefined, body: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await body();
    } catch (error) {
      const current = page();
      if (!current || !(error instanceof Error)) throw error;
      const picture = join(tmpdir(), `switchboard-e2e-failure-${Date.now().toString()}.png`);
      const saved = await current
        .screenshot({ path: picture, timeout: 10_000 })
        .then(() => picture)
        .catch(() => 'none');
      const report = await pageReport(current).catch((reason: unknown) => `(no report: ${String(reason)})`);
      error.message += `\n--- the workbench when it failed (screenshot: ${saved}) ---\n${report}`;
      throw error;
    }
  };
}
