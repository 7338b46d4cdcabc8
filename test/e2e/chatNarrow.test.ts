/**
 * The chat view with one backend in a narrow side bar: the header's backend picker fits at the
 * default side bar width and narrower, and a failure with nothing else to switch to offers to add
 * a backend rather than a picker that could only add one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { Emulator } from '../emulator/server';
import { closeAll, openWorkbenchSession, runCommand, webviewFrame } from '../harness/workbenchPage';
import { explained } from '../harness/failureReport';
import { flavorFromEnv, type Workbench } from '../harness/workbench';

const SHOTS = '/tmp/switchboard-e2e';

describe(`Switchboard chat view in a narrow sidebar (${flavorFromEnv()})`, () => {
  let emulator: Emulator;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ emulator, workbench, browser, page } = await openWorkbenchSession({
      // One backend, not there (nothing listens on port 9), with no known price: "Set price…" shows too.
      settings: () => ({
        'switchboard.providers': [
          {
            id: 'offline',
            name: 'Offline team server (demo)',
            preset: 'custom',
            baseUrl: 'http://127.0.0.1:9/v1',
            chatModel: 'emulator-chat-with-a-long-name',
            completionModel: 'emulator-coder',
          },
        ],
        'switchboard.chat.provider': 'offline',
        'switchboard.completion.provider': 'offline',
      }),
    }));
  });

  after(() => closeAll(browser, workbench, emulator));

  const chatFrame = (): FrameLocator => webviewFrame(page, 'first');

  /** Drags the sash at the side bar's right edge until the side bar is `width` pixels wide. */
  const setSidebarWidth = async (width: number) => {
    const sidebar = page.locator('.part.sidebar');
    for (let attempt = 0; attempt < 3; attempt++) {
      const box = await sidebar.boundingBox();
      assert.ok(box, 'the side bar is open');
      if (Math.abs(box.width - width) <= 2) return;
      const edge = box.x + box.width;
      const y = box.y + box.height / 2;
      await page.mouse.move(edge, y);
      await page.mouse.down();
      await page.mouse.move(edge + (width - box.width) / 2, y, { steps: 5 });
      await page.mouse.move(box.x + width, y, { steps: 5 });
      await page.mouse.up();
      await page.waitForTimeout(300);
    }
    const box = await sidebar.boundingBox();
    assert.ok(box && Math.abs(box.width - width) <= 2, `the side bar is ${String(box?.width)} px wide, not ${width}`);
  };

  it(
    'fits the backend picker and its buttons in the header at the default side bar width and narrower',
    explained(
      () => page,
      async () => {
        await runCommand(page, 'Switchboard: Open Chat');
        const chat = chatFrame();
        await chat.locator('#input').waitFor({ timeout: 30_000 });
        await chat.locator('#backend-picker option[value="offline"]').waitFor({ state: 'attached', timeout: 30_000 });
        // Prices arrive once the provider runtime has loaded; this one has none, so "Set price…" shows.
        await chat.locator('#set-price:not([hidden])').waitFor({ timeout: 30_000 });
        const defaultWidth = (await page.locator('.part.sidebar').boundingBox())?.width ?? 0;
        for (const width of new Set([Math.round(defaultWidth), 300, 250])) {
          await setSidebarWidth(width);
          await page.waitForTimeout(300);
          const shot = `${SHOTS}/chat-header-${width}px-${flavorFromEnv()}.png`;
          await page.locator('.part.sidebar').screenshot({ path: shot });
          console.error(`  screenshot: ${shot}`);
          const layout = await chat.locator('#header').evaluate((header) => {
            const view = document.documentElement.clientWidth;
            const rects = [...header.querySelectorAll<HTMLElement>('select, button')]
              .filter((child) => child.offsetParent !== null)
              .map((child) => {
                const rect = child.getBoundingClientRect();
                return {
                  id: child.id,
                  left: rect.left,
                  right: rect.right,
                  top: rect.top,
                  width: rect.width,
                  height: rect.height,
                  scroll: child.scrollWidth,
                  client: child.clientWidth,
                };
              });
            return { view, rects };
          });
          const where = JSON.stringify(layout);
          for (const rect of layout.rects) {
            assert.ok(
              rect.left >= 0 && rect.right <= layout.view + 0.5,
              `${rect.id} is inside the view at ${width} px: ${where}`,
            );
            assert.ok(rect.scroll <= rect.client + 1, `${rect.id} shows all of its content at ${width} px: ${where}`);
          }
          for (const [i, a] of layout.rects.entries())
            for (const b of layout.rects.slice(i + 1))
              assert.ok(
                a.right <= b.left + 0.5 ||
                  b.right <= a.left + 0.5 ||
                  a.top + a.height <= b.top ||
                  b.top + b.height <= a.top,
                `${a.id} and ${b.id} do not overlap at ${width} px: ${where}`,
              );
          // Squeezed beside the buttons it showed a few letters ("Offl"): it keeps most of the row.
          const picker = layout.rects.find((rect) => rect.id === 'backend-picker');
          assert.ok(
            picker && picker.width >= 0.6 * (layout.view - 16),
            `the picker keeps most of the row at ${width} px: ${where}`,
          );
          assert.equal(
            await chat.locator('#backend-picker').evaluate((select) => getComputedStyle(select).textOverflow),
            'ellipsis',
            'a label too long for it ends in an ellipsis',
          );
        }
        // Whatever the picker cannot show, its tooltip says in full.
        assert.match(
          (await chat.locator('#backend-picker').getAttribute('title')) ?? '',
          /^Chat backend: Offline team server \(demo\) · 127\.0\.0\.1:9 · emulator-chat-with-a-long-name · /,
        );
      },
    ),
  );

  it(
    'offers to add a backend when the only one fails, and the one added answers the question',
    explained(
      () => page,
      async () => {
        const chat = chatFrame();
        await chat.locator('#input').fill('hello offline');
        await chat.locator('#input').press('Enter');
        const failed = chat.locator('.turn.assistant[data-status="failed"]').last();
        await failed.waitFor({ timeout: 30_000 });
        const shot = `${SHOTS}/chat-add-backend-${flavorFromEnv()}.png`;
        await page.locator('.part.sidebar').screenshot({ path: shot });
        console.error(`  screenshot: ${shot}`);
        // Nothing else is configured or found: a picker would offer only "Add provider…".
        assert.equal(await failed.locator('.action-pick').count(), 0, 'no "Choose another backend…"');
        const add = failed.locator('.action-add');
        assert.equal(await add.innerText(), 'Add a backend and retry…');
        await add.click();

        const input = page.locator('.quick-input-widget input');
        const title = page.locator('.quick-input-widget .quick-input-title');
        await title.filter({ hasText: 'which backend?' }).waitFor({ timeout: 10_000 });
        await input.fill('OpenAI-compatible server');
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI-compatible server' })
          .first()
          .waitFor();
        await page.keyboard.press('Enter');
        await title.filter({ hasText: 'where does OpenAI-compatible server run?' }).waitFor();
        await input.fill(emulator.openaiBaseUrl);
        await page.keyboard.press('Enter');
        await title.filter({ hasText: 'model for chat' }).waitFor({ timeout: 20_000 });
        await input.fill('emulator-chat');
        await page.keyboard.press('Enter');
        await title.filter({ hasText: 'model for completion' }).waitFor();
        await input.fill('emulator-coder');
        await page.keyboard.press('Enter');

        // The backend added is the chat backend now, and it answers the question that failed.
        await chat
          .locator('.turn.assistant[data-status="complete"] .body', { hasText: 'You asked: "hello offline"' })
          .waitFor({ timeout: 30_000 });
        assert.equal(await chat.locator('#backend-picker').inputValue(), 'custom');
      },
    ),
  );
});
