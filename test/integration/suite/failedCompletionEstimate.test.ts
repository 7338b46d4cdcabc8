/**
 * A completion that reached the server and then failed (a 5xx, a timeout) may still be billed:
 * the ledger estimates it from the prompt. On a raw-template backend the prompt sent is the
 * model's template around the code, with the other files' context, not the code before and after
 * the cursor alone: the estimate must be of what went out.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { estimateTokens } from '../../../src/core/providers/usage';
import { activateWithLedger, config, eventually, useCompletionBackend } from './helpers';

describe('a completion that failed after it was sent', () => {
  let original: unknown[];
  let server: Server;
  /** The `prompt` of every completion request the server was sent. */
  const prompts: string[] = [];

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.method === 'GET') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ object: 'list', data: [{ id: 'Qwen/Qwen2.5-Coder-1.5B', object: 'model' }] }));
          return;
        }
        const parsed = JSON.parse(body || '{}') as { prompt?: unknown };
        if (typeof parsed.prompt === 'string') prompts.push(parsed.prompt);
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'the model crashed', type: 'server_error' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const key of ['completion.provider', 'completion.yieldToChat'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is estimated from the prompt the server was sent, its template included', async () => {
    const api = await activateWithLedger();
    const port = (server.address() as AddressInfo).port;
    const records = await useCompletionBackend(api, original, {
      id: 'failed-raw-template',
      name: 'Failing vLLM',
      preset: 'vllm',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      completionModel: 'Qwen/Qwen2.5-Coder-1.5B',
    });
    const file = Array.from({ length: 30 }, (_, i) => `const item${i} = load(${i});`).join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${file}\nlet z` });
    const source = new vscode.CancellationTokenSource();
    await api.inlineCompletionProvider.provideInlineCompletionItems(
      document,
      new vscode.Position(30, 'let z'.length),
      { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
      source.token,
    );
    const failed = await eventually(
      records,
      (found) => found.length > 0 && found.length >= prompts.length,
      'the failed request to be recorded',
    );
    assert.ok(prompts.length > 0, 'the request reached the server');
    const sent = prompts[0]!;
    assert.match(sent, /<\|fim_prefix\|>/, 'the raw template went out');
    for (const record of failed) {
      assert.equal(record.outcome, 'server', JSON.stringify(record));
      assert.equal(record.reported, false, 'an estimate, and marked as one');
      assert.equal(record.inputTokens, estimateTokens(sent), `estimated from what was sent: ${JSON.stringify(record)}`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
