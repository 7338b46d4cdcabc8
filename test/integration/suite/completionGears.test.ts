import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { SwitchboardApi } from '../../../src/extension';
import {
  activateWithLedger,
  completeNewFunction,
  emulatorBackend,
  eventually,
  restoreSettingsAfterEach,
  setUserSettings,
  statusBarText,
} from './helpers';

const LIMIT = 30;
/** A new backend id per test: the headers a backend sent last are remembered, as they should be. */
let round = 0;

describe('completion yields to chat when the rate-limit headers say the window is nearly spent', () => {
  const start = restoreSettingsAfterEach(['completion.chatShare', 'completion.lowQuotaBackend', 'completion.provider']);
  let emulator: Emulator;
  /** One automatic completion request; how many items came back. */
  const complete = (api: SwitchboardApi) => completeNewFunction(api, 'gear');

  beforeEach(async () => {
    // The emulator's minute starts now, so the window cannot roll over while the test runs.
    const started = Date.now();
    const windowStart = Math.floor(started / 60_000) * 60_000;
    emulator = await startEmulator({
      requestsPerMinute: LIMIT,
      now: () => windowStart + (Date.now() - started),
    });
    // Someone else (another window, a script) has spent most of the minute.
    for (let i = 0; i < 24; i++) {
      const response = await fetch(`${emulator.openaiBaseUrl}/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'emulator-coder', prompt: `x${i}`, max_tokens: 4 }),
      });
      assert.equal(response.status, 200);
    }
    await setUserSettings({
      providers: [...start.providers, emulatorBackend(emulator.openaiBaseUrl, `limited${++round}`, 'Limited')],
      'completion.provider': `limited${round}`,
    });
  });
  afterEach(() => emulator.close());

  it('slows down past 80% and says so; Completion at Full Speed lifts it for the window', async () => {
    const api = await activateWithLedger();
    await setUserSettings({ 'completion.chatShare': 0.1 });
    await statusBarText(api, (text) => text.includes('Limited'), 'the limited backend');
    assert.doesNotMatch(api.statusBarItem.text, /completion slowed/);

    // The 25th request of the minute: its headers say 5 of 30 are left.
    assert.equal(await complete(api), 1);
    const text = await statusBarText(
      api,
      (value) => value.includes('completion slowed'),
      'the status bar to show the slowed gear',
    );
    assert.match(text, /Limited · chat: .* · completion slowed · 83% of 30 requests used$/);
    const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    assert.match(
      tooltip,
      /Completion waits longer before each request \(one every \d+ s at most\) so chat keeps 10% of the window: 83% of 30 requests used, resets/,
    );
    assert.match(tooltip, /\[Completion at Full Speed\]\(command:switchboard\.completionFullSpeed\)/);
    // The two requests completion may still send are spread over the rest of the minute: the next
    // one is not due yet, so this pause gets nothing.
    const before = emulator.count('/v1/completions');
    assert.equal(await complete(api), 0);
    assert.equal(emulator.count('/v1/completions'), before);

    await vscode.commands.executeCommand('switchboard.completionFullSpeed');
    await statusBarText(
      api,
      (value) => value.includes('completion at full speed · 83% of 30 requests used'),
      'the status bar to show the override',
    );
    assert.equal(await complete(api), 1, 'at full speed the request goes out at once');
    assert.equal(emulator.count('/v1/completions'), before + 1);

    // Run again, it lets completion yield again.
    await vscode.commands.executeCommand('switchboard.completionFullSpeed');
    await statusBarText(
      api,
      (value) => value.includes('completion slowed · 86% of 30 requests used'),
      'the status bar to show the slowed gear again',
    );
  });

  it('sends nothing automatically once only chat\u2019s share is left, and says Alt+\\ still works', async () => {
    const api = await activateWithLedger();
    await statusBarText(api, (text) => text.includes('Limited'), 'the limited backend');

    // The 25th request: 83% used leaves less than the 20% kept for chat.
    assert.equal(await complete(api), 1);
    await statusBarText(
      api,
      (value) => value.includes('completion on Alt+\\ only · 83% of 30 requests used'),
      'the status bar to show the manual gear',
    );
    const sent = emulator.count('/v1/completions');
    assert.equal(await complete(api), 0);
    assert.equal(await complete(api), 0);
    assert.equal(emulator.count('/v1/completions'), sent, 'no automatic request reached the backend');
  });

  it('moves to the local backend the user named, and says so', async () => {
    const api = await activateWithLedger();
    // The suite's own emulator entry is on 127.0.0.1: a backend on this machine.
    await setUserSettings({ 'completion.lowQuotaBackend': 'emulator' });
    await statusBarText(api, (text) => text.includes('Limited'), 'the limited backend');

    assert.equal(await complete(api), 1);
    await statusBarText(
      api,
      (value) => value.includes('completion on Emulator (demo) · 83% of 30 requests used'),
      'the status bar to show the local gear',
    );
    const sent = emulator.count('/v1/completions');
    assert.equal(await complete(api), 1, 'the local backend answers');
    assert.equal(emulator.count('/v1/completions'), sent, 'nothing more to the limited backend');
    const last = (api.inlineCompletionProvider as unknown as { lastExchange?: { backendId: string } }).lastExchange;
    assert.equal(last?.backendId, 'emulator');
  });

  it('a stand-in the user priced is held by its own budget, not waved through by the plan it stands in for', async () => {
    const api = await activateWithLedger();
    // A gateway on this machine (a LiteLLM on 127.0.0.1) the user pays for: one request spends its day.
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(emulator.openaiBaseUrl, `limited${round}`, 'Limited'),
        emulatorBackend(start.emulatorBaseUrl, 'priced-local', 'Priced local', {
          prices: { '*': { inputPerMTok: 1_000, outputPerMTok: 5_000 } },
          limits: { usdPerDay: 0.000001 },
        }),
      ],
      'completion.lowQuotaBackend': 'priced-local',
    });
    await statusBarText(api, (text) => text.includes('Limited'), 'the limited backend');
    const since = Date.now();
    const standInRequests = async () => {
      let count = 0;
      for await (const record of api.meter.records({ from: since })) if (record.backend === 'priced-local') count++;
      return count;
    };
    await complete(api);
    await statusBarText(api, (value) => value.includes('Priced local'), 'the status bar to show the stand-in');
    await complete(api);
    await eventually(standInRequests, (count) => count >= 1, 'the stand-in to answer and spend its budget');
    const spent = await standInRequests();
    for (let i = 0; i < 3; i++) await complete(api);
    assert.equal(await standInRequests(), spent, 'no automatic request to the stand-in past its budget');
    await statusBarText(
      api,
      (value) => value.includes('completion paused'),
      'the status bar to say completion is paused',
    );
  });
});
