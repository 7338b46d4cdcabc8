import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import { participantHandler } from '../../../src/chat/vscodeChat/chatParticipant';
import { activateWithLedger, completeNewFunction, config, eventually } from './helpers';

const { Automatic } = vscode.InlineCompletionTriggerKind;
const COMPLETIONS = '/v1/completions';
const CHAT = '/v1/chat/completions';
const UNDER_WAY = 'completion paused · budget · requests under way';

describe('a budget counts the requests under way', () => {
  let original: unknown[];
  let emulator: Emulator;
  // Ledgers outlive a run: a backend of its own per run starts the day with nothing spent.
  const id = `inflight-${Date.now().toString(36)}`;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    emulator = await startEmulator({
      // What each request really used: one token each way, ten cents. Well below the budget.
      reportUsage: (usage) => ({ ...usage, prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }),
    });
  });
  afterEach(() => emulator.clearFaults());
  after(async () => {
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  /** Ten cents an output token, a dollar a day: any request's worst case (every token it may write) reaches it. */
  async function useBudgetedBackend() {
    const api = await activateWithLedger();
    const entry = {
      id,
      name: 'In flight (demo)',
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      chatModel: 'emulator-chat',
      completionModel: 'emulator-coder',
      limits: { usdPerDay: 1 },
      prices: { '*': { inputPerMTok: 0, outputPerMTok: 100_000 } },
    };
    await config().update('providers', [...original, entry], vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', id, vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', id, vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('In flight') && !text.includes('paused'),
      'the backend in use, not paused',
    );
    return api;
  }

  it('holds automatic completion while a completion under way may reach the budget, and lets it go when that one ends', async () => {
    const api = await useBudgetedBackend();
    const spentBefore = api.meter.today(id)?.cost.USD ?? 0;
    assert.ok(spentBefore < 1_000_000, 'below the budget');
    const before = emulator.count(COMPLETIONS);
    emulator.fault({ kind: 'slow-headers', delayMs: 2_500, path: COMPLETIONS });

    const first = completeNewFunction(api, 'inflight', Automatic);
    await eventually(
      () => emulator.count(COMPLETIONS),
      (n) => n === before + 1,
      'the first request at the server',
    );
    assert.equal(api.meter.inFlight.size, 1, "the first request's worst case is held");
    assert.equal(api.meter.today(id)?.cost.USD ?? 0, spentBefore, 'nothing more is recorded as spent yet');

    // Recorded spend is below the budget; with the first request's worst case it is not.
    assert.equal(await completeNewFunction(api, 'inflight', Automatic), 0);
    assert.equal(emulator.count(COMPLETIONS), before + 1, 'the second request is held, not sent');
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes(UNDER_WAY),
      'the pause shown',
    );

    await first;
    await eventually(
      () => api.meter.inFlight.size,
      (n) => n === 0,
      'the hold released when the request ended',
    );
    await eventually(
      () => api.statusBarItem.text,
      (text) => !text.includes('paused'),
      'the pause ended: ten cents really spent',
    );
    await completeNewFunction(api, 'inflight', Automatic);
    assert.equal(emulator.count(COMPLETIONS), before + 2, 'completion goes again');
  });

  it('holds automatic completion while a chat answer is under way, and lets it go when the answer is cancelled', async () => {
    const api = await useBudgetedBackend();
    const before = emulator.count(COMPLETIONS);
    const chats = emulator.count(CHAT);
    emulator.fault({ kind: 'slow-headers', delayMs: 20_000, path: CHAT });

    const handler = participantHandler(api.backends, api.meter);
    const cancel = new vscode.CancellationTokenSource();
    const stream = { markdown: () => {}, progress: () => {} } as unknown as vscode.ChatResponseStream;
    const answer = handler(
      { prompt: 'explain closures at length', command: undefined, references: [], toolReferences: [] } as never,
      { history: [] },
      stream,
      cancel.token,
    );
    await eventually(
      () => emulator.count(CHAT),
      (n) => n === chats + 1,
      'the chat request at the server',
    );
    assert.equal(api.meter.inFlight.size, 1, "the answer's worst case is held");

    assert.equal(await completeNewFunction(api, 'chatflight', Automatic), 0);
    assert.equal(emulator.count(COMPLETIONS), before, 'no automatic completion while the answer may reach the budget');

    cancel.cancel();
    await answer;
    await eventually(
      () => api.meter.inFlight.size,
      (n) => n === 0,
      'the hold released when the answer was cancelled',
    );
    await eventually(
      () => api.statusBarItem.text,
      (text) => !text.includes('paused'),
      'the pause ended',
    );
    await completeNewFunction(api, 'chatflight', Automatic);
    assert.equal(emulator.count(COMPLETIONS), before + 1, 'completion goes again');
  });

  it('releases the hold of a completion that fails or is cancelled', async () => {
    const api = await useBudgetedBackend();
    emulator.fault({ kind: 'server-error', path: COMPLETIONS });
    await completeNewFunction(api, 'failing', Automatic);
    await eventually(
      () => api.meter.inFlight.size,
      (n) => n === 0,
      'the hold of a failed request released',
    );

    emulator.fault({ kind: 'slow-headers', delayMs: 20_000, path: COMPLETIONS });
    const before = emulator.count(COMPLETIONS);
    const line = 'function cancelledInFlight(a, b) {';
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${line}\n}\n` });
    const source = new vscode.CancellationTokenSource();
    const items = api.inlineCompletionProvider.provideInlineCompletionItems(
      document,
      new vscode.Position(0, line.length),
      { triggerKind: Automatic, selectedCompletionInfo: undefined },
      source.token,
    );
    await eventually(
      () => emulator.count(COMPLETIONS),
      (n) => n === before + 1,
      'the request at the server',
    );
    assert.equal(api.meter.inFlight.size, 1, 'held while it runs');
    source.cancel();
    await items;
    await eventually(
      () => api.meter.inFlight.size,
      (n) => n === 0,
      'the hold of a cancelled request released',
    );
    await eventually(
      () => api.statusBarItem.text,
      (text) => !text.includes('paused'),
      'no pause left behind',
    );
  });
});
