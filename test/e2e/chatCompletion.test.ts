/**
 * Ghost text from a backend with no FIM endpoint (Alibaba's Coding Plan): a chat model fills the
 * hole and wraps its answer in a fence, as real ones do. In a comment, where one line is due, the
 * words inside the fence show as ghost text and Tab inserts them.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_FIM_RULES } from '../emulator/answers';
import type { Emulator } from '../emulator/server';
import {
  closeAll,
  openScratchFile,
  openWorkbenchSession,
  switchboardItem,
  waitForEditorText,
  waitForGhostText,
} from '../harness/workbenchPage';
import { CODING_PLAN_KEY_ENV, codingPlanEntry, flavorFromEnv, type Workbench } from '../harness/workbench';

const COMMENT = '// Sums the ';
const WORDS = 'prices of the items in the cart';

describe(`completion over a chat-only backend (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      emulator: { fimRules: [...DEFAULT_FIM_RULES, { prefixEndsWith: COMMENT.trim(), text: ` ${WORDS}` }] },
      env: CODING_PLAN_KEY_ENV,
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [codingPlanEntry(baseUrls.codingPlan)],
        'switchboard.completion.provider': 'plan',
        'switchboard.chat.provider': 'plan',
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  it('shows the words a chat model fenced as ghost text in a comment, and Tab inserts them', async () => {
    await switchboardItem(page, /Coding Plan/).waitFor({ timeout: 60_000 });
    await openScratchFile(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.type(`\n${COMMENT}`, { delay: 60 });
    await waitForGhostText(page, WORDS);
    const ghost = await page.evaluate(() =>
      [...document.querySelectorAll('.ghost-text-decoration, .ghost-text')].map((el) => el.textContent).join(''),
    );
    assert.doesNotMatch(ghost, /```/, 'the fence is not part of the ghost text');
    if (process.env.SWITCHBOARD_SCREENSHOTS)
      await page.screenshot({ path: join(tmpdir(), 'switchboard-chat-completion-comment.png') });
    await page.keyboard.press('Tab');
    await waitForEditorText(page, `${COMMENT}${WORDS}`);
    const sent = emulator.requests.filter((request) => request.path.endsWith('/chat/completions'));
    assert.ok(sent.length >= 1, 'the completion went over chat');
    assert.ok(
      sent.every((request) => !JSON.stringify((request.body as { stop?: unknown }).stop ?? []).includes('"\\n"')),
      'no request stopped at the first line break',
    );
  });
});
