/**
 * Someone whose Qwen Code login ended opens VS Code: the notice stays until answered, offers the
 * routes Qwen Code recommends with what each costs, and each is one click from Add Provider at
 * the right preset.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { closeAll, openWorkbenchPage, PACKAGED_VSIX, runCommand, settingsWritten } from '../harness/workbenchPage';
import { flavorFromEnv, startWorkbench, type Workbench } from '../harness/workbench';

/** A home with Qwen Code's ended OAuth login in it, as its users have. */
function endedQwenHome(env: Record<string, string> = {}): string {
  const home = mkdtempSync(join(tmpdir(), 'switchboard-qwen-home-'));
  mkdirSync(join(home, '.qwen'));
  writeFileSync(
    join(home, '.qwen', 'oauth_creds.json'),
    JSON.stringify({
      access_token: 'expired-access-token',
      refresh_token: 'expired-refresh-token',
      token_type: 'Bearer',
      resource_url: 'portal.qwen.ai',
      expiry_date: Date.parse('2026-04-14T00:00:00Z'),
    }),
  );
  writeFileSync(
    join(home, '.qwen', 'settings.json'),
    JSON.stringify({ security: { auth: { selectedType: 'qwen-oauth' } }, env }),
  );
  return home;
}

/** The packaged extension in a workbench whose home holds that login, with `env` besides. */
async function openEndedQwenWorkbench(env: Record<string, string> = {}, qwenSettingsEnv: Record<string, string> = {}) {
  const home = endedQwenHome(qwenSettingsEnv);
  const workbench = await startWorkbench({
    flavor: flavorFromEnv(),
    vsix: PACKAGED_VSIX,
    env: { HOME: home, ...env },
    settings: { 'switchboard.providers': [] },
  });
  return { home, workbench, ...(await openWorkbenchPage(workbench)) };
}

describe(`after the Qwen Code free tier (${flavorFromEnv()})`, () => {
  let home: string;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ home, workbench, browser, page } = await openEndedQwenWorkbench());
  });

  after(async () => {
    await closeAll(browser, workbench);
    rmSync(home, { recursive: true, force: true });
  });

  it('offers the Coding Plan, Model Studio and OpenRouter with their costs, each opening Add Provider at its preset', async () => {
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 90_000 });
    const text = await dialog.innerText();
    assert.match(text, /free tier ended on 2026-04-15/);
    assert.match(text, /flat monthly subscription/);
    assert.match(text, /per token.*free quota/s);
    assert.match(text, /qwen\/qwen3-coder:free: \$0/);
    const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) => b.trim());
    for (const route of ['Coding Plan…', 'Model Studio…', 'OpenRouter (free)…'])
      assert.ok(buttons.includes(route), `a button for ${route} (${buttons.join(', ')})`);
    assert.ok(!buttons.some((b) => /anyway/i.test(b)), 'nothing offers to add the dead login');
    // The README's picture is refreshed only when asked, never by a plain test run.
    if (process.env.SWITCHBOARD_SCREENSHOTS)
      await page.screenshot({ path: join(__dirname, '..', '..', 'media', 'qwen-code-routes.png') });

    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'OpenRouter (free)…' }).click();
    // Add Provider starts at the key: the preset is already chosen.
    const title = page.locator('.quick-input-widget .quick-input-title');
    await title.waitFor({ timeout: 15_000 });
    assert.match((await title.innerText()).trim(), /^Add provider \(1\/\d\): API key for OpenRouter$/);
    // $OPENROUTER_API_KEY is not set here: leaving the box empty would send no key at all.
    const prompt = await page.locator('.quick-input-widget').innerText();
    assert.match(prompt, /secret storage/);
    assert.doesNotMatch(prompt, /Leave empty/);
    await page.keyboard.press('Escape');
  });

  it('asks which region the Model Studio account is in, and asks the key for that region', async () => {
    await runCommand(page, 'Switchboard: Switch Provider');
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows.filter({ hasText: 'Model Studio' }).first().click();
    const title = page.locator('.quick-input-widget .quick-input-title');
    await title.filter({ hasText: 'which region is your Alibaba Cloud account in?' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(
      (await rows.allInnerTexts()).map((row) => row.trim().split('\n')[0]),
      ['Singapore', 'US (Virginia)', 'China (Beijing)'],
    );
    await page.screenshot({ path: '/tmp/switchboard-e2e/qwen-route-region.png' });
    await rows.filter({ hasText: 'China (Beijing)' }).click();
    await title
      .filter({ hasText: /^Add provider \(1\/\d\): API key for Qwen \(Alibaba Model Studio, China Beijing\)$/ })
      .waitFor();
    await page.keyboard.press('Escape');
  });
});

