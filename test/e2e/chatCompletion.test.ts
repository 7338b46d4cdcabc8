/**
 * Ghost text from a backend with no FIM endpoint (Alibaba's Coding Plan): a chat model fills the
 * hole and wraps its answer in a fence, as real ones do. In a comment, where one line is due, the
 * words inside the fence show as ghost text and Tab inserts them. The plan's chat model thinks
 * before it answers (Qwen3.5 and later do by default): the chat view says so meanwhile.
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
  runCommand,
  switchboardItem,
  waitForEditorText,
  waitForGhostText,
  webviewFrame,
} from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
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
      emulator: {
        fimRules: [...DEFAULT_FIM_RULES, { prefixEndsWith: COMMENT.trim(), text: ` ${WORDS}` }],
        // Slow enough to see the chat model think before it answers.
        tokensPerSecond: 50,
      },
      env: CODING_PLAN_KEY_ENV,
      settings: ({ baseUrls }) => ({
        'switchboard.providers': [codingPlanEntry(baseUrls.codingPlan, { chatModel: 'qwen3.7-plus' })],
        'switchboard.completion.provider': 'plan',
        'switchboard.chat.provider': 'plan',
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  it(
    'shows the words a chat model fenced as ghost text in a comment, and Tab inserts them',
    explained(
      () => page,
      async () => {
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
      },
    ),
  );

  it(
    'says "Thinking…" in the chat while the plan\'s model reasons, then shows the answer alone',
    explained(
      () => page,
      async () => {
        await runCommand(page, 'Switchboard: Open Chat');
        const chat = webviewFrame(page, 'first');
        await chat.locator('#input').waitFor({ timeout: 30_000 });
        await chat.locator('#input').fill('Explain closures');
        await chat.locator('#input').press('Enter');
        const answer = chat.locator('.turn.assistant').last();
        await answer.locator('.turn-thinking', { hasText: 'Thinking…' }).waitFor({ timeout: 20_000 });
        if (process.env.SWITCHBOARD_SCREENSHOTS)
          await page.screenshot({ path: join(tmpdir(), 'switchboard-chat-thinking.png') });
        await chat.locator('.turn.assistant[data-status="complete"]').waitFor({ timeout: 60_000 });
        assert.equal(await answer.locator('.turn-thinking').count(), 0, 'the answer ends the wait');
        const text = (await answer.locator('.body').textContent()) ?? '';
        assert.match(text, /Explain closures"\. This answer comes from the Switchboard emulator/);
        assert.doesNotMatch(text, /Let me read the code/, 'the reasoning is not shown');
        // The output tokens are mostly reasoning, and the usage line says so.
        assert.match((await answer.locator('.usage').textContent()) ?? '', /out tokens \([\d,]+ reasoning\)/);
        if (process.env.SWITCHBOARD_SCREENSHOTS)
          await page.screenshot({ path: join(tmpdir(), 'switchboard-chat-thought.png') });
      },
    ),
  );
});
