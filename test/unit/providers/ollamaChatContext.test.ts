/**
 * Ollama reads a chat in a context window it does not tell the client about, and one that does not
 * fit loses its start without a word: whole messages from the front, then the start of what is
 * left (server/prompt.go, the runner). Against the emulator, which reads a chat as Ollama does,
 * over real sockets.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { fitChatToContext } from '../../../src/core/providers/ollamaChatContext';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { ChatMessage, ChatRequest, Provider, SentLimits } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { startEmulator, type Emulator } from '../../emulator/server';

const SYSTEM = 'You are Switchboard, a coding assistant. Answer briefly.';

/** A file as the chat attaches it: `lines` lines of code. */
function file(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `const item${i} = cart.items[${i}].price * quantity${i % 7};`).join(
    '\n',
  );
}

/** `exchanges` questions with their answers, each about `chars` long, then the latest question. */
function conversation(exchanges: number, chars: number, latest: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (let i = 0; i < exchanges; i++) {
    messages.push({ role: 'user', content: `Question ${i}: ${'why is the total off by one? '.repeat(chars / 30)}` });
    messages.push({ role: 'assistant', content: `Answer ${i}: ${'the loop starts at one. '.repeat(chars / 100)}` });
  }
  messages.push({ role: 'user', content: latest });
  return messages;
}

interface Sent {
  text: string;
  messages: { role: string; content: string }[];
  options: Record<string, unknown> | undefined;
  context: { numCtx: number; truncatedTokens: number; droppedMessages?: number };
  limits: SentLimits | undefined;
}

describe('Ollama chat in its context window: fitting the conversation', () => {
  const facts = { suffix: false, contextLength: 32768, numCtx: 2048 };

  it('leaves out whole exchanges from the start, an answer never without its question', () => {
    const messages: ChatMessage[] = [
      { role: 'assistant', content: 'a'.repeat(2000) },
      { role: 'user', content: 'b'.repeat(2000) },
      { role: 'assistant', content: 'c'.repeat(500) },
      { role: 'user', content: 'd'.repeat(500) },
      { role: 'assistant', content: 'e'.repeat(500) },
      { role: 'user', content: 'the question' },
    ];
    const fitted = fitChatToContext({ system: SYSTEM, messages }, 1024, facts, undefined);
    assert.equal(fitted.numCtx, undefined);
    assert.equal(fitted.system, SYSTEM);
    assert.deepEqual(fitted.messages, messages.slice(3));
    assert.deepEqual(fitted.fit, { window: 2048, droppedMessages: 3, cutChars: 0 });
  });

  it('sends a chat that fits as it is, and says nothing was left out', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'hi' }];
    const fitted = fitChatToContext({ messages }, 1024, facts, undefined);
    assert.deepEqual(fitted, { messages, numCtx: undefined });
  });
});

