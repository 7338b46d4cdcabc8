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
import { CompletionEngine, DEFAULT_COMPLETION_SETTINGS } from '../../../src/core/completion/engine';
import { guardedProvider } from '../../../src/core/providers/guardedProvider';
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

/** An OpenAI-style answer, streamed as server-sent events when the request asked for a stream. */
function answerText(seen: Seen, response: ServerResponse, text: string): void {
  const chat = seen.url.endsWith('/chat/completions');
  const model = String(seen.body.model ?? 'model');
  const usage = { prompt_tokens: 20, completion_tokens: 3, total_tokens: 23 };
  if (seen.body.stream !== true) {
    const choice = chat
      ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }
      : { index: 0, text, finish_reason: 'stop' };
    return json(response, 200, { id: 'x', object: 'text_completion', model, choices: [choice], usage });
  }
  const piece = (content: string, finish: string | null) =>
    chat ? { index: 0, delta: { content }, finish_reason: finish } : { index: 0, text: content, finish_reason: finish };
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.write(`data: ${JSON.stringify({ id: 'x', model, choices: [piece(text, null)] })}\n\n`);
  response.write(`data: ${JSON.stringify({ id: 'x', model, choices: [piece('', 'stop')] })}\n\n`);
  response.write(`data: ${JSON.stringify({ id: 'x', model, choices: [], usage })}\n\n`);
  response.end('data: [DONE]\n\n');
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

  /** One completion asked for (Ctrl+Space), as the editor asks it, through the completion engine. */
  async function complete(backend: Provider, model: string): Promise<string[]> {
    const engine = new CompletionEngine({ settings: () => DEFAULT_COMPLETION_SETTINGS });
    const text = 'def add(a, b):\n    return \n';
    const suggestions = await engine.complete(
      { documentId: 'a.py', text, offset: text.length - 1, languageId: 'python', trigger: 'invoke' },
      { id: backend.id, model, fim: (request) => backend.fim(request) },
      new AbortController().signal,
    );
    return suggestions.map((suggestion) => suggestion.insertText);
  }

  describe('a model with no FIM template known from its name', () => {
    it('llama.cpp added with its defaults completes: the request reaches llama-server', async () => {
      answer = (entry, response) =>
        entry.url === '/v1/models'
          ? json(response, 200, { object: 'list', data: [{ id: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf' }] })
          : answerText(entry, response, 'a + b');
      const suggestions = await complete(provider({ id: 'llamacpp', preset: 'llamacpp' }), 'default');
      assert.ok(suggestions.includes('a + b'), `shown: ${JSON.stringify(suggestions)}`);
      assert.ok(
        seen.some((entry) => entry.url === '/v1/chat/completions'),
        'the hole was filled over chat',
      );
    });

    it('an LM Studio model whose name hides its family (qwen3-8b) completes over chat', async () => {
      answer = (entry, response) => answerText(entry, response, 'a + b');
      const suggestions = await complete(
        provider({ id: 'lmstudio', preset: 'lmstudio', completionModel: 'qwen3-8b' }),
        'qwen3-8b',
      );
      assert.ok(suggestions.includes('a + b'), `shown: ${JSON.stringify(suggestions)}`);
      const asked = seen.filter((entry) => entry.url === '/v1/chat/completions');
      assert.ok(asked.length > 0);
      assert.equal(asked[0]?.body.model, 'qwen3-8b');
    });

    it('a refusal of that chat request names the setting that picks a template', async () => {
      answer = (_entry, response) => json(response, 400, { error: 'This model does not support chat' });
      const client = provider({ id: 'vllm', preset: 'vllm', completionModel: 'google/gemma-3-12b' });
      await assert.rejects(
        client.fim({ model: 'google/gemma-3-12b', prefix: 'def add(a, b):\n    return ', suffix: '\n' }),
        (error: unknown) => {
          assert.ok(ProviderError.is(error, 'bad-request'));
          assert.match(error.message, /switchboard\.completion\.template/);
          assert.match(error.message, /does not support chat/, "the server's own words stay");
          return true;
        },
      );
    });
  });

  describe("llama.cpp's 'default' model", () => {
    it('is the GGUF llama-server lists, and a Qwen-Coder one gets its FIM template', async () => {
      answer = (entry, response) =>
        entry.url === '/v1/models'
          ? json(response, 200, {
              object: 'list',
              data: [{ id: 'qwen2.5-coder-1.5b-q8_0.gguf', object: 'model', owned_by: 'llamacpp' }],
            })
          : answerText(entry, response, 'a + b');
      // As the editor's completion backend has it: behind the guard every client goes through.
      const client = guardedProvider(provider({ id: 'llamacpp', preset: 'llamacpp' }));
      const model = (await client.servedModel?.('default')) ?? 'default';
      assert.equal(model, 'qwen2.5-coder-1.5b-q8_0.gguf');
      const suggestions = await complete(client, model);
      assert.ok(suggestions.includes('a + b'), `shown: ${JSON.stringify(suggestions)}`);
      const sent = seen.filter((entry) => entry.url === '/v1/completions');
      assert.ok(sent.length > 0, 'a FIM request, not chat');
      assert.match(String(sent[0]?.body.prompt), /^<\|fim_prefix\|>[\s\S]*<\|fim_suffix\|>[\s\S]*<\|fim_middle\|>$/);
    });

    it("is the GGUF's file name, not the folders it was loaded from", async () => {
      answer = (_entry, response) =>
        json(response, 200, { object: 'list', data: [{ id: '/home/me/qwen-coder-tests/Llama-3.2-3B-Q4_K_M.gguf' }] });
      const client = provider({ id: 'llamacpp', preset: 'llamacpp' });
      assert.equal(await client.servedModel?.('default'), 'Llama-3.2-3B-Q4_K_M.gguf');
      assert.equal(await client.servedModel?.('default'), 'Llama-3.2-3B-Q4_K_M.gguf');
      assert.equal(seen.length, 1, 'asked once, not before every completion');
    });

    it('stays as it is when llama-server serves several models (router mode) or cannot list them', async () => {
      answer = (_entry, response) =>
        json(response, 200, { object: 'list', data: [{ id: 'qwen2.5-coder-1.5b.gguf' }, { id: 'gemma-3-4b.gguf' }] });
      assert.equal(await provider({ id: 'llamacpp', preset: 'llamacpp' }).servedModel?.('default'), 'default');
      answer = (_entry, response) => json(response, 500, { error: { message: 'loading model' } });
      assert.equal(await provider({ id: 'llamacpp', preset: 'llamacpp' }).servedModel?.('default'), 'default');
    });

    it('a model the user named is kept, and not looked up', async () => {
      const client = provider({ id: 'llamacpp', preset: 'llamacpp', completionModel: 'my-alias' });
      assert.equal(await client.servedModel?.('my-alias'), 'my-alias');
      assert.deepEqual(seen, []);
    });
  });

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
