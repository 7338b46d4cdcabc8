/**
 * A stream that ends cleanly before its closing events (a proxy or load balancer that closes a long
 * answer early): the answer shows as cut off, and what the server counted is still billed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChatSession, type ChatRequestRecord } from '../../../src/core/chat/chatSession';
import type { AssistantTurn } from '../../../src/core/chat/conversation';
import { ChatHistoryStore } from '../../../src/core/chat/historyStore';
import type { ChatMessage, Provider, Usage } from '../../../src/core/providers/types';
import { estimateTokens } from '../../../src/core/providers/usage';
import { parseProviders, type ProviderConfig } from '../../../src/core/settings/providerSettings';
import { requestPrice } from '../../../src/core/usage/backendPrice';
import { meterRequest } from '../../../src/core/usage/meterRequest';
import { ProviderError } from '../../../src/core/providers/providerError';
import * as pricing from '../../../src/core/usage/pricing';
import { createProvider } from '../../../src/backends/providerRuntime';
import { MemoryStorage } from '../../harness/memoryStorage';
import { startEmulator, type Emulator } from '../../emulator/server';

const KEY = 'sk-emu-PLANTEDKEY-truncated-0123456789';

function backend(entry: Record<string, unknown>): { provider: Provider; config: ProviderConfig } {
  const { providers, problems } = parseProviders([{ id: 'p', ...entry }]);
  assert.deepEqual(problems, []);
  assert.ok(providers[0]);
  return { provider: createProvider(providers[0], KEY), config: providers[0] };
}

/** A chat session on a real client, metered and priced as the extension does. */
function session(
  chosen: { provider: Provider; config: ProviderConfig },
  heard: (request: ChatRequestRecord) => void = () => {},
) {
  let id = 0;
  let now = 1_000;
  const chat = new ChatSession({
    store: ChatHistoryStore.load(new MemoryStorage(), () => {}),
    backend: async () => chosen,
    record: (request) => {
      heard(request);
      const { usage, price } = meterRequest(request, (counted) =>
        requestPrice(chosen.config, request.model, counted, () => pricing),
      );
      return { ...usage, costMicros: price.micros, currency: price.micros === null ? 'USD' : price.currency };
    },
    now: () => (now += 10),
    newId: () => `id-${++id}`,
    warn: () => {},
    emit: () => {},
  });
  return chat;
}

/** The usage the server reports for these messages when it answers them whole. */
async function wholeUsage(provider: Provider, messages: ChatMessage[]): Promise<Usage> {
  let usage: Usage | undefined;
  for await (const event of provider.chat({ messages })) if (event.type === 'done') usage = event.usage;
  assert.ok(usage);
  return usage;
}

describe('a stream cut off before its closing events', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  it('Anthropic: the answer shows as failed, billed for its exact input and the output it streamed', async () => {
    const claude = backend({
      preset: 'anthropic',
      baseUrl: emulator.baseUrls.anthropic,
      chatModel: 'claude-sonnet-4-6',
    });
    // message_start, content_block_start, ping, then 40 text deltas; no message_delta, no message_stop.
    emulator.fault({ kind: 'truncate', path: '/v1/messages', afterChunks: 43 });
    const chat = session(claude);
    await chat.send('A long answer, please.', []);
    const answer = chat.active.turns.at(-1) as AssistantTurn;

    assert.equal(answer.status, 'failed', 'the answer is not shown as complete');
    assert.equal(answer.error?.kind, 'server');
    assert.ok(answer.text.length > 100, 'what streamed stays shown');
    const sent = emulator.requests.at(-1)?.body as { messages: ChatMessage[] };
    const server = await wholeUsage(claude.provider, sent.messages);
    const expected: Usage = {
      inputTokens: server.inputTokens,
      outputTokens: estimateTokens(answer.text),
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reported: false,
    };
    const price = requestPrice(claude.config, 'claude-sonnet-4-6', expected, () => pricing);
    assert.ok(price.micros !== null && price.micros > 0);
    assert.deepEqual(answer.usage, {
      inputTokens: server.inputTokens,
      outputTokens: estimateTokens(answer.text),
      reported: false,
      costMicros: price.micros,
    });
  });
});