describe('Ollama chat in its context window, against the emulator', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());
  beforeEach(() => emulator.configure({ ollama: { defaultNumCtx: 2048 } }));

  const provider = (): Provider => {
    const { providers } = parseProviders([
      {
        id: 'ollama',
        preset: 'ollama',
        baseUrl: emulator.baseUrls.ollama,
        chatModel: 'emulator-chat',
        completionModel: 'emulator-chat',
      },
    ]);
    assert.ok(providers[0]);
    return createProvider(providers[0], undefined);
  };

  /** Sends one chat; returns the answer and what the emulator recorded of the chat call. */
  const chat = async (backend: Provider, request: ChatRequest): Promise<Sent> => {
    const from = emulator.requests.length;
    let text = '';
    let limits: SentLimits | undefined;
    for await (const event of backend.chat({ ...request, onSent: (sent) => (limits = sent) }))
      if (event.type === 'text') text += event.text;
    const call = emulator.requests
      .slice(from)
      .find((recorded) => recorded.path === '/api/chat' || recorded.path === '/v1/chat/completions');
    assert.ok(call?.context, 'the chat call was recorded with its window');
    const body = call.body as { messages: Sent['messages']; options?: Record<string, unknown> };
    return { text, messages: body.messages, options: body.options, context: call.context, limits };
  };

  it('a chat larger than the server default goes with a num_ctx that holds it: nothing is lost', async () => {
    const latest = 'And what does item3 hold?';
    const messages: ChatMessage[] = [
      { role: 'user', content: `cart.js:\n${file(150)}\n\nWhat does this file compute?` },
      { role: 'assistant', content: 'It adds up the price of each item times its quantity. '.repeat(10) },
      { role: 'user', content: 'Rename quantity to count everywhere. '.repeat(20) },
      { role: 'assistant', content: 'Done: every quantity is now count. '.repeat(15) },
      { role: 'user', content: latest },
    ];
    const sent = await chat(provider(), { system: SYSTEM, messages });
    assert.equal(
      sent.context.truncatedTokens,
      0,
      `Ollama read the chat in a window of ${sent.context.numCtx} and lost ${sent.context.truncatedTokens} tokens ` +
        `(${sent.context.droppedMessages ?? 0} whole messages) from its start`,
    );
    assert.equal(sent.options?.num_ctx, 4096);
    assert.deepEqual(sent.messages[0], { role: 'system', content: SYSTEM });
    assert.match(sent.messages[1]?.content ?? '', /^cart\.js:\n/);
    assert.match(sent.text, /You asked: "And what does item3 hold\?"/);
  });

  it('a short chat is sent as before, without num_ctx; after a window was asked for, the model keeps it', async () => {
    const backend = provider();
    const short = await chat(backend, { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(short.options?.num_ctx, undefined);
    await chat(backend, { messages: [{ role: 'user', content: file(150) }] });
    const again = await chat(backend, { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(again.options?.num_ctx, 4096, 'the same window: the model is not reloaded');
  });

  it("a Modelfile's num_ctx is kept: the oldest whole exchanges are left out, the system prompt and latest question kept", async () => {
    emulator.configure({ ollama: { modelNumCtx: { 'emulator-chat:latest': 2048 } } });
    const latest = 'So where should the loop start?';
    const messages = conversation(8, 1200, latest);
    const sent = await chat(provider(), { system: SYSTEM, messages });
    assert.equal(sent.options?.num_ctx, undefined, 'the Modelfile says');
    assert.equal(sent.context.numCtx, 2048);
    assert.equal(sent.context.truncatedTokens, 0, 'Ollama had nothing left to cut');
    assert.deepEqual(sent.messages[0], { role: 'system', content: SYSTEM });
    assert.equal(sent.messages[1]?.role, 'user', 'an exchange is left out whole, never its question alone');
    assert.ok(sent.messages.length > 3 && sent.messages.length < messages.length + 1, `${sent.messages.length} sent`);
    assert.deepEqual(sent.messages.at(-1), { role: 'user', content: latest });
    const dropped = messages.length + 1 - sent.messages.length;
    assert.equal(sent.limits?.context?.droppedMessages, dropped, 'the caller hears what was left out');
    assert.equal(sent.limits?.context?.window, 2048);
    assert.match(sent.text, /You asked: "So where should the loop start\?"/);
  });

  it('a latest message too long for the window alone is cut from its start at a line start, its question kept', async () => {
    emulator.configure({ ollama: { modelNumCtx: { 'emulator-chat:latest': 2048 } } });
    const question = 'Which line multiplies by quantity3?';
    const latest = `cart.js:\n${file(300)}\n\n${question}`;
    const sent = await chat(provider(), {
      system: SYSTEM,
      messages: [...conversation(2, 600, 'first').slice(0, -1), { role: 'user', content: latest }],
    });
    assert.equal(sent.context.truncatedTokens, 0);
    assert.deepEqual(sent.messages[0], { role: 'system', content: SYSTEM });
    const last = sent.messages.at(-1)?.content ?? '';
    assert.ok(last.length < latest.length && latest.endsWith(last), 'cut from the start');
    assert.match(last, /^const item\d+ = /, 'at a line start');
    assert.ok(last.endsWith(question));
    assert.ok((sent.limits?.context?.cutChars ?? 0) > 0, 'the caller hears the message was cut');
    assert.match(sent.text, /You asked: "const item/);
  });

  it('reads at most 1 MB of /api/show for a chat too: a longer answer fails it, and the model is asked again next time', async () => {
    const backend = provider();
    emulator.fault({ path: '/api/show', kind: 'huge-body', bytes: 4 * 1024 * 1024, times: 1 });
    await assert.rejects(
      chat(backend, { messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => ProviderError.is(error, 'server') && /more than 1 MB/.test(error.message),
    );
    const again = await chat(backend, { messages: [{ role: 'user', content: 'hi' }] });
    assert.match(again.text, /You asked: "hi"/);
  });

  it('a completion over chat is fitted the same way: the code before the hole reaches the model', async () => {
    emulator.configure({ ollama: { modelNumCtx: { 'emulator-chat:latest': 1024 } } });
    const from = emulator.requests.length;
    const result = await provider().fim({ prefix: `${file(250)}\nfunction add(a, b) {`, suffix: '\n}\n' });
    const call = emulator.requests.slice(from).find((recorded) => recorded.path === '/api/chat');
    assert.equal(result.route, 'chat');
    assert.equal(call?.context?.truncatedTokens, 0);
    assert.match(result.text, /return a \+ b;/);
  });
});
