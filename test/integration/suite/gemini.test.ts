/**
 * Gemini through its OpenAI-compatible endpoint, in the real extension host: completions ask for
 * the least thinking the model takes (it thinks unseen within max_tokens), and Google's errors,
 * which come inside a list, become the failures they are: a wrong key blocks the backend as an
 * auth failure, a spent free-tier day is a spent quota until midnight Pacific.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { SwitchboardApi } from '../../../src/extension';
import type { Notice } from '../../../src/usage/limitMonitor';
import { activateWithLedger, config, eventually, itemsAt, useCompletionBackend } from './helpers';

const RIGHT_KEY = 'AIza-right-key-0123456789';

/** The next midnight in Los Angeles after `now`, read off the clock there an hour at a time. */
function nextPacificMidnight(now: number): number {
  const hourThere = (at: number) =>
    Number(
      new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', hourCycle: 'h23' }).format(
        at,
      ),
    );
  let at = Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000;
  while (hourThere(at) !== 0) at += 3_600_000;
  return at;
}

describe('Gemini', () => {
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    emulator = await startEmulator({ apiKey: RIGHT_KEY });
  });
  after(async () => {
    for (const key of ['completion.provider', 'completion.yieldToChat'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    delete process.env.SWITCHBOARD_GEMINI_KEY;
    await emulator.close();
  });

  /** A Gemini backend on the emulator with `key`; returns a reader of its completion records from now on. */
  const useGemini = (api: SwitchboardApi, id: string, key: string) =>
    useCompletionBackend(
      api,
      original,
      {
        id,
        name: `${id} (demo)`,
        preset: 'gemini',
        baseUrl: emulator.baseUrls.gemini,
        apiKeyEnv: 'SWITCHBOARD_GEMINI_KEY',
      },
      key,
    );

  const functionDocument = (name: string) =>
    vscode.workspace.openTextDocument({ language: 'javascript', content: `function ${name}(a, b) {\n}\n` });

  it('completes from the default model with the least thinking it takes, so the answer fits the budget', async () => {
    const api = await activateWithLedger();
    await useGemini(api, 'gemini-think', RIGHT_KEY);
    const before = emulator.requests.length;
    const document = await functionDocument('add');
    const [first] = await itemsAt(api, document, new vscode.Position(0, 'function add(a, b) {'.length));
    assert.match(String(first?.insertText ?? ''), /return a \+ b;/, 'ghost text, not a budget spent thinking');
    const sent = emulator.requests
      .slice(before)
      .filter((request) => request.path === '/v1beta/openai/chat/completions');
    assert.deepEqual(
      sent.map((request) => [
        (request.body as { model?: string }).model,
        (request.body as { reasoning_effort?: string }).reasoning_effort,
      ]),
      [['gemini-3.5-flash-lite', 'minimal']],
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("a wrong key is an auth failure in Google's words, which stops the backend and costs nothing", async () => {
    const api = await activateWithLedger();
    const records = await useGemini(api, 'gemini-wrong-key', 'AIza-wrong-key-0000000000');
    const document = await functionDocument('sum');
    await itemsAt(api, document, new vscode.Position(0, 'function sum(a, b) {'.length));
    const failure = await eventually(
      () => api.limits.stateOf('gemini-wrong-key')?.failure,
      (found) => found !== undefined,
      'the backend to be stopped',
    );
    assert.equal(failure?.kind, 'auth', 'not a bad request retried on every key');
    assert.match(failure?.message ?? '', /API key not valid/);
    const [refused] = await eventually(records, (found) => found.length > 0, 'the request to be recorded');
    assert.deepEqual([refused?.outcome, refused?.inputTokens, refused?.costMicros], ['auth', 0, 0]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a spent free-tier day is a spent quota until midnight Pacific, said once', async () => {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    emulator.resetQuota();
    emulator.configure({ quotas: { gemini: { requestsPerDay: 1 } } });
    try {
      await useGemini(api, 'gemini-free-day', RIGHT_KEY);
      const document = await functionDocument('mul');
      const end = new vscode.Position(0, 'function mul(a, b) {'.length);
      assert.equal((await itemsAt(api, document, end)).length > 0, true, "the day's one request is answered");
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(1, 0), '  // times\n');
      await vscode.workspace.applyEdit(edit);
      const askedAt = Date.now();
      await itemsAt(api, document, new vscode.Position(1, '  // times'.length));
      const failure = await eventually(
        () => api.limits.stateOf('gemini-free-day')?.failure,
        (found) => found !== undefined,
        'the spent day to stop the backend',
      );
      assert.equal(failure?.kind, 'quota-exhausted', 'a spent day, not a rate limit');
      assert.equal(failure?.resetsAt, nextPacificMidnight(askedAt));
      await eventually(
        () => notices.length,
        (count) => count > 0,
        'a notification',
      );
      assert.match(notices[0]?.message ?? '', /used up its quota until /);
    } finally {
      subscription.dispose();
      emulator.configure({ quotas: undefined });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
