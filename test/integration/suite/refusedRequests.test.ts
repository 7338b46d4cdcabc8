/**
 * A request the backend turns away with an error status (a bad key, a rate limit) never ran the
 * model and is not billed: the ledger, and so the status bar and every budget, must not show a
 * cost for it. A priced backend (DeepSeek) would otherwise show spend the user never had.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { SwitchboardApi } from '../../../src/extension';
import { activateWithLedger, config, eventually, itemsAt, useCompletionBackend } from './helpers';

const RIGHT_KEY = 'sk-right-key';

describe('requests the backend refused', () => {
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
    delete process.env.SWITCHBOARD_REFUSED_KEY;
    await emulator.close();
  });

  /** A DeepSeek backend on the emulator with `key`; returns a reader of its completion records from now on. */
  const useDeepSeek = (api: SwitchboardApi, id: string, key: string) =>
    useCompletionBackend(
      api,
      original,
      {
        id,
        name: `${id} (demo)`,
        preset: 'deepseek',
        baseUrl: emulator.baseUrls.openai,
        fimBaseUrl: emulator.baseUrls.deepseekBeta,
        completionModel: 'deepseek-v4-flash',
        apiKeyEnv: 'SWITCHBOARD_REFUSED_KEY',
      },
      key,
    );

  it('records a completion refused for a wrong key (401) and one refused by a rate limit (429) as free', async () => {
    const api = await activateWithLedger();
    const file = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i});`).join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${file}\nlet x` });
    const end = new vscode.Position(40, 'let x'.length);

    const wrongKey = await useDeepSeek(api, 'refused-key', 'sk-wrong-key');
    await itemsAt(api, document, end);
    const [refused] = await eventually(wrongKey, (found) => found.length > 0, 'the refused request to be recorded');
    assert.equal(refused?.outcome, 'auth');
    assert.deepEqual(
      [refused?.inputTokens, refused?.outputTokens, refused?.costMicros],
      [0, 0, 0],
      `a 401 is not billed: ${JSON.stringify(refused)}`,
    );

    // The right key, and a server that allows one request a minute: the first is billed, the next refused.
    // Its clock stands still: a retry that crossed into the next minute was served (a flaky test).
    const now = Date.now();
    emulator.configure({ requestsPerMinute: 1, now: () => now });
    try {
      const limited = await useDeepSeek(api, 'refused-rate', RIGHT_KEY);
      await itemsAt(api, document, end);
      await eventually(limited, (found) => found.some((r) => r.outcome === 'ok'), 'the answered request');
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, end, ' =');
      await vscode.workspace.applyEdit(edit);
      await itemsAt(api, document, end.translate(0, 2));
      const records = await eventually(
        limited,
        (found) => found.some((r) => r.outcome === 'rate-limited'),
        'the rate-limited request to be recorded',
      );
      const answered = records.find((r) => r.outcome === 'ok');
      const throttled = records.find((r) => r.outcome === 'rate-limited');
      assert.ok((answered?.costMicros ?? 0) > 0, `the answered request is billed: ${JSON.stringify(answered)}`);
      assert.deepEqual(
        [throttled?.inputTokens, throttled?.costMicros],
        [0, 0],
        `a 429 is not billed: ${JSON.stringify(throttled)}`,
      );
    } finally {
      emulator.configure({ requestsPerMinute: undefined, now: undefined });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('records a completion cancelled while still connecting as free, and one cancelled after it was sent as estimated', async () => {
    const api = await activateWithLedger();
    const file = Array.from({ length: 40 }, (_, i) => `const total${i} = price(${i});`).join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${file}\nlet y` });
    const end = new vscode.Position(40, 'let y'.length);
    const sockets = new Set<Socket>();
    // Reads the request, then never answers: the body went out, and the server may bill it.
    let bodyRead = () => {};
    const stalls = createHttpServer((request) => request.resume().on('end', () => bodyRead()));
    // Takes the TCP connection and never answers the TLS handshake: an https request there is still connecting.
    let connected = () => {};
    const silent = createTcpServer((socket) => {
      sockets.add(socket);
      connected();
    });
    const listen = async (server: HttpServer | TcpServer) => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    };
    const cancelledWhen = async (reached: Promise<void>) => {
      const source = new vscode.CancellationTokenSource();
      const asked = api.inlineCompletionProvider.provideInlineCompletionItems(
        document,
        end,
        { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
        source.token,
      );
      await reached;
      source.cancel();
      await asked;
    };
    const backend = (id: string, baseUrl: string) =>
      useCompletionBackend(api, original, {
        id,
        name: id,
        preset: 'custom',
        baseUrl,
        completionModel: 'emulator-coder',
        prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } },
      });
    try {
      const sentRecords = await backend('cancelled-sent', `http://127.0.0.1:${await listen(stalls)}/v1`);
      await cancelledWhen(new Promise((resolve) => (bodyRead = resolve)));
      const [sent] = await eventually(sentRecords, (found) => found.length > 0, 'the cancelled request to be recorded');
      assert.equal(sent?.outcome, 'cancelled');
      assert.ok((sent?.inputTokens ?? 0) > 0 && (sent?.costMicros ?? 0) > 0, `estimated: ${JSON.stringify(sent)}`);

      const connectingRecords = await backend('cancelled-connecting', `https://127.0.0.1:${await listen(silent)}/v1`);
      await cancelledWhen(new Promise((resolve) => (connected = resolve)));
      const [connecting] = await eventually(
        connectingRecords,
        (found) => found.length > 0,
        'the request cancelled while connecting to be recorded',
      );
      assert.equal(connecting?.outcome, 'cancelled');
      assert.deepEqual(
        [connecting?.inputTokens, connecting?.outputTokens, connecting?.costMicros, connecting?.unserved],
        [0, 0, 0, true],
        `never sent, so never billed: ${JSON.stringify(connecting)}`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      stalls.closeAllConnections();
      await new Promise((resolve) => stalls.close(resolve));
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