describe(`after the Qwen Code free tier, with an OpenRouter key in the environment (${flavorFromEnv()})`, () => {
  let home: string;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ home, workbench, browser, page } = await openEndedQwenWorkbench({
      OPENROUTER_API_KEY: 'sk-or-v1-e2e-0123456789abcdef',
    }));
  });

  after(async () => {
    await closeAll(browser, workbench);
    rmSync(home, { recursive: true, force: true });
  });

  it('uses the key found: one click, no key typed, and the roles move to OpenRouter', async () => {
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 90_000 });
    assert.match(await dialog.innerText(), /Your key in \$OPENROUTER_API_KEY is used\./);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'OpenRouter (free, key found)' }).click();
    // Straight to what it serves: no key step, no connection test to wait through.
    const placeholder = page.locator('.quick-input-widget .quick-input-box input');
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Completion and chat' })
      .waitFor({ timeout: 15_000 });
    assert.match((await placeholder.getAttribute('placeholder')) ?? '', /Use OpenRouter for/);
    await page.keyboard.press('Enter');
    const settings = await settingsWritten(
      page,
      workbench,
      (written) => written['switchboard.chat.provider'] === 'openrouter',
    );
    assert.deepEqual(settings['switchboard.providers'], [
      { id: 'openrouter', preset: 'openrouter', name: 'OpenRouter', apiKeyEnv: 'OPENROUTER_API_KEY' },
    ]);
    assert.equal(settings['switchboard.completion.provider'], 'openrouter');
    assert.equal(settings['switchboard.chat.provider'], 'openrouter');
  });
});

describe(`after the Qwen Code free tier, with a DashScope key in ~/.qwen/settings.json (${flavorFromEnv()})`, () => {
  let home: string;
  let workbench: Workbench;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ home, workbench, browser, page } = await openEndedQwenWorkbench(
      {},
      { DASHSCOPE_API_KEY: 'sk-e2e-0123456789abcdef0123' },
    ));
  });

  after(async () => {
    await closeAll(browser, workbench);
    rmSync(home, { recursive: true, force: true });
  });

  it('says the key was found where Qwen Code kept it, and adds Model Studio with it: nothing to type', async () => {
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 90_000 });
    assert.match(await dialog.innerText(), /Your key in ~\/\.qwen\/settings\.json is used\./);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Model Studio (key found)' }).click();
    // Straight to what it serves: no key asked for.
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Completion and chat' })
      .waitFor({ timeout: 15_000 });
    assert.match(
      (await page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) ?? '',
      /Use Qwen \(Alibaba Model Studio, Singapore\)/,
    );
    await page.keyboard.press('Enter');
    const settings = await settingsWritten(
      page,
      workbench,
      (written) => written['switchboard.chat.provider'] !== undefined,
    );
    const providers = settings['switchboard.providers'] as { preset: string; baseUrl?: string; apiKeyEnv?: string }[];
    // The vendor's own host: no base URL of its own, no variable that is not set.
    assert.deepEqual(
      providers.map(({ preset, baseUrl, apiKeyEnv }) => ({ preset, baseUrl, apiKeyEnv })),
      [{ preset: 'dashscope-intl', baseUrl: undefined, apiKeyEnv: undefined }],
    );
  });
});
