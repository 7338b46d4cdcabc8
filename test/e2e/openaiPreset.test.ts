/**
 * The `openai` preset with its own default models (GPT-5 family reasoning models), against an
 * emulator that refuses what OpenAI refuses for them (`max_tokens`, a temperature, `stop`): ghost
 * text arrives, and no request is refused on the way.
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
  switchboardItem,
} from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { flavorFromEnv, type Workbench } from '../harness/workbench';

describe(`the openai preset's own models (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      env: { OPENAI_API_KEY: 'sk-proj-e2e-0123456789abcdefghijklmnop' },
      settings: ({ baseUrls }) => ({
        // No models named: the preset's defaults (gpt-5.5 for chat, gpt-5.4-mini for completion).
        // The emulator is not api.openai.com: the variable goes there only when the entry names it.
        'switchboard.providers': [
          { id: 'oai', name: 'OpenAI (demo)', preset: 'openai', baseUrl: baseUrls.openai, apiKeyEnv: 'OPENAI_API_KEY' },
        ],
        'switchboard.completion.provider': 'oai',
        'switchboard.chat.provider': 'oai',
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  it(
    'shows ghost text from gpt-5.4-mini, asked in the parameters it takes',
    explained(
      () => page,
      async () => {
        await switchboardItem(page, /OpenAI \(demo\)/).waitFor({ timeout: 60_000 });
        await openScratchFile(page);
        await greetingAtTheEnd(page);
        const asked = emulator.requests.filter((request) => request.path === '/v1/chat/completions');
        assert.ok(asked.length > 0);
        for (const request of asked) {
          const body = request.body as Record<string, unknown>;
          assert.equal(request.status, 200, JSON.stringify(body));
          assert.equal(body.model, 'gpt-5.4-mini');
          assert.equal(body.max_tokens, undefined);
          assert.equal(body.reasoning_effort, 'none');
        }
      },
    ),
  );
});
