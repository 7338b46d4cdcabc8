/**
 * Streamed completion in the real extension host: ghost text comes back while the backend is still
 * writing the answer, and a stream the user leaves behind is stopped and metered with what it had
 * sent, not as a prompt with no answer.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { SwitchboardApi } from '../../../src/extension';
import { activateSwitchboard, activateWithLedger, eventually, itemsAt, useCompletionBackend } from './helpers';

/** The key the backends read from the environment, as a user's shell would give it. */
const KEY = 'sk-integration-test';
/** A model that runs on for many lines after the one the ghost text shows. */
const RUNNING_ANSWER = ` + 1;\n${'console.log(total);\n'.repeat(60)}`;
/** The same in a comment: the words that finish it, then lines the model writes on with. */
const COMMENT = '// Sums the ';
const COMMENT_ANSWER = `prices of the items in the cart\n${'console.log(total);\n'.repeat(60)}`;
/** A line, the next one, then a blank line and a model that moves on to write something else. */
const MOVES_ON = '// moves on\nconst total = items.length';
const MOVES_ON_ANSWER = ` + 1;\nconsole.log(total);\n\n${'export const more = total * 2;\n'.repeat(60)}`;

describe('streamed completion', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    // 20 tokens a second: the whole answer takes seconds, its first line a fraction of one.
    emulator = await startEmulator({
      tokensPerSecond: 20,
      fimResponder: (prefix) =>
        prefix.endsWith(COMMENT) ? COMMENT_ANSWER : prefix.endsWith(MOVES_ON) ? MOVES_ON_ANSWER : RUNNING_ANSWER,
    });
  });
  after(async () => {
    for (const key of ['completion.provider', 'completion.yieldToChat'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  /** Completion from an Anthropic model, which fills the hole over chat. */
  const useChatStreamer = (api: SwitchboardApi) =>
    useCompletionBackend(
      api,
      original,
      {
        id: 'chat-streamer',
        name: 'Chat streamer (demo)',
        preset: 'anthropic',
        baseUrl: emulator.baseUrls.anthropic,
        completionModel: 'claude-haiku-4-5',
        apiKeyEnv: 'SWITCHBOARD_INTEGRATION_KEY',
      },
      KEY,
    );

  /** Completion from a server with a FIM endpoint. */
  const useFimStreamer = (api: SwitchboardApi) =>
    useCompletionBackend(api, original, {
      id: 'streamer',
      name: 'Streamer (demo)',
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      completionModel: 'emulator-coder',
    });

  it('shows the first line before the answer ends, and meters a stream cut short with the text it sent', async () => {
    const api = await activateWithLedger();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const streamerRecords = await useFimStreamer(api);

    const line = 'const total = items.length';
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${line}\n` });
    const [first] = await itemsAt(api, document, new vscode.Position(0, line.length));
    // The item starts at the word before the cursor, which the editor writes over.
    assert.equal(first?.insertText, 'length + 1;', 'the first line only: the rest is still being written');
    assert.equal(emulator.count('/v1/completions'), 1);
    assert.equal((await streamerRecords()).length, 0, 'shown while the answer is still being written');

    // The user goes elsewhere: a completion in another file stops the rest of the first answer.
    const other = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'let count = 0\n' });
    await itemsAt(api, other, new vscode.Position(0, 'let count = 0'.length));
    const cut = await eventually(
      streamerRecords,
      (records) => records.some((record) => record.outcome === 'cancelled'),
      'the cut stream to be recorded',
    );
    const cancelled = cut.find((record) => record.outcome === 'cancelled');
    assert.ok((cancelled?.outputTokens ?? 0) > 0, 'the text it had sent counts: the server bills it');
    assert.equal(cancelled?.reported, false, 'an estimate, and marked as one');
  });

  it('closes the stream once the model moves on past what is kept for typing ahead, and meters it as an answer', async () => {
    const api = await activateWithLedger();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const streamerRecords = await useFimStreamer(api);
    const requestsBefore = emulator.requests.length;

    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${MOVES_ON}\n` });
    const askedAt = Date.now();
    const [first] = await itemsAt(api, document, new vscode.Position(1, 'const total = items.length'.length));
    assert.equal(first?.insertText, 'length + 1;');
    // The user reads the ghost text; nothing else is asked meanwhile. (An earlier test's stream may
    // end or be cut meanwhile: only the request this test started counts.)
    const ours = async () => (await streamerRecords()).filter((found) => found.time - found.latencyMs >= askedAt);
    const [record] = await eventually(ours, (found) => found.length > 0, 'the answer to be recorded', 20_000);
    assert.equal(record?.outcome, 'ok', 'an answer, not a cancelled request');
    assert.equal(record?.reported, false, "the server's count comes at the end of a stream: an estimate");
    assert.ok((record?.outputTokens ?? 0) > 0);
    const sent = emulator.requests.slice(requestsBefore).filter((request) => request.path === '/v1/completions');
    assert.equal(sent.length, 1);
    await eventually(
      () => sent[0]?.aborted,
      Boolean,
      'the server to see the stream closed before it wrote the rest (it would run to max_tokens)',
    );
    await vscode.commands.executeCommand('switchboard.showLastCompletion');
    const page = await eventually(
      () =>
        vscode.workspace.textDocuments.find((open) => open.uri.scheme === 'switchboard-completion')?.getText() ?? '',
      (text) => text.includes('## Answer'),
      'the page to show the answered request',
    );
    assert.match(page, /Switchboard closed the stream here/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('meters a stream cut short on a caching backend (DeepSeek) with the prompt-cache read its last report shows', async () => {
    const api = await activateWithLedger();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const cachedRecords = await useCompletionBackend(
      api,
      original,
      {
        id: 'cached',
        name: 'Cached (demo)',
        preset: 'deepseek',
        baseUrl: emulator.baseUrls.openai,
        fimBaseUrl: emulator.baseUrls.deepseekBeta,
        completionModel: 'deepseek-v4-flash',
        apiKeyEnv: 'SWITCHBOARD_INTEGRATION_KEY',
      },
      KEY,
    );
    emulator.configure({ implicitPrefixCache: true });
    try {
      // A file long enough for DeepSeek's cache; one document, so the prompt's path header stays. In a
      // language no other test opens, so no snippet from another file goes first in one prompt and
      // not in the next (prompts that start differently share no cache, and the estimate says so).
      const file = Array.from({ length: 80 }, (_, i) => `local value${i} = compute(${i})`).join('\n');
      const document = await vscode.workspace.openTextDocument({
        language: 'lua',
        content: `${file}\n-- Sums the\nlocal total = items.length\n`,
      });
      const comment = 80;
      // Two single lines in the comment come whole, with the server's counts: the second reads the cache.
      await itemsAt(api, document, new vscode.Position(comment, '-- Sums the'.length));
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(comment, '-- Sums the'.length), ' prices');
      await vscode.workspace.applyEdit(edit);
      await itemsAt(api, document, new vscode.Position(comment, '-- Sums the prices'.length));
      const whole = await eventually(
        cachedRecords,
        (found) => found.some((record) => record.reported && record.cacheReadTokens > 0),
        'the second answer to be recorded, with the cache read the server reports',
      );
      const lastRead = whole.find((record) => record.reported && record.cacheReadTokens > 0)?.cacheReadTokens ?? 0;

      // The code line streams; the user goes elsewhere while the rest is still coming.
      const askedAt = Date.now();
      const [first] = await itemsAt(
        api,
        document,
        new vscode.Position(comment + 1, 'local total = items.length'.length),
      );
      assert.equal(first?.insertText, 'length + 1;');
      const other = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'let count = 0\n' });
      await itemsAt(api, other, new vscode.Position(0, 'let count = 0'.length));
      // Only the request this step started: the single lines above are not what is measured.
      const isCut = (record: { outcome: string; time: number; latencyMs: number }) =>
        record.outcome === 'cancelled' && record.time - record.latencyMs >= askedAt;
      const records = await eventually(cachedRecords, (found) => found.some(isCut), 'the cut stream to be recorded');
      const cut = records.find(isCut);
      assert.equal(cut?.reported, false, 'an estimate, and marked as one');
      assert.equal(
        cut?.cacheReadTokens,
        lastRead,
        `the start it shares with the last prompt was read from the cache: ${JSON.stringify(records)}`,
      );
      assert.ok((cut?.inputTokens ?? 0) > lastRead);
    } finally {
      emulator.configure({ implicitPrefixCache: undefined });
    }
  });

  it('over a chat-only model (Anthropic): shows the code of the first line while the fenced answer still streams', async () => {
    const api = await activateWithLedger();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    await useChatStreamer(api);
    const since = Date.now();
    const requestsBefore = emulator.count('/v1/messages');

    const line = 'const total = items.length';
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `// chat\n${line}\n` });
    const [first] = await itemsAt(api, document, new vscode.Position(1, line.length));
    assert.equal(first?.insertText, 'length + 1;', 'the code of the first line, without the fence around it');
    assert.equal(emulator.count('/v1/messages'), requestsBefore + 1);
    let recorded = 0;
    for await (const record of api.meter.records({ from: since })) if (record.backend === 'chat-streamer') recorded++;
    assert.equal(recorded, 0, 'shown while the answer is still being written');
  });

  it('over a chat-only model, a completion in a comment shows the text the model put in a fence', async () => {
    const api = await activateSwitchboard();
    await useChatStreamer(api);
    const bodiesBefore = emulator.requests.length;
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${COMMENT}\n` });
    const [first] = await itemsAt(api, document, new vscode.Position(0, COMMENT.length));
    assert.equal(
      first?.insertText,
      'prices of the items in the cart',
      'the line inside the fence, shown as it arrived',
    );
    const sent = emulator.requests.slice(bodiesBefore).filter((request) => request.path === '/v1/messages');
    assert.equal(sent.length, 1);
    assert.equal(
      (sent[0]?.body as { stop_sequences?: unknown }).stop_sequences,
      undefined,
      'no stop at the first line break, which would have cut the answer at its fence',
    );
    // The request page says what went out: no stop either.
    await vscode.commands.executeCommand('switchboard.showLastCompletion');
    const page = await eventually(
      () =>
        vscode.workspace.textDocuments.find((open) => open.uri.scheme === 'switchboard-completion')?.getText() ?? '',
      (text) => text.includes('## Answer'),
      'the page to show the answered request',
    );
    assert.match(page, /a hole-filling chat prompt/);
    assert.match(page, /\*\*Limits:\*\* at most 64 tokens, temperature [^,\n]+\n/, 'no stop listed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