describe('an OpenAI-compatible stream cut off before its finish reason', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  it('chat: the answer shows as failed, not complete, and what streamed is billed as estimated', async () => {
    const gpt = backend({ preset: 'openai', baseUrl: emulator.baseUrls.openai, chatModel: 'gpt-4.1' });
    // A role chunk, then text deltas; no finish reason, no usage chunk, no [DONE].
    emulator.fault({ kind: 'truncate', path: '/v1/chat/completions', afterChunks: 6 });
    const chat = session(gpt);
    await chat.send('A long answer, please.', []);
    const answer = chat.active.turns.at(-1) as AssistantTurn;

    assert.equal(answer.status, 'failed', 'a cut-off answer is not shown as complete');
    assert.equal(answer.error?.kind, 'server');
    assert.ok(answer.text.length > 0, 'what streamed stays shown');
    assert.equal(answer.usage?.reported, false);
    assert.equal(answer.usage?.outputTokens, estimateTokens(answer.text));
    assert.ok(answer.usage?.costMicros !== null && (answer.usage?.costMicros ?? 0) > 0, 'billed, never $0');
  });

  it('streamed FIM: a cut-off answer fails (never shown as ghost text whole), with its usage estimated', async () => {
    const coder = backend({
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      completionModel: 'emulator-coder',
      fimRoute: 'completions-suffix',
    });
    emulator.fault({ kind: 'truncate', path: '/v1/completions', afterChunks: 2 });
    let heard = '';
    await assert.rejects(
      coder.provider.fim({
        prefix: 'def fibonacci(n):\n    ',
        suffix: '\n',
        maxTokens: 64,
        onText: (text) => {
          heard = text;
        },
      }),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        const failure = error as { kind?: string; usage?: Usage };
        assert.equal(failure.kind, 'server');
        assert.equal(failure.usage?.reported, false);
        assert.equal(failure.usage?.outputTokens, estimateTokens(heard));
        return true;
      },
    );
    assert.ok(heard.length > 0, 'the stream had started');
  });
});

