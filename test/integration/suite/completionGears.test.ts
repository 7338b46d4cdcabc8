import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import { activateSwitchboard, eventually } from './helpers';

let completions = 0;

/** One automatic completion request: a new function each time, so nothing is answered from the cache. */
async function complete(api: Awaited<ReturnType<typeof activateSwitchboard>>): Promise<number> {
  const line = `function gear${++completions}(a, b) {`;
  const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${line}\n}\n` });
  const items = await api.inlineCompletionProvider.provideInlineCompletionItems(
    document,
    new vscode.Position(0, line.length),
    { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
    new vscode.CancellationTokenSource().token,
  );
  return Array.isArray(items) ? items.length : (items?.items.length ?? 0);
}

const LIMIT = 30;
/** A new backend id per test: the headers a backend sent last are remembered, as they should be. */
let round = 0;

describe('completion yields to chat when the rate-limit headers say the window is nearly spent', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];
  let emulator: Emulator;

  beforeEach(async () => {
    original = config().get<unknown[]>('providers') ?? [];
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
    await config().update(
      'providers',
      [
        ...original,
        {
          id: `limited${++round}`,
          name: 'Limited',
          preset: 'custom',
          baseUrl: emulator.openaiBaseUrl,
          completionModel: 'emulator-coder',
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', `limited${round}`, vscode.ConfigurationTarget.Global);
  });
  afterEach(async () => {
    await config().update('completion.chatShare', undefined, vscode.ConfigurationTarget.Global);
    await config().update('completion.lowQuotaBackend', undefined, vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  it('slows down past 80% and says so; Completion at Full Speed lifts it for the window', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    await config().update('completion.chatShare', 0.1, vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Limited'),
      'the limited backend',
    );
    assert.doesNotMatch(api.statusBarItem.text, /completion slowed/);

    // The 25th request of the minute: its headers say 5 of 30 are left.
    assert.equal(await complete(api), 1);
    const text = await eventually(
      () => api.statusBarItem.text,
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
    await eventually(
      () => api.statusBarItem.text,
      (value) => value.includes('completion at full speed · 83% of 30 requests used'),
      'the status bar to show the override',
    );
    assert.equal(await complete(api), 1, 'at full speed the request goes out at once');
    assert.equal(emulator.count('/v1/completions'), before + 1);

    // Run again, it lets completion yield again.
    await vscode.commands.executeCommand('switchboard.completionFullSpeed');
    await eventually(
      () => api.statusBarItem.text,
      (value) => value.includes('completion slowed · 86% of 30 requests used'),
      'the status bar to show the slowed gear again',
    );
  });

  it('sends nothing automatically once only chat\u2019s share is left, and says Alt+\\ still works', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Limited'),
      'the limited backend',
    );

    // The 25th request: 83% used leaves less than the 20% kept for chat.
    assert.equal(await complete(api), 1);
    await eventually(
      () => api.statusBarItem.text,
      (value) => value.includes('completion on Alt+\\ only · 83% of 30 requests used'),
      'the status bar to show the manual gear',
    );
    const sent = emulator.count('/v1/completions');
    assert.equal(await complete(api), 0);
    assert.equal(await complete(api), 0);
    assert.equal(emulator.count('/v1/completions'), sent, 'no automatic request reached the backend');
  });

  it('moves to the local backend the user named, and says so', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    // The suite's own emulator entry is on 127.0.0.1: a backend on this machine.
    await config().update('completion.lowQuotaBackend', 'emulator', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Limited'),
      'the limited backend',
    );

    assert.equal(await complete(api), 1);
    await eventually(
      () => api.statusBarItem.text,
      (value) => value.includes('completion on Emulator (demo) · 83% of 30 requests used'),
      'the status bar to show the local gear',
    );
    const sent = emulator.count('/v1/completions');
    assert.equal(await complete(api), 1, 'the local backend answers');
    assert.equal(emulator.count('/v1/completions'), sent, 'nothing more to the limited backend');
    const last = (api.inlineCompletionProvider as unknown as { lastExchange?: { backendId: string } }).lastExchange;
    assert.equal(last?.backendId, 'emulator');
  });
});
