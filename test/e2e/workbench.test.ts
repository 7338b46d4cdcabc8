/**
 * The packaged extension in a real workbench, driven like a person would: open a file, type, see
 * ghost text and accept it; run a command from the palette; read the status bar.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_FIM_RULES, rawFimPrefix } from '../emulator/answers';
import type { Emulator } from '../emulator/server';
import { closeAll, openWorkbenchSession, runCommand, waitForEditorText } from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { ledgerRecords } from '../harness/ledgerFiles';
import { flavorFromEnv, type Workbench } from '../harness/workbench';

/** Files the completion tests open, each ending where the cursor goes. */
const FILES: Record<string, string> = {
  'area.js': '// Areas\n',
  'total.js': 'function sum(items) {\n  let total = 0;\n  for (const item of items) total += item;\n  return total',
  'greet.js': '// Greeting\n',
};

describe(`Switchboard in the workbench (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      emulator: {
        fimRules: [
          ...DEFAULT_FIM_RULES,
          // A signature with no brace yet: the model gives the whole block.
          {
            prefixEndsWith: 'function area(width, height)',
            text: ' {\n  const size = width * height;\n  return size;\n}\n\nfunction next() {',
          },
          // The end of a function's last statement: the completion is the closing brace on the next line.
          { prefixEndsWith: 'return total;', text: '\n}\n' },
          // Inside `${}` the editor closed: the model brings the closers, and the semicolon after.
          { prefixEndsWith: 'const msg = `Hello ${', text: 'user.name}`;' },
        ],
      },
      // Written before the window opens: Quick Open may not list a file created a moment ago.
      beforeOpen: ({ folder }) => {
        for (const [file, content] of Object.entries(FILES)) writeFileSync(join(folder, file), content);
      },
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const statusItem = () => page.locator('.statusbar-item', { hasText: 'Emulator (demo)' });

  it(
    'shows the Switchboard item with the active backend in the status bar',
    explained(
      () => page,
      async () => {
        await statusItem().waitFor({ timeout: 60_000 });
        const label = await statusItem().getAttribute('aria-label');
        assert.match(label ?? '', /Emulator \(demo\)/);
      },
    ),
  );

  const completionRequests = () => emulator.requests.filter((r) => r.path === '/v1/completions').length;
  /** Completion requests for the cursor right after `text` (a prompt in a FIM template or plain). */
  const requestsAfter = (text: string) =>
    emulator.requests.filter((r) => {
      if (r.path !== '/v1/completions') return false;
      const prompt = String((r.body as { prompt?: unknown }).prompt ?? '');
      return (rawFimPrefix(prompt) ?? prompt).trimEnd().endsWith(text);
    }).length;
  // Ghost text is rendered in pieces (leading whitespace apart), and spaces as no-break spaces.
  const waitForGhost = (needle: string) =>
    page.waitForFunction(
      (want) => {
        const text = [...document.querySelectorAll('.ghost-text-decoration, .ghost-text')]
          .map((el) => el.textContent ?? '')
          .join('');
        const shown = text.replace(/\u00a0/g, ' ');
        return shown.includes(want) ? shown : undefined;
      },
      needle,
      { timeout: 20_000 },
    );

  const ledgerCompletions = () =>
    ledgerRecords(workbench.userDataDir).filter((record) => record.feature === 'completion');

  it(
    'shows ghost text from the emulator while typing, records the request, reuses it at the same place, and Tab inserts it',
    explained(
      () => page,
      async () => {
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scratch.js' }).click();
        const editor = page.locator('.editor-instance .monaco-editor').first();
        await editor.waitFor();
        await editor.locator('.view-lines').click();
        const before = completionRequests();
        await page.keyboard.type('const greeting =', { delay: 40 });
        const ghost = await waitForGhost('Hello');
        assert.match((await ghost.jsonValue()) ?? '', /^ 'Hello from the Switchboard emulator';$/);
        assert.ok(completionRequests() > before, 'the emulator received a completion request');
        const atGreeting = requestsAfter('const greeting =');
        assert.ok(atGreeting > 0, 'the request was for the cursor after `const greeting =`');

        // The ledger has it, with tokens, under the active backend.
        const deadline = Date.now() + 10_000;
        while (
          !ledgerCompletions().some((record) => record.backend === 'emulator' && record.outcome === 'ok') &&
          Date.now() < deadline
        )
          await page.waitForTimeout(200);
        const recorded = ledgerCompletions().filter(
          (record) => record.backend === 'emulator' && record.outcome === 'ok',
        );
        assert.ok(
          recorded.length >= 1 && (recorded[0]?.inputTokens ?? 0) > 0,
          `the ledger has the completion request (${JSON.stringify(ledgerCompletions())})`,
        );

        // Away and back to the same place: type a character, delete it, pause. No new request for that
        // place. One for the `x` may go out when the machine is slow to deliver the Backspace (a gap
        // longer than the learned debounce is a pause), and is not what this checks.
        await page.keyboard.press('Escape');
        await page.keyboard.type('x');
        await page.keyboard.press('Backspace');
        await waitForGhost('Hello');
        await page.waitForTimeout(1_500);
        assert.equal(
          requestsAfter('const greeting ='),
          atGreeting,
          'the second pause at the same place sent no request',
        );

        await page.keyboard.press('Tab');
        await waitForEditorText(page, "const greeting = 'Hello from the Switchboard emulator';");
      },
    ),
  );

  /** Opens a workspace file by name through Quick Open and puts the cursor at its end. */
  async function openAtEnd(file: string): Promise<void> {
    const content = FILES[file] ?? '';
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(file);
      try {
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: file })
          .first()
          .waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: content.split('\n')[0] ?? '' }).waitFor({ timeout: 10_000 });
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
  }

  const editorText = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.editor-instance .view-lines .view-line')]
        // Monaco reuses line elements: their order in the DOM is not the document's.
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
        .join('\n'),
    );

  it(
    'shows a whole block after a signature and Tab inserts all of it',
    explained(
      () => page,
      async () => {
        await openAtEnd('area.js');
        await page.keyboard.type('function area(width, height)', { delay: 40 });
        const ghost = await waitForGhost('return size;');
        assert.match((await ghost.jsonValue()) ?? '', /const size = width \* height;/);
        assert.doesNotMatch((await ghost.jsonValue()) ?? '', /next/, 'the block stops where it closes');
        await page.keyboard.press('Tab');
        await waitForEditorText(page, 'return size;}');
        const text = await editorText();
        assert.match(
          text,
          /function area\(width, height\) \{\n {2}const size = width \* height;\n {2}return size;\n\}/,
        );
      },
    ),
  );

  it(
    'shows a closing brace on the next line and Tab inserts it',
    explained(
      () => page,
      async () => {
        await openAtEnd('total.js');
        await page.keyboard.type(';', { delay: 40 });
        await waitForGhost('}');
        await page.keyboard.press('Tab');
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll('.editor-instance .view-lines .view-line')].some(
              (line) => line.textContent === '}',
            ),
          undefined,
          { timeout: 10_000 },
        );
        assert.match(await editorText(), /return total;\n\}/);
      },
    ),
  );

  it(
    'in a template literal the editor closed, Tab writes the closers the model brought once',
    explained(
      () => page,
      async () => {
        await openAtEnd('greet.js');
        // Typing the backtick and `${` leaves `}` and a backtick after the cursor.
        await page.keyboard.type('const msg = `Hello ${', { delay: 40 });
        await waitForGhost('user.name');
        await page.keyboard.press('Tab');
        await waitForEditorText(page, 'Hello ${user.name}`;');
        const line = (await editorText()).split('\n').find((text) => text.startsWith('const msg'));
        assert.equal(line, 'const msg = `Hello ${user.name}`;', 'one `}` and one backtick, then the semicolon');
      },
    ),
  );

  it(
    'runs Toggle Inline Completion from the command palette and the status bar follows',
    explained(
      () => page,
      async () => {
        await runCommand(page, 'Switchboard: Toggle Inline Completion');
        await statusItem().locator('.codicon-circle-slash').waitFor({ timeout: 10_000 });
        await runCommand(page, 'Switchboard: Toggle Inline Completion');
        await statusItem().locator('.codicon-plug').waitFor({ timeout: 10_000 });
      },
    ),
  );
});