describe('Anthropic: an answer stopped or failed after message_start', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  const messages: ChatMessage[] = [{ role: 'user', content: 'Explain streams, at length, with examples.' }];

  /** What the failure of a chat carries, with the text that came before it. */
  async function failureOf(
    provider: Provider,
    signal?: AbortSignal,
    onText?: () => void,
  ): Promise<{ error: ProviderError; text: string }> {
    let text = '';
    try {
      for await (const event of provider.chat({ messages, signal })) {
        if (event.type !== 'text') continue;
        text += event.text;
        onText?.();
      }
    } catch (error) {
      assert.ok(error instanceof ProviderError, String(error));
      return { error, text };
    }
    assert.fail('the chat did not fail');
  }

  it('stopped by the user: the input the server counted is kept with the failure, the output estimated', async () => {
    const claude = backend({
      preset: 'anthropic',
      baseUrl: emulator.baseUrls.anthropic,
      chatModel: 'claude-sonnet-4-6',
    });
    const server = await wholeUsage(claude.provider, messages);
    const controller = new AbortController();
    const { error, text } = await failureOf(claude.provider, controller.signal, () => controller.abort());
    assert.equal(error.kind, 'cancelled');
    assert.ok(text.length > 0);
    assert.deepEqual(error.usage, {
      inputTokens: server.inputTokens,
      outputTokens: estimateTokens(text),
      cacheReadTokens: server.cacheReadTokens,
      cacheWriteTokens: server.cacheWriteTokens,
      reported: false,
    });
  });

  it('Stop in the chat view: the stopped answer is billed for the input the server counted', async () => {
    const claude = backend({
      preset: 'anthropic',
      baseUrl: emulator.baseUrls.anthropic,
      chatModel: 'claude-sonnet-4-6',
    });
    const recorded: ChatRequestRecord[] = [];
    const chat = session(claude, (request) => recorded.push(request));
    // Paced, so Stop comes while the client waits for the next part.
    emulator.configure({ tokensPerSecond: 50 });
    try {
      const sending = chat.send('Explain streams, at length, with examples.', []);
      const answering = () => {
        const last = chat.active.turns.at(-1);
        return last?.role === 'assistant' && last.text !== '';
      };
      for (let turn = 0; !answering(); turn++) {
        assert.ok(turn < 100_000, 'the answer starts');
        await new Promise((resolve) => setImmediate(resolve));
      }
      chat.stop();
      await sending;
    } finally {
      emulator.configure({ tokensPerSecond: 0 });
    }
    const server = await wholeUsage(claude.provider, [
      { role: 'user', content: 'Explain streams, at length, with examples.' },
    ]);
    const answer = chat.active.turns.at(-1) as AssistantTurn;
    assert.equal(answer.status, 'stopped');
    assert.equal(recorded[0]?.error?.kind, 'cancelled');
    assert.equal(recorded[0]?.error?.usage?.inputTokens, server.inputTokens, "the server's own input count");
  });

  it('Stop while a part of the answer is being handed over: the stopped answer still has the input the server counted', async () => {
    const claude = backend({
      preset: 'anthropic',
      baseUrl: emulator.baseUrls.anthropic,
      chatModel: 'claude-sonnet-4-6',
    });
    // The server's own count, unlike any estimate from the text: only message_start says it.
    emulator.configure({
      reportUsage: (usage, where) => (where === 'anthropic-start' ? { ...usage, input_tokens: 4_321 } : usage),
    });
    const recorded: ChatRequestRecord[] = [];
    let id = 0;
    let now = 1_000;
    let stop = () => {};
    const chat = new ChatSession({
      store: ChatHistoryStore.load(new MemoryStorage(), () => {}),
      backend: async () => claude,
      record: (request) => {
        recorded.push(request);
        const { usage, price } = meterRequest(request, (counted) =>
          requestPrice(claude.config, request.model, counted, () => pricing),
        );
        return { ...usage, costMicros: price.micros, currency: price.micros === null ? 'USD' : price.currency };
      },
      now: () => (now += 10),
      newId: () => `id-${++id}`,
      warn: () => {},
      // Stop is pressed as the first words are drawn, with the rest of the answer already read.
      emit: (event) => {
        if (event.type === 'delta') stop();
      },
    });
    stop = () => chat.stop();
    try {
      await chat.send('Explain streams, at length, with examples.', []);
    } finally {
      emulator.configure({ reportUsage: undefined });
    }
    const answer = chat.active.turns.at(-1) as AssistantTurn;
    assert.equal(answer.status, 'stopped');
    assert.ok(answer.text.length > 0);
    assert.equal(recorded.length, 1);
    const counted = recorded[0]?.usage ?? recorded[0]?.error?.usage;
    assert.equal(counted?.inputTokens, 4_321, `the server's own input count: ${JSON.stringify(recorded[0])}`);
    assert.equal(answer.usage?.inputTokens, 4_321, 'shown under the answer too');
    assert.ok((answer.usage?.outputTokens ?? 0) >= estimateTokens(answer.text), 'the output so far');
  });

  it("the server's own error mid-answer: the input it counted is kept with the failure", async () => {
    const claude = backend({
      preset: 'anthropic',
      baseUrl: emulator.baseUrls.anthropic,
      chatModel: 'claude-sonnet-4-6',
    });
    const server = await wholeUsage(claude.provider, messages);
    emulator.fault({ kind: 'error-event', path: '/v1/messages', afterChunks: 6 });
    const { error, text } = await failureOf(claude.provider);
    assert.ok(text.length > 0);
    assert.equal(error.usage?.inputTokens, server.inputTokens);
    assert.equal(error.usage?.outputTokens, estimateTokens(text));
    assert.equal(error.usage?.reported, false);
  });
});

