/**
 * Local servers (llama.cpp's llama-server, LM Studio, vLLM) driven through the real clients over a
 * socket, answering as those servers do: the model names they list, their completion and chat
 * answers, and their own error bodies.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { failureFacts, explainFailure } from '../../../src/core/chat/explainFailure';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';

interface Seen {
  url: string;
  body: Record<string, unknown>;
}

type Answer = (seen: Seen, response: ServerResponse) => void;

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** llama-server's answer to a prompt longer than its context (tools/server, ERROR_TYPE_EXCEED_CONTEXT_SIZE). */
const LLAMACPP_TOO_LONG = {
  error: {
    code: 400,
    message: 'the request exceeds the available context size, try increasing it',
    type: 'exceed_context_size_error',
    n_prompt_tokens: 5000,
    n_ctx: 4096,
  },
};

/** vLLM's: an OpenAI-style ErrorResponse whose type says only BadRequestError. */
const VLLM_TOO_LONG = {
  object: 'error',
  message:
    "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens (8000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
  type: 'BadRequestError',
  param: null,
  code: 400,
};

describe('local servers as they answer', () => {
  let server: Server;
  let base = '';
  let seen: Seen[] = [];
  let answer: Answer = (_seen, response) => json(response, 404, {});

  before(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        const entry = { url: request.url ?? '', body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
        seen.push(entry);
        answer(entry, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen = [];
  });

  function provider(entry: Record<string, unknown>): Provider {
    const { providers, problems } = parseProviders([{ baseUrl: base, ...entry }]);
    assert.deepEqual(problems, []);
    return createProvider(providers[0]!, undefined);
  }

  describe('a prompt longer than the context', () => {
    it("llama.cpp's refusal of a streamed FIM call is one request, read as too long, and streaming stays on", async () => {
      answer = (_entry, response) => json(response, 400, LLAMACPP_TOO_LONG);
      const client = provider({ id: 'llamacpp', preset: 'llamacpp' });
      const ask = () =>
        client.fim({
          prefix: 'x',
          suffix: '',
          rawPrompt: '<|fim_prefix|>x<|fim_suffix|><|fim_middle|>',
          onText: () => undefined,
          stop: ['\n\n\n'],
        });
      await assert.rejects(ask(), (error: unknown) => ProviderError.is(error, 'context-too-long'));
      assert.deepEqual(
        seen.map((entry) => entry.body.stream),
        [true],
        'not sent again unstreamed: the long prompt is not evaluated twice',
      );
      await assert.rejects(ask(), (error: unknown) => ProviderError.is(error, 'context-too-long'));
      assert.deepEqual(
        seen.map((entry) => entry.body.stream),
        [true, true],
        'the next completion still streams',
      );
    });

    it('a FIM call refused for something else than streaming is not sent again unstreamed', async () => {
      // vLLM refusing a FIM-less model's prompt, say: the same request unstreamed is refused the same way.
      answer = (_entry, response) =>
        json(response, 400, {
          object: 'error',
          message: 'The prompt contains special tokens the model does not accept',
          type: 'BadRequestError',
          param: null,
          code: 400,
        });
      const client = provider({ id: 'vllm', preset: 'vllm' });
      const ask = () =>
        client.fim({
          prefix: 'x',
          suffix: '',
          rawPrompt: '<fim_prefix>x<fim_suffix><fim_middle>',
          onText: () => undefined,
        });
      await assert.rejects(ask(), (error: unknown) => ProviderError.is(error, 'bad-request'));
      await assert.rejects(ask(), (error: unknown) => ProviderError.is(error, 'bad-request'));
      assert.deepEqual(
        seen.map((entry) => entry.body.stream),
        [true, true],
        'one request each, and both streamed',
      );
    });

    it('vLLM: the chat says the conversation is too long and offers a new chat', async () => {
      answer = (_entry, response) => json(response, 400, VLLM_TOO_LONG);
      const client = provider({ id: 'vllm', preset: 'vllm' });
      const failure = await (async () => {
        try {
          for await (const event of client.chat({ messages: [{ role: 'user', content: 'x'.repeat(30_000) }] }))
            void event;
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      assert.ok(ProviderError.is(failure, 'context-too-long'), String(failure));
      const shown = explainFailure(
        failureFacts(failure, { id: 'vllm', name: 'vLLM (local)', model: 'Qwen/Qwen2.5-Coder-7B-Instruct' }),
        Date.now(),
      );
      assert.match(shown.headline, /too long/);
      assert.ok(shown.actions.includes('new-chat'), JSON.stringify(shown.actions));
    });
  });
});
