/**
 * The chat view in a real workbench: ask, watch the answer stream in from the emulator, insert
 * its code block into the editor, stop a long answer half-way, reload the window and find the
 * conversation again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import {
  closeAll,
  openScratchFile,
  openWorkbenchSession,
  runCommand,
  waitForEditorText,
  webviewFrame,
} from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { ledgerRecords } from '../harness/ledgerFiles';
import { emulatorProviderSettings, flavorFromEnv, type Workbench } from '../harness/workbench';

const KEY_VARIABLE = 'SWITCHBOARD_E2E_KEY';

describe(`Switchboard chat view (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const price = { '*': { inputPerMTok: 3, outputPerMTok: 15 } };
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      // Slow enough to watch an answer arrive and to stop one half-way.
      emulator: { tokensPerSecond: 40 },
      // Besides the OpenAI-compatible emulator entry: the same emulator as Anthropic and as Ollama,
      // and a server that is not there, for the error and its actions.
      settings: ({ openaiBaseUrl, baseUrls }) => {
        const settings = emulatorProviderSettings(openaiBaseUrl);
        settings['switchboard.providers'] = [
          ...(settings['switchboard.providers'] as unknown[]),
          {
            id: 'claude',
            name: 'Claude (demo)',
            preset: 'anthropic',
            baseUrl: baseUrls.anthropic,
            chatModel: 'claude-haiku-4-5',
            apiKeyEnv: KEY_VARIABLE,
            prices: price,
          },
          {
            id: 'local',
            name: 'Ollama (demo)',
            preset: 'ollama',
            baseUrl: baseUrls.ollama,
            chatModel: 'emulator-chat',
          },
          {
            id: 'offline',
            name: 'Offline (demo)',
            preset: 'custom',
            baseUrl: 'http://127.0.0.1:9/v1',
            chatModel: 'emulator-chat',
          },
        ];
        return settings;
      },
      env: { [KEY_VARIABLE]: 'sk-e2e-test' },
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  /** The chat view's page: VS Code nests each webview in two frames. */
  const chatFrame = (): FrameLocator => webviewFrame(page, 'first');
  /**
   * Removes every context chip. The editor can update the chips while this runs (a restored file
   * settling after a reload), so a click that loses its chip is tried again until none are left.
   */
  const removeAllChips = async () => {
    const remove = chatFrame().locator('.chip-remove');
    const deadline = Date.now() + 20_000;
    let quietSince = 0;
    while (Date.now() < deadline) {
      if ((await remove.count()) === 0) {
        quietSince ||= Date.now();
        if (Date.now() - quietSince >= 500) return;
        await page.waitForTimeout(100);
        continue;
      }
      quietSince = 0;
      await remove
        .first()
        .click({ timeout: 2_000 })
        .catch((error: unknown) => {
          if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
        });
    }
    assert.fail(`context chips are still there: ${(await remove.count()).toString()}`);
  };
  /**
   * Picks a chat backend in the header, and waits until the host has made it the chat backend: the
   * picker's title names the host's choice. The host handles the view's messages as they come, so
   * a question sent before its settings write ends would still go to the backend before.
   */
  const pickBackend = async (id: string, name: string) => {
    const chat = chatFrame();
    await chat.locator('#backend-picker').selectOption(id);
    await chat.locator(`#backend-picker[title^="Chat backend: ${name}"]`).waitFor({ timeout: 15_000 });
    assert.equal(await chat.locator('#backend-picker').inputValue(), id, 'the host confirmed the switch');
  };
  const editorText = () =>
    page
      .locator('.editor-instance .view-lines')
      .first()
      .evaluate((el) => el.textContent?.replace(/\u00a0/g, ' ') ?? '');

  it(
    'streams a markdown answer, inserts its code block, stops a long answer, and keeps the conversation across a reload',
    explained(
      () => page,
      async () => {
        // The extension is active once its status bar item shows: its commands run from the palette.
        await page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).first().waitFor({ timeout: 60_000 });
        await openScratchFile(page);
        await page.keyboard.press('Control+End');
        await page.keyboard.press('Enter');

        await runCommand(page, 'Switchboard: Open Chat');
        const chat = chatFrame();
        await chat.locator('#input').waitFor({ timeout: 30_000 });
        await chat.locator('#input').fill('Show me an example');
        await chat.locator('#input').press('Enter');

        // The answer is rendered markdown: a highlighted code block with its buttons, and usage under it.
        const answer = chat.locator('.turn.assistant').last();
        await answer.locator('.md-code code', { hasText: 'function greet(name)' }).waitFor({ timeout: 30_000 });
        await chat.locator('.turn.assistant[data-status="complete"]').first().waitFor({ timeout: 30_000 });
        assert.ok((await answer.locator('.md-code code span[class^="hljs"]').count()) > 0, 'the code is highlighted');
        assert.match(await answer.locator('.usage').innerText(), /tokens/i);
        assert.ok(
          await answer.locator('strong', { hasText: 'example' }).count(),
          'bold markdown is rendered, not shown as asterisks',
        );

        await answer.locator('button[data-code-action="insert"]').click();
        await waitForEditorText(page, 'function greet(name) {');
        assert.match(await editorText(), /return `Hello, \$\{name\}!`;/);

        // A long answer, stopped half-way with Escape: it stays as stopped, and nothing more arrives.
        await chat.locator('#input').fill('Please give a long answer');
        await chat.locator('#input').press('Enter');
        const long = chat.locator('.turn.assistant').last();
        await long.locator('.body', { hasText: 'Paragraph 3 ' }).waitFor({ timeout: 30_000 });
        assert.equal(
          await long.getAttribute('data-status'),
          'streaming',
          'still streaming when the first paragraphs show',
        );
        await chat.locator('#input').press('Escape');
        await chat.locator('.turn.assistant[data-status="stopped"]').waitFor({ timeout: 10_000 });
        const stoppedText = await long.locator('.body').innerText();
        await page.waitForTimeout(1_500);
        assert.equal(await long.locator('.body').innerText(), stoppedText, 'nothing arrives after the stop');
        assert.doesNotMatch(stoppedText, /Paragraph 60 /);
        assert.match(await long.locator('.status-note').innerText(), /Stopped/);

        // Both requests are in the ledger as chat: one answered, one cancelled.
        const chats = () => ledgerRecords(workbench.userDataDir).filter((record) => record.feature === 'chat');
        const deadline = Date.now() + 10_000;
        while (chats().length < 2 && Date.now() < deadline) await page.waitForTimeout(200);
        assert.deepEqual(
          chats()
            .map((record) => record.outcome)
            .sort(),
          ['cancelled', 'ok'],
        );

        // After a reload the conversation is still there.
        await page.reload();
        await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        // The extension is active again once its status bar item is back.
        await page.locator('.statusbar-item', { hasText: 'Emulator (demo)' }).first().waitFor({ timeout: 60_000 });
        await runCommand(page, 'Switchboard: Open Chat');
        const restored = chatFrame();
        await restored.locator('.turn.user', { hasText: 'Show me an example' }).waitFor({ timeout: 30_000 });
        await restored.locator('.turn.assistant .md-code code', { hasText: 'function greet(name)' }).waitFor();
        assert.equal(
          await restored.locator('.turn.assistant[data-status="stopped"]').count(),
          1,
          'the stopped answer is still marked stopped',
        );
        // Under it, what this chat cost, not the new window's nothing.
        await restored
          .locator('#session-total', { hasText: /^This chat: \d+ requests? · / })
          .waitFor({ timeout: 10_000 });

        // A click on its × in the history asks first; Cancel keeps it, Delete removes it.
        await restored.locator('#history').click();
        const entry = restored.locator('.conversation-item', { hasText: 'Show me an example' });
        const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'Delete the conversation' });
        await entry.locator('.conversation-delete').click();
        await dialog.waitFor({ timeout: 10_000 });
        assert.match(
          await dialog.innerText(),
          /Delete the conversation "Show me an example[^"]*"\?[\s\S]*cannot be undone/,
        );
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await page.waitForTimeout(500);
        assert.equal(await entry.count(), 1, 'Cancel keeps the conversation');
        await entry.locator('.conversation-delete').click();
        await dialog.getByRole('button', { name: 'Delete' }).click();
        await entry.waitFor({ state: 'detached', timeout: 10_000 });
      },
    ),
  );

  it(
    'answers over every protocol, switched from the header picker that shows each price',
    explained(
      () => page,
      async () => {
        const chat = chatFrame();
        await chat.locator('#backend-picker option[value="claude"]').waitFor({ state: 'attached', timeout: 30_000 });
        // Prices arrive once the provider runtime has loaded.
        await chat
          .locator('#backend-picker option[value="claude"]', { hasText: '$3.00' })
          .waitFor({ state: 'attached', timeout: 30_000 });
        assert.match(
          await chat.locator('#backend-picker option[value="claude"]').innerText(),
          // Not Anthropic's own endpoint, so the host it goes to is in the name.
          /Claude \(demo\) · 127\.0\.0\.1:\d+ · claude-haiku-4-5 · .*\$3\.00.*\$15\.00.*1M/,
        );
        const names: Record<string, string> = {
          claude: 'Claude (demo)',
          local: 'Ollama (demo)',
          emulator: 'Emulator (demo)',
        };
        for (const id of ['claude', 'local', 'emulator']) {
          await pickBackend(id, names[id] ?? id);
          // Only the question: no context chips, so the emulator's echo is predictable.
          await removeAllChips();
          await chat.locator('#input').fill(`hello over ${id}`);
          await chat.locator('#input').press('Enter');
          await chat
            .locator('.turn.assistant[data-status="complete"] .body', { hasText: `You asked: "hello over ${id}"` })
            .waitFor({ timeout: 30_000 });
        }
        const deadline = Date.now() + 10_000;
        const backends = () =>
          new Set(
            ledgerRecords(workbench.userDataDir)
              .filter((r) => r.feature === 'chat' && r.outcome === 'ok')
              .map((r) => r.backend),
          );
        while (!['claude', 'local', 'emulator'].every((id) => backends().has(id)) && Date.now() < deadline)
          await page.waitForTimeout(200);
        assert.deepEqual([...backends()].sort(), ['claude', 'emulator', 'local']);
      },
    ),
  );

  it(
    'explains a failure in the conversation and switches backend and retries in one click',
    explained(
      () => page,
      async () => {
        const chat = chatFrame();
        await pickBackend('offline', 'Offline (demo)');
        await removeAllChips();
        await chat.locator('#input').fill('hello offline');
        await chat.locator('#input').press('Enter');
        const failed = chat.locator('.turn.assistant[data-status="failed"]').last();
        await failed.waitFor({ timeout: 30_000 });
        assert.match(await failed.locator('.error').innerText(), /reach/i, 'says the server could not be reached');
        assert.ok(await failed.locator('.action-retry').count(), 'offers a retry');
        const switchButton = failed.locator('.action-switch').first();
        await switchButton.click();
        await chat
          .locator('.turn.assistant[data-status="complete"] .body', { hasText: 'You asked: "hello offline"' })
          .waitFor({ timeout: 30_000 });
        assert.notEqual(await chat.locator('#backend-picker').inputValue(), 'offline', 'the chat backend was switched');
      },
    ),
  );
});