describe('a stream that stays open after data: [DONE]', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  it('chat: the answer ends at [DONE], complete with its reported usage; nothing after it is shown', async () => {
    const gpt = backend({ preset: 'openai', baseUrl: emulator.baseUrls.openai, chatModel: 'gpt-4.1' });
    const messages: ChatMessage[] = [{ role: 'user', content: 'Hello there.' }];
    const whole = await wholeUsage(gpt.provider, messages);
    emulator.fault({ kind: 'linger', path: '/v1/chat/completions' });
    let text = '';
    let done: Usage | undefined;
    // A short silence limit: a client still waiting after [DONE] fails with it.
    for await (const event of gpt.provider.chat({ messages, idleTimeoutMs: 1_000 })) {
      if (event.type === 'text') text += event.text;
      if (event.type === 'done') done = event.usage;
    }
    assert.deepEqual(done, whole);
    assert.ok(text.length > 0);
    assert.ok(!text.includes('AFTER-DONE'));
  });

  it('streamed FIM: the answer ends at [DONE] with its reported usage', async () => {
    const coder = backend({
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      completionModel: 'emulator-coder',
      fimRoute: 'completions-suffix',
    });
    const request = { prefix: 'def fibonacci(n):\n    ', suffix: '\n', maxTokens: 64, onText: () => {} };
    const whole = await coder.provider.fim(request);
    emulator.fault({ kind: 'linger', path: '/v1/completions' });
    const result = await coder.provider.fim({ ...request, idleTimeoutMs: 1_000 });
    assert.equal(result.text, whole.text);
    assert.deepEqual(result.usage, whole.usage);
  });
});

describe('Ollama: a stream cut off before its done line, or held open after it', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  const ollama = () =>
    backend({
      preset: 'ollama',
      baseUrl: emulator.baseUrls.ollama,
      chatModel: 'emulator-coder',
      completionModel: 'emulator-coder',
    });
  const messages: ChatMessage[] = [{ role: 'user', content: 'A long answer, please.' }];
  const fim = { prefix: 'function add(a, b) {\n  return ', suffix: '\n}\n', maxTokens: 64, onText: () => {} };

  it('chat cut off: fails as cut off, with the usage estimated', async () => {
    const { provider } = ollama();
    emulator.fault({ kind: 'truncate', path: '/api/chat', afterChunks: 3 });
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const event of provider.chat({ messages })) if (event.type === 'text') text += event.text;
      })(),
      (error: unknown) => {
        assert.ok(error instanceof ProviderError, String(error));
        assert.equal(error.kind, 'server');
        assert.equal(error.usage?.reported, false);
        assert.equal(error.usage?.outputTokens, estimateTokens(text));
        return true;
      },
    );
    assert.ok(text.length > 0);
  });

  it('chat held open after its done line: ends there, complete with its reported usage', async () => {
    const { provider } = ollama();
    const whole = await wholeUsage(provider, messages);
    emulator.fault({ kind: 'linger', path: '/api/chat' });
    let done: Usage | undefined;
    for await (const event of provider.chat({ messages, idleTimeoutMs: 1_000 }))
      if (event.type === 'done') done = event.usage;
    assert.deepEqual(done, whole);
  });

  it('streamed FIM cut off: fails as cut off, never a cut line shown as the answer', async () => {
    const { provider } = ollama();
    emulator.fault({ kind: 'truncate', path: '/api/generate', afterChunks: 1 });
    await assert.rejects(provider.fim(fim), (error: unknown) => {
      assert.ok(error instanceof ProviderError, String(error));
      assert.equal(error.kind, 'server');
      assert.equal(error.usage?.reported, false);
      return true;
    });
  });

  it('streamed FIM held open after its done line: ends there with its reported usage', async () => {
    const { provider } = ollama();
    const whole = await provider.fim(fim);
    emulator.fault({ kind: 'linger', path: '/api/generate' });
    const result = await provider.fim({ ...fim, idleTimeoutMs: 1_000 });
    assert.equal(result.text, whole.text);
    assert.deepEqual(result.usage, whole.usage);
  });
});
