import assert from 'node:assert/strict';
import { MemoryStorage } from '../../harness/memoryStorage';
import { meterRequest } from '../../../src/core/usage/meterRequest';
import { describe, it } from 'node:test';
import {
  ChatSession,
  onThisMachine,
  type ChatRequestRecord,
  type SessionEvent,
} from '../../../src/core/chat/chatSession';
import { contextItem } from '../../../src/core/chat/contextItems';
import { ContextTracker } from '../../../src/core/chat/contextTracker';
import { promptMessages, type AssistantTurn } from '../../../src/core/chat/conversation';
import { ChatHistoryStore, type HistoryLimits } from '../../../src/core/chat/historyStore';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { ChatEvent, ChatRequest, Provider, Usage } from '../../../src/core/providers/types';
import { parseProviders, type ProviderConfig } from '../../../src/core/settings/providerSettings';
import { estimateTokens } from '../../../src/core/providers/usage';
import { turnView } from '../../../src/core/chat/turnViews';
import { formatMoney } from '../../../src/core/usage/formatMoney';

const [config] = parseProviders([{ id: 'deepseek', preset: 'deepseek', chatModel: 'deepseek-chat' }]).providers;
assert.ok(config);

const usage = (inputTokens: number, outputTokens: number): Usage => ({
  inputTokens,
  outputTokens,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reported: true,
});

type Script = (request: ChatRequest) => AsyncGenerator<ChatEvent>;

/** A provider that plays `script` for each request and remembers what it was asked. */
function provider(script: Script): Provider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    id: 'deepseek',
    requests,
    chat: (request) => {
      requests.push(request);
      return script(request);
    },
    fim: () => Promise.reject(new Error('unused')),
    listModels: () => Promise.resolve([]),
    probe: () => Promise.resolve({ ok: true, latencyMs: 0 }),
  };
}

const answers = (...texts: string[]): Script =>
  async function* () {
    for (const text of texts) yield { type: 'text', text };
    yield { type: 'done', usage: usage(100, 20) };
  };

/** Streams "partial", then waits for the abort and throws as the real clients do. */
const untilStopped: Script = async function* (request) {
  yield { type: 'text', text: 'partial' };
  if (!request.signal?.aborted)
    await new Promise<void>((resolve) => request.signal?.addEventListener('abort', () => resolve(), { once: true }));
  throw new ProviderError({ kind: 'cancelled', providerId: 'deepseek', message: 'Cancelled.' });
};

function session(
  script: Script,
  storage = new MemoryStorage(),
  options: {
    backend?: boolean;
    priceUnknown?: boolean;
    limits?: HistoryLimits;
    config?: ProviderConfig;
    recordFails?: boolean;
  } = {},
) {
  const fake = provider(script);
  const events: SessionEvent[] = [];
  const records: ChatRequestRecord[] = [];
  /** Each request's worst case held for the budgets: how many were recorded when it was held and released. */
  const holds: { promptText: string; recordsHeld: number; recordsReleased?: number; releases: number }[] = [];
  let id = 0;
  let now = 1_000;
  const chat = new ChatSession({
    store: ChatHistoryStore.load(storage, () => {}, options.limits),
    backend: async () =>
      options.backend === false ? undefined : { provider: fake, config: options.config ?? config! },
    // The real counting rule, at a made-up price of 2 and 10 micro-dollars a token.
    record: (request) => {
      records.push(request);
      if (options.recordFails) throw new Error('the ledger is gone');
      const { usage, price } = meterRequest(request, (counted) =>
        options.priceUnknown
          ? { micros: null, source: 'unknown' }
          : { micros: counted.inputTokens * 2 + counted.outputTokens * 10, currency: 'USD', source: 'override' },
      );
      return { ...usage, costMicros: price.micros, currency: 'USD' };
    },
    reserve: (_config, _model, promptText) => {
      const hold = { promptText, recordsHeld: records.length, releases: 0 } as (typeof holds)[number];
      holds.push(hold);
      return () => {
        hold.releases += 1;
        hold.recordsReleased = records.length;
      };
    },
    now: () => (now += 10),
    newId: () => `id-${++id}`,
    warn: () => {},
    emit: (event) => events.push(event),
  });
  return { chat, fake, events, records, storage, holds };
}

const lastAnswer = (chat: ChatSession) => chat.active.turns[chat.active.turns.length - 1] as AssistantTurn;

/** The usage line the view shows under the last answer. */
function usageShown(chat: ChatSession): string | undefined {
  const view = turnView(lastAnswer(chat), { now: 0, actionable: true, alternatives: [] });
  return view.role === 'assistant' ? view.usage : undefined;
}

/** Lets the streams run until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    assert.ok(turn < 1_000, 'the awaited moment comes');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Events that draw or change one of `turnIds` in the view. */
function eventsAbout(events: readonly SessionEvent[], turnIds: readonly string[]): SessionEvent[] {
  return events.filter(
    (event) =>
      (event.type === 'turn' && turnIds.includes(event.turn.id)) ||
      ((event.type === 'delta' || event.type === 'thinking') && turnIds.includes(event.turnId)) ||
      (event.type === 'turn-removed' && turnIds.includes(event.id)),
  );
}

describe('chat session', () => {
  it('a window closing mid-answer writes what has come at once: nothing after dispose may get to run', async () => {
    const { chat, storage } = session(untilStopped);
    const sending = chat.send('explain the build', []);
    await until(() => lastAnswer(chat)?.text === 'partial');
    const id = chat.active.id;
    chat.close();
    // Read before the stream unwinds (the extension host may be gone by then).
    const saved = ChatHistoryStore.load(storage, () => {}).get(id);
    assert.deepEqual(
      saved?.turns.map((turn) => turn.text),
      ['explain the build', 'partial'],
    );
    await sending;
  });

  it('streams an answer, records it with its usage and prices it', async () => {
    const { chat, events, records, fake } = session(answers('Hello', ', world'));
    assert.equal(await chat.send('  Hi  ', []), true);
    const answer = lastAnswer(chat);
    assert.equal(answer.status, 'complete');
    assert.equal(answer.text, 'Hello, world');
    assert.deepEqual(answer.usage, { inputTokens: 100, outputTokens: 20, reported: true, costMicros: 400 });
    assert.deepEqual(
      events.filter((event) => event.type === 'delta').map((event) => event.type === 'delta' && event.text),
      ['Hello', ', world'],
    );
    assert.equal(records.length, 1);
    assert.equal(records[0]!.error, undefined);
    assert.deepEqual(records[0]!.usage, usage(100, 20));
    assert.equal(records[0]!.model, 'deepseek-chat');
    assert.deepEqual(fake.requests[0]!.messages, [{ role: 'user', content: 'Hi' }]);
    assert.equal(fake.requests[0]!.model, 'deepseek-chat');
    assert.equal(answer.backendName, config!.name);
  });

  it('says the model is thinking before its first words, and the thinking is not part of the answer', async () => {
    const { chat, events } = session(async function* () {
      yield { type: 'thinking', text: 'Two and two' };
      yield { type: 'thinking', text: ' make four.' };
      yield { type: 'text', text: 'Four.' };
      yield { type: 'done', usage: usage(10, 50) };
    });
    await chat.send('What is 2+2?', []);
    const turnId = lastAnswer(chat).id;
    const streamed = events.filter((event) => event.type === 'thinking' || event.type === 'delta');
    assert.deepEqual(streamed, [
      { type: 'thinking', turnId },
      { type: 'delta', turnId, text: 'Four.' },
    ]);
    assert.equal(lastAnswer(chat).text, 'Four.');
    assert.equal(lastAnswer(chat).status, 'complete');
  });

  it('keeps how many of the output tokens the backend says went to reasoning, only when it said so', async () => {
    const { chat } = session(async function* () {
      yield { type: 'thinking', text: 'Two and two make four.' };
      yield { type: 'text', text: 'Four.' };
      yield { type: 'done', usage: { ...usage(10, 50), reasoningTokens: 48 } };
    });
    await chat.send('What is 2+2?', []);
    assert.equal(lastAnswer(chat).usage?.reasoningTokens, 48);
    const { chat: plain } = session(answers('Four.'));
    await plain.send('What is 2+2?', []);
    assert.equal(lastAnswer(plain).usage?.reasoningTokens, undefined);
  });

  it('an answer stopped or failed after a long reasoning is metered with the reasoning it streamed, which stays out of the answer', async () => {
    const reasoning = 'First, restate the theorem and check each case in turn. '.repeat(600);
    const chunks = reasoning.match(/.{1,400}/gs) ?? [];
    const ends = {
      stopped: untilStopped,
      failed: async function* (): AsyncGenerator<ChatEvent> {
        yield { type: 'text', text: 'partial' };
        throw new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Stream broke.' });
      },
    };
    for (const [status, end] of Object.entries(ends)) {
      const { chat, records, events } = session(async function* (request) {
        for (const text of chunks) yield { type: 'thinking', text };
        yield* end(request);
      });
      const sending = chat.send('Prove the theorem', []);
      await until(() => chat.active.turns.at(-1)?.text === 'partial' || !chat.busy);
      chat.stop();
      await sending;
      const answer = lastAnswer(chat);
      assert.equal(answer.status, status);
      assert.equal(answer.text, 'partial', 'the reasoning is never shown as the answer');
      assert.ok(
        records[0]!.outputText === `${reasoning}partial`,
        `${status}: the ledger estimates from the reasoning too`,
      );
      // Named as reasoning, so a backend that bills thinking at its own rate is charged that.
      assert.ok(records[0]!.reasoningText === reasoning, `${status}: the reasoning is named`);
      assert.equal(answer.usage?.outputTokens, estimateTokens(`${reasoning}partial`), status);
      assert.ok((answer.usage?.outputTokens ?? 0) > 8_000, `${status}: the reasoning is counted`);
      assert.equal(events.filter((event) => event.type === 'thinking').length, 1, 'the view hears of it once');
    }
  });

  it('sends exactly the context shown with the question', async () => {
    const { chat, fake } = session(answers('ok'));
    const item = contextItem('ctx-1', 'file:a', {
      kind: 'file',
      path: 'src/a.ts',
      language: 'ts',
      text: 'const a = 1;',
    });
    await chat.send('What is a?', [item]);
    assert.equal(fake.requests[0]!.messages[0]!.content, `${item.block}\n\nWhat is a?`);
    const question = chat.active.turns[0]!;
    assert.ok(question.role === 'user');
    assert.equal(question.text, 'What is a?');
    assert.deepEqual(question.context, [{ kind: 'file', label: 'a.ts', tokens: item.tokens, truncated: false }]);
  });

  it('stopping keeps the partial answer as stopped, never complete, and never sends it back', async () => {
    let calls = 0;
    const { chat, records, fake } = session(async function* (request) {
      calls += 1;
      if (calls === 1) yield* untilStopped(request);
      else yield* answers('fine')(request);
    });
    const sending = chat.send('First question', []);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(chat.busy, true);
    chat.stop();
    await sending;
    const stopped = lastAnswer(chat);
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.text, 'partial');
    assert.equal(stopped.usage?.reported, false, 'a stopped answer shows an estimate');
    assert.equal(records[0]!.error?.kind, 'cancelled');
    assert.equal(records[0]!.outputText, 'partial');

    await chat.send('Second question', []);
    assert.deepEqual(
      fake.requests[1]!.messages,
      [{ role: 'user', content: 'Second question' }],
      'the stopped exchange is left out',
    );
  });

  it('a backend that ignores the abort still ends stopped, not complete', async () => {
    // The backend goes on only after the stop, whatever the abort signal says.
    let release = () => {};
    const stopped = new Promise<void>((resolve) => (release = resolve));
    const { chat, records } = session(async function* () {
      yield { type: 'text', text: 'one' };
      await stopped;
      yield { type: 'text', text: ' two' };
      yield { type: 'done', usage: usage(1, 1) };
    });
    const sending = chat.send('q', []);
    for (let turn = 0; chat.active.turns.at(-1)?.text !== 'one'; turn++) {
      assert.ok(turn < 1_000, 'the first part of the answer arrives');
      await new Promise((resolve) => setImmediate(resolve));
    }
    chat.stop();
    release();
    await sending;
    assert.equal(lastAnswer(chat).status, 'stopped');
    assert.equal(lastAnswer(chat).text, 'one');
    assert.equal(records[0]!.error?.kind, 'cancelled');
  });

  it('a failure is kept with its facts, shown without a made-up cost, and left out of the next prompt', async () => {
    let calls = 0;
    const { chat, records, fake } = session(async function* (request) {
      calls += 1;
      if (calls === 1)
        throw new ProviderError({
          kind: 'auth',
          providerId: 'deepseek',
          message: 'Authentication failed (deepseek 401).',
          status: 401,
        });
      yield* answers('ok')(request);
    });
    await chat.send('q1', []);
    const failed = lastAnswer(chat);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.kind, 'auth');
    assert.equal(failed.error?.providerId, 'deepseek');
    assert.equal(failed.usage, undefined);
    assert.equal(chat.totals.value.requests, 0);
    assert.equal(records[0]!.error?.kind, 'auth', 'the ledger still gets the failed request');
    await chat.send('q2', []);
    assert.deepEqual(
      fake.requests[1]!.messages.map((message) => message.content),
      ['q2'],
    );
  });

  it('a model Ollama does not have: the failed answer says how to pull it or choose another', async () => {
    const [ollama] = parseProviders([{ id: 'ollama', preset: 'ollama', name: 'Ollama (local)' }]).providers;
    const { chat } = session(
      // eslint-disable-next-line require-yield -- fails before its first event, as a 404 does
      async function* () {
        throw new ProviderError({
          kind: 'model-not-found',
          providerId: 'ollama',
          message: 'Model not found (ollama 404): model "qwen2.5-coder:7b" not found, try pulling it first',
          status: 404,
        });
      },
      new MemoryStorage(),
      { config: ollama },
    );
    await chat.send('hi', []);
    const view = turnView(lastAnswer(chat), { now: 0, actionable: true, alternatives: [] });
    assert.ok(view.role === 'assistant');
    assert.equal(view.error?.headline, 'Ollama (local) does not offer the model "qwen2.5-coder:7b".');
    assert.equal(
      view.error?.detail,
      'Run `ollama pull qwen2.5-coder:7b` or choose another model (Switchboard: Choose Model…).',
    );
  });

  it('a failure the meter charged (a server error, a timeout) shows on the answer what the ledger recorded, and counts in the session total', async () => {
    const question = 'Summarise this log. '.repeat(200).trim();
    for (const error of [
      new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Internal error', status: 500 }),
      new ProviderError({ kind: 'timeout', providerId: 'deepseek', message: 'No first byte in 120 s.' }),
    ]) {
      const { chat } = session(async function* () {
        yield* [];
        throw error;
      });
      await chat.send(question, []);
      const inputTokens = estimateTokens(question);
      assert.equal(lastAnswer(chat).status, 'failed');
      assert.deepEqual(
        lastAnswer(chat).usage,
        { inputTokens, outputTokens: 0, reported: false, costMicros: inputTokens * 2 },
        error.kind,
      );
      assert.match(usageShown(chat) ?? '', /^≈ [\d,]+ in · 0 out tokens \(estimated\) · \$0\.\d+$/);
      assert.deepEqual(chat.totals.value, {
        requests: 1,
        inputTokens,
        outputTokens: 0,
        cost: { USD: inputTokens * 2 },
        unpriced: 0,
      });
    }
  });

  it('a charged failure at an unknown price says "price unknown", never $0; one never sent shows no cost at all', async () => {
    const { chat } = session(
      async function* () {
        yield* [];
        throw new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Internal error', status: 500 });
      },
      new MemoryStorage(),
      { priceUnknown: true },
    );
    await chat.send('q'.repeat(400), []);
    assert.equal(usageShown(chat), '≈ 100 in · 0 out tokens (estimated) · price unknown');
    assert.equal(chat.totals.value.unpriced, 1);

    const { chat: offline } = session(async function* () {
      yield* [];
      throw new ProviderError({ kind: 'network', providerId: 'deepseek', message: 'ECONNREFUSED', notSent: true });
    });
    await offline.send('q'.repeat(400), []);
    assert.equal(lastAnswer(offline).usage, undefined);
    assert.equal(offline.totals.value.requests, 0);
  });

  it("knows a ProviderError thrown from the runtime bundle's own copy of the class", async () => {
    // dist/providerRuntime.js bundles its own ProviderError: same brand and fields, another class.
    class ForeignProviderError extends Error {
      override name = 'ProviderError';
      kind = 'network';
      providerId = 'deepseek';
      retryable = true;
    }
    const { chat, records } = session(async function* () {
      yield* [];
      throw Object.assign(new ForeignProviderError('Could not reach http://127.0.0.1:9/v1: fetch failed'), {
        [Symbol.for('switchboard.ProviderError')]: true,
      });
    });
    await chat.send('q', []);
    assert.equal(lastAnswer(chat).error?.kind, 'network');
    assert.equal(records[0]!.error?.kind, 'network');
    assert.ok(records[0]!.error instanceof ProviderError);
  });

  it('regenerate replaces the last answer and asks the same question again', async () => {
    let n = 0;
    const { chat, fake, events } = session(async function* (request) {
      n += 1;
      yield* answers(`answer ${n}`)(request);
    });
    await chat.send('q', []);
    const first = lastAnswer(chat).id;
    assert.equal(await chat.regenerate(), true);
    assert.equal(chat.active.turns.length, 2);
    assert.equal(lastAnswer(chat).text, 'answer 2');
    assert.deepEqual(fake.requests[1]!.messages, [{ role: 'user', content: 'q' }]);
    assert.ok(events.some((event) => event.type === 'turn-removed' && event.id === first));
  });

  it('a regenerate that fails gives the earlier complete answer its place back, says so, and still counts what the attempt cost', async () => {
    let calls = 0;
    const storage = new MemoryStorage();
    const { chat, events, records } = session(async function* (request) {
      calls += 1;
      if (calls === 1) yield* answers('A long, carefully worked answer.')(request);
      else {
        yield { type: 'text', text: 'A half' };
        throw new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Stream broke.' });
      }
    }, storage);
    await chat.send('Explain this', []);
    const earlier = lastAnswer(chat);
    const seen = events.length;
    assert.equal(await chat.regenerate(), true);
    assert.equal(chat.active.turns.length, 2);
    assert.equal(lastAnswer(chat), earlier, 'the earlier answer is back, whole');
    assert.equal(earlier.status, 'complete');
    const shown = events
      .slice(seen)
      .filter((event) => event.type === 'turn' || event.type === 'turn-removed' || event.type === 'notice');
    const attempt = shown.find((event) => event.type === 'turn' && event.turn !== earlier);
    assert.ok(attempt?.type === 'turn');
    assert.deepEqual(shown, [
      { type: 'turn-removed', id: earlier.id },
      { type: 'turn', turn: attempt.turn },
      { type: 'turn-removed', id: attempt.turn.id },
      { type: 'turn', turn: earlier },
      { type: 'notice', text: 'Regenerating failed: deepseek had an internal error. The earlier answer is kept.' },
    ]);
    assert.equal(records.length, 2, 'the ledger has the failed attempt');
    assert.equal(chat.totals.value.requests, 2, 'the failed attempt is in the session total');
    const stored = ChatHistoryStore.load(storage, () => {}).get(chat.active.id);
    assert.deepEqual(
      stored?.turns.map((turn) => turn.text),
      ['Explain this', 'A long, carefully worked answer.'],
      'and in history',
    );
  });

  it('a regenerate the user stops keeps the earlier complete answer, and says so', async () => {
    let calls = 0;
    const { chat, events } = session(async function* (request) {
      calls += 1;
      if (calls === 1) yield* answers('The first answer.')(request);
      else yield* untilStopped(request);
    });
    await chat.send('q', []);
    const earlier = lastAnswer(chat);
    const regenerating = chat.regenerate();
    await until(() => chat.active.turns.at(-1)?.text === 'partial');
    chat.stop();
    await regenerating;
    assert.equal(lastAnswer(chat), earlier);
    assert.equal(chat.active.turns.length, 2);
    assert.deepEqual(
      events.filter((event) => event.type === 'notice'),
      [{ type: 'notice', text: 'Regenerating stopped. The earlier answer is kept.' }],
    );
    assert.equal(chat.totals.value.requests, 2, 'the stopped attempt is in the session total');
  });

  it('Retry on an answer the server cut off keeps its text when the retry gets less of an answer; a longer one replaces it', async () => {
    let calls = 0;
    const storage = new MemoryStorage();
    const cut = (text: string): Script =>
      async function* () {
        yield { type: 'text', text };
        throw new ProviderError({ kind: 'network', providerId: 'deepseek', message: 'Connection reset.' });
      };
    const { chat, events } = session(async function* (request) {
      calls += 1;
      if (calls === 1) yield* cut('Step 1: a long explanation the user was reading.')(request);
      else if (calls === 2) yield* cut('Step')(request);
      else yield* cut('Step 1: a long explanation the user was reading. Step 2: and more of it.')(request);
    }, storage);
    await chat.send('Walk me through it', []);
    const partial = lastAnswer(chat);
    assert.equal(partial.status, 'failed');

    // Retry, and the connection drops again sooner: the text the user had is still there.
    await chat.regenerate();
    assert.equal(chat.active.turns.length, 2);
    assert.equal(lastAnswer(chat), partial, 'the cut-off answer is back');
    assert.equal(partial.text, 'Step 1: a long explanation the user was reading.');
    assert.deepEqual(
      events.filter((event) => event.type === 'notice'),
      [{ type: 'notice', text: 'Regenerating failed: Could not reach deepseek. The earlier answer is kept.' }],
    );
    const stored = ChatHistoryStore.load(storage, () => {}).get(chat.active.id);
    assert.equal(stored?.turns[1]?.text, partial.text, 'and in history');

    // A retry that got further is kept in its place.
    await chat.regenerate();
    assert.equal(chat.active.turns.length, 2);
    assert.match(lastAnswer(chat).text, /Step 2/);
  });

  it('regenerating an answer that failed replaces it, even when the new one fails too (switch and retry)', async () => {
    const { chat, events } = session(async function* () {
      yield* [];
      throw new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Down.', status: 503 });
    });
    await chat.send('q', []);
    const first = lastAnswer(chat);
    await chat.regenerate();
    assert.equal(chat.active.turns.length, 2);
    assert.notEqual(lastAnswer(chat), first);
    assert.equal(lastAnswer(chat).status, 'failed');
    assert.deepEqual(
      events.filter((event) => event.type === 'notice'),
      [],
    );
  });

  it('refuses to send while an answer streams', async () => {
    const { chat } = session(untilStopped);
    const sending = chat.send('q', []);
    assert.equal(await chat.send('again', []), false);
    assert.equal(await chat.regenerate(), false);
    chat.stop();
    await sending;
    assert.equal(await chat.send('   ', []), false, 'nothing to ask');
  });

  it('with no backend, the answer fails as no-backend', async () => {
    const { chat, records } = session(answers('x'), new MemoryStorage(), { backend: false });
    await chat.send('q', []);
    assert.equal(lastAnswer(chat).status, 'failed');
    assert.equal(lastAnswer(chat).error?.kind, 'no-backend');
    assert.equal(records.length, 0);
  });

  it('says so when the history is full and the oldest conversation goes, naming it', async () => {
    const { chat, events } = session(answers('Sure.'), new MemoryStorage(), {
      limits: { conversations: 2, totalChars: 4_000_000 },
    });
    for (const question of ['How do I parse dates?', 'What is a monad?', 'Why is my build slow?']) {
      await chat.send(question, []);
      chat.newChat();
    }
    const notices = events.flatMap((event) => (event.type === 'notice' ? [event.text] : []));
    assert.deepEqual(notices, [
      'The chat history keeps at most 2 conversations and 4 MB: the oldest conversation, "How do I parse dates?", was removed.',
    ]);
  });

  it('one long conversation with files attached past the size limit does not wipe out the rest of the history', async () => {
    // At the real scale: 4 MB is 13 questions with ten 32,000-character files attached to each.
    const limits = { conversations: 50, totalChars: 200_000 };
    const storage = new MemoryStorage();
    const { chat, events } = session(answers('Sure.'), storage, { limits });
    for (const question of ['How do I parse dates?', 'What is a monad?', 'Why is my build slow?']) {
      await chat.send(question, []);
      chat.newChat();
    }
    const file = (n: number) =>
      contextItem(`f${n}`, `file:big${n}.ts`, { kind: 'file', path: `big${n}.ts`, text: `// ${n}\n`.repeat(6_000) });
    for (let n = 1; n <= 6; n++) await chat.send(`Review big${n}.ts`, [file(n)]);
    const titles = ChatHistoryStore.load(storage, () => {}, limits)
      .list()
      .map((summary) => summary.title);
    assert.deepEqual(titles, ['Review big1.ts', 'Why is my build slow?', 'What is a monad?', 'How do I parse dates?']);
    assert.deepEqual(
      events.filter((event) => event.type === 'notice'),
      [],
      'nothing was removed',
    );
  });

  it('keeps the history across a restart and reopens a past conversation', async () => {
    const storage = new MemoryStorage();
    const first = session(answers('one'), storage);
    await first.chat.send('first conversation', []);
    const firstId = first.chat.active.id;
    first.chat.newChat();
    await first.chat.send('second conversation', []);

    const again = session(answers('x'), storage);
    assert.equal(
      again.chat.active.turns[0]?.role === 'user' && again.chat.active.turns[0].text,
      'second conversation',
      'the active conversation comes back',
    );
    assert.equal(again.chat.open(firstId), true);
    assert.equal(lastAnswer(again.chat).text, 'one');
    assert.ok(again.events.some((event) => event.type === 'conversation'));
    assert.equal(again.chat.open('missing'), false);
    await again.chat.delete(firstId);
    assert.equal(again.chat.active.turns.length, 0, 'deleting the open conversation starts a new one');
  });

  it('deleting a conversation while its answer streams removes it for good: not stored, not listed after a reload, not drawn again', async () => {
    const { chat, events, storage } = session(untilStopped);
    const sending = chat.send('Here is my API key sk-123, please help', []);
    await until(() => chat.active.turns.at(-1)?.text === 'partial');
    const deleted = chat.active.id;
    const turnIds = chat.active.turns.map((turn) => turn.id);
    const seen = events.length;
    await chat.delete(deleted);
    await sending;
    assert.deepEqual(
      storage.keys().filter((key) => key.includes(deleted)),
      [],
      'nothing of it is left in storage',
    );
    assert.deepEqual(ChatHistoryStore.load(storage, () => {}).list(), [], 'it does not come back after a reload');
    assert.deepEqual(eventsAbout(events.slice(seen), turnIds), [], 'the view is told nothing more of it');
    assert.notEqual(chat.active.id, deleted);
    assert.equal(chat.busy, false);
  });

  it('adds every priced request to the session total', async () => {
    const { chat } = session(answers('a'));
    await chat.send('q1', []);
    await chat.send('q2', []);
    assert.deepEqual(chat.totals.value, {
      requests: 2,
      inputTokens: 200,
      outputTokens: 40,
      cost: { USD: 800 },
      unpriced: 0,
    });
  });
});

describe('context attached again', () => {
  const fileA = (id: string, text = 'export const a = 1;\n') =>
    contextItem(id, 'file:a', { kind: 'file', path: 'src/a.ts', language: 'typescript', text });
  const fileB = contextItem('b', 'file:b', { kind: 'file', path: 'src/b.ts', language: 'typescript', text: 'b();' });

  it('a file attached again unchanged goes once, in the latest question; the earlier copy becomes a note naming it, and a changed file keeps its earlier version', async () => {
    const storage = new MemoryStorage();
    const { chat, fake } = session(answers('ok'), storage);
    const a1 = fileA('a1');
    await chat.send('q1', [a1]);
    await chat.send('q2', [fileA('a2'), fileB]);
    assert.deepEqual(
      fake.requests[1]!.messages.map((message) => message.content),
      ['[File src/a.ts: attached again below]\n\nq1', 'ok', `${a1.block}\n\n${fileB.block}\n\nq2`],
    );
    const a3 = fileA('a3', 'export const a = 2;\n');
    await chat.send('q3', [a3]);
    assert.deepEqual(
      fake.requests[2]!.messages.map((message) => message.content),
      [
        '[File src/a.ts: attached again below]\n\nq1',
        'ok',
        `${a1.block}\n\n${fileB.block}\n\nq2`,
        'ok',
        `${a3.block}\n\nq3`,
      ],
      'the version the model saw before stays where it was',
    );
    const reloaded = session(answers('ok'), storage);
    await reloaded.chat.send('q4', [fileA('a4', 'export const a = 2;\n')]);
    assert.equal(
      reloaded.fake.requests[0]!.messages[4]!.content,
      '[File src/a.ts: attached again below]\n\nq3',
      'the same after a reload',
    );
  });

  it('asking about the same file again and again sends it once, not once a question', async () => {
    const { chat, fake } = session(answers('ok'));
    const file = Array.from({ length: 1000 }, (_, i) => `const value${i} = compute(${i});`).join('\n');
    const item = contextItem('f', 'file:app', { kind: 'file', path: 'app.ts', language: 'typescript', text: file });
    for (let q = 1; q <= 8; q++) await chat.send(`question ${q}`, [item]);
    const sent = fake.requests.map((request) => estimateTokens(request.messages.map((m) => m.content).join('\n')));
    assert.ok(sent[7]! < item.tokens + 200, `the 8th request carries the file once: ${sent.join(', ')}`);
  });

  it('the figure shown before sending is what the request carries: the conversation so far and the attachments', async () => {
    const { chat, fake } = session(answers('Here is what it does.'));
    const tracker = new ContextTracker();
    const shown: string[] = [];
    const questions = ['What does a do?', 'And b?', 'And now?', 'Thanks, one more.'];
    const attached = [[fileA('a1')], [fileA('a2'), fileB], [fileA('a3', 'export const a = 2;\n')], []];
    for (const [i, question] of questions.entries()) {
      tracker.setDefaults(attached[i]!);
      const snapshot = tracker.snapshot(chat.active.turns);
      shown.push(snapshot.totalText);
      const items = tracker.itemsFor(
        snapshot.revision,
        snapshot.chips.map((chip) => chip.id),
      );
      await chat.send(question, items!);
      const sentText = fake.requests[i]!.messages.map((message) => message.content).join('\n');
      assert.ok(sentText.endsWith(question));
      assert.equal(snapshot.totalTokens, estimateTokens(sentText.slice(0, -question.length)), `question ${i + 1}`);
    }
    assert.match(shown[0]!, /^≈ \d+ tokens of context$/);
    assert.match(shown[1]!, /^≈ [\d,]+ tokens: [\d,]+ attached, [\d,]+ earlier in this chat$/);
    assert.match(shown[3]!, /^≈ [\d,]+ tokens from earlier in this chat$/);
    assert.equal(new ContextTracker().snapshot([]).totalText, 'No context');
  });
});

describe('prompt messages', () => {
  it('pairs questions with complete answers only and ends with the open question', () => {
    const at = 0;
    const messages = promptMessages([
      { role: 'user', id: '1', text: 'a', prompt: 'A', context: [], at },
      { role: 'assistant', id: '2', text: 'answer A', status: 'complete', at },
      { role: 'user', id: '3', text: 'b', prompt: 'B', context: [], at },
      { role: 'assistant', id: '4', text: 'half', status: 'stopped', at },
      { role: 'user', id: '5', text: 'c', prompt: 'C', context: [], at },
      { role: 'assistant', id: '6', text: '', status: 'failed', at },
      { role: 'user', id: '7', text: 'd', prompt: 'D', context: [], at },
    ]);
    assert.deepEqual(messages, [
      { role: 'user', content: 'A' },
      { role: 'assistant', content: 'answer A' },
      { role: 'user', content: 'D' },
    ]);
  });
});

describe('a conversation longer than a local server reads', () => {
  const long = 'Explain this log:\n' + 'GET /api/items 200 12ms\n'.repeat(3_200);
  const readOnly = (inputTokens: number): Script =>
    async function* () {
      yield { type: 'text', text: 'It is a log of requests.' };
      yield { type: 'done', usage: usage(inputTokens, 6) };
    };

  it('says when the server read only part of it, cut by its context size', async () => {
    const [ollama] = parseProviders([
      { id: 'ollama', name: 'Ollama (local)', preset: 'ollama', chatModel: 'llama3.2:3b' },
    ]).providers;
    const { chat, events } = session(readOnly(4_096), undefined, { config: ollama });
    await chat.send(long, []);
    const notices = events.filter((event) => event.type === 'notice');
    assert.equal(notices.length, 1, JSON.stringify(notices));
    assert.match(
      (notices[0] as { text: string }).text,
      /^Ollama \(local\) read only 4,096 tokens of about 19,\d{3} this question sends: its context size cut the rest/,
    );
  });

  it('says what the client left out to fit the window, once, in place of the estimate', async () => {
    const [ollama] = parseProviders([
      { id: 'ollama', name: 'Ollama (local)', preset: 'ollama', chatModel: 'llama3.2:3b' },
    ]).providers;
    const fitted: Script = async function* (request) {
      request.onSent?.({ context: { window: 4_096, droppedMessages: 6, cutChars: 1_200 } });
      yield* readOnly(3_000)(request);
    };
    const { chat, events } = session(fitted, undefined, { config: ollama });
    await chat.send(long, []);
    const notices = events.flatMap((event) => (event.type === 'notice' ? [event.text] : []));
    assert.deepEqual(notices, [
      "Ollama (local) runs this model in a context of 4,096 tokens, too small for all of this question: the 6 oldest messages of this chat and the first 1,200 characters of this question did not go with it. Start a new chat, or raise the server's context length (Ollama: OLLAMA_CONTEXT_LENGTH, or the model's num_ctx).",
    ]);
    // The view's status line says the last word it hears: drawing the finished answer says
    // "Answer complete", so the notice must come after it, or nobody reads it.
    const types = events.map((event) => event.type);
    assert.ok(
      types.lastIndexOf('notice') > types.lastIndexOf('turn'),
      `the notice after the finished answer: ${types.join(', ')}`,
    );
  });

  it('says nothing when the server read it all, or for a hosted backend that reports its own count', async () => {
    const [ollama] = parseProviders([
      { id: 'ollama', name: 'Ollama (local)', preset: 'ollama', chatModel: 'llama3.2:3b' },
    ]).providers;
    const whole = session(readOnly(17_000), undefined, { config: ollama });
    await whole.chat.send(long, []);
    assert.deepEqual(
      whole.events.filter((event) => event.type === 'notice'),
      [],
    );
    const hosted = session(readOnly(4_096));
    await hosted.chat.send(long, []);
    assert.deepEqual(
      hosted.events.filter((event) => event.type === 'notice'),
      [],
    );
  });
});

describe('a conversation held on this machine, then a backend elsewhere', () => {
  const [ollama, deepseek] = parseProviders([
    { id: 'ollama', preset: 'ollama', name: 'Ollama' },
    { id: 'deepseek', preset: 'deepseek', name: 'DeepSeek' },
  ]).providers;
  assert.ok(ollama && deepseek);

  function switching() {
    const fake = provider(answers('ok'));
    let current: ProviderConfig = ollama!;
    let id = 0;
    const asked: { from: string[]; to: string; tokens: number }[] = [];
    let consent = false;
    const chat = new ChatSession({
      store: ChatHistoryStore.load(new MemoryStorage(), () => {}),
      backend: async () => ({ provider: fake, config: current }),
      backendOnThisMachine: (backendId) => {
        const known = [ollama!, deepseek!].find((entry) => entry.id === backendId);
        return known && onThisMachine(known);
      },
      confirmShare: async (share) => {
        asked.push(share);
        return consent;
      },
      record: () => undefined,
      now: () => 1_000,
      newId: () => `id-${++id}`,
      warn: () => {},
      emit: () => {},
    });
    return {
      chat,
      fake,
      asked,
      use: (config: ProviderConfig) => (current = config),
      consent: (value: boolean) => (consent = value),
    };
  }

  it('asks before the conversation so far goes off the machine; declined, nothing is sent and the question is not kept', async () => {
    const { chat, fake, asked, use, consent } = switching();
    await chat.send('My .env is DB_PASSWORD=hunter2; why does the login fail?', []);
    assert.equal(fake.requests.length, 1);
    use(deepseek!);
    assert.equal(await chat.send('Any other idea?', []), false, 'not sent');
    assert.equal(fake.requests.length, 1, 'DeepSeek received nothing');
    assert.equal(chat.active.turns.length, 2, 'the question is not added: it goes back to the input');
    assert.equal(asked.length, 1);
    assert.deepEqual(asked[0]!.from, ['Ollama']);
    assert.equal(asked[0]!.to, 'DeepSeek');
    assert.ok(asked[0]!.tokens > 10, 'says how much goes');

    consent(true);
    assert.equal(await chat.send('Any other idea?', []), true);
    assert.match(fake.requests[1]!.messages[0]!.content, /hunter2/, 'agreed, the conversation goes');
    await chat.send('Thanks. One more?', []);
    assert.equal(asked.length, 2, 'asked once for this conversation and backend');
  });

  it('regenerating on a backend elsewhere asks too; a conversation never held on this machine is never asked about', async () => {
    const { chat, fake, asked, use } = switching();
    await chat.send('local question', []);
    use(deepseek!);
    assert.equal(await chat.regenerate(), false);
    assert.equal(fake.requests.length, 1);
    assert.equal(asked.length, 1);

    chat.newChat();
    await chat.send('cloud question', []);
    await chat.send('another', []);
    assert.equal(asked.length, 1, 'nothing was held on this machine');
    assert.equal(fake.requests.length, 3);
  });

  it("holds each answer's worst case for the budgets from before it is sent until it is recorded, however it ends", async () => {
    const failing: Script = async function* () {
      yield { type: 'text', text: 'half' };
      throw new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Stream broke.' });
    };
    const unexpected: Script = async function* () {
      yield { type: 'text', text: 'half' };
      throw new TypeError('a bug in a client');
    };
    for (const [how, script] of [
      ['completed', answers('fine')],
      ['failed', failing],
      ['thrown', unexpected],
    ] as const) {
      const { chat, holds, records, fake } = session(script);
      await chat.send('Explain this', []);
      assert.equal(holds.length, 1, how);
      assert.equal(holds[0]!.promptText, fake.requests[0]!.messages.map((message) => message.content).join('\n'), how);
      assert.equal(holds[0]!.recordsHeld, 0, `${how}: held before anything was recorded`);
      assert.equal(holds[0]!.releases, 1, `${how}: released once`);
      assert.equal(holds[0]!.recordsReleased, records.length, `${how}: released after its record`);
      assert.equal(records.length, 1, how);
    }

    const stopped = session(untilStopped);
    const sending = stopped.chat.send('Explain this', []);
    await until(() => stopped.holds.length === 1 && stopped.chat.active.turns.at(-1)?.text === 'partial');
    assert.equal(stopped.holds[0]!.releases, 0, 'held while the answer streams');
    stopped.chat.stop();
    await sending;
    assert.equal(stopped.holds[0]!.releases, 1, 'stopped: released');

    const unrecorded = session(answers('fine'), undefined, { recordFails: true });
    await unrecorded.chat.send('Explain this', []);
    assert.equal(unrecorded.holds[0]!.releases, 1, 'released even when the ledger could not record it');
  });
});

describe('a chat request the provider sent again', () => {
  it('records the failed attempt as a request of its own, then the answer', async () => {
    const { chat, records } = session(async function* (request) {
      // As the retry policy tells it: a 500, then the attempt that answers.
      request.onRetry?.(
        new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Internal error', status: 500 }),
      );
      yield { type: 'text', text: 'Hello' };
      yield { type: 'done', usage: usage(100, 20) };
    });
    await chat.send('hi', []);
    assert.deepEqual(
      records.map((record) => [record.error?.kind ?? 'ok', record.error?.status, record.model]),
      [
        ['server', 500, 'deepseek-chat'],
        ['ok', undefined, 'deepseek-chat'],
      ],
    );
    assert.equal(lastAnswer(chat).text, 'Hello');
  });

  it('says the retried attempt under the answer, with what the ledger charged for it, and counts it in the session total', async () => {
    const { chat, records } = session(async function* (request) {
      request.onRetry?.(
        new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Internal error', status: 500 }),
      );
      yield { type: 'text', text: 'Hello' };
      yield { type: 'done', usage: usage(100, 20) };
    });
    await chat.send('What is a stream?', []);
    const attempt = records[0]!;
    // The failed attempt is estimated from its prompt, at 2 micro-dollars an input token.
    const attemptMicros = estimateTokens(attempt.promptText ?? '') * 2;
    assert.ok(attemptMicros > 0);
    assert.equal(
      usageShown(chat),
      `100 in · 20 out tokens · $0.0004 · +1 retried request, ${formatMoney(attemptMicros)}`,
    );
    assert.deepEqual(chat.totals.value, {
      requests: 2,
      inputTokens: 100 + estimateTokens(attempt.promptText ?? ''),
      outputTokens: 20,
      cost: { USD: 400 + attemptMicros },
      unpriced: 0,
    });
  });

  it('a failed answer whose retried attempts were billed still shows them', async () => {
    const { chat } = session(async function* (request) {
      request.onRetry?.(
        new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Internal error', status: 502 }),
      );
      request.onRetry?.(
        new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Internal error', status: 503 }),
      );
      // The last attempt is turned away before the model runs: it costs nothing.
      const refused = new ProviderError({ kind: 'rate-limited', providerId: 'deepseek', message: 'Slow', status: 429 });
      if (refused) throw refused;
      yield { type: 'text', text: 'never' };
    });
    await chat.send('What is a stream?', []);
    assert.equal(lastAnswer(chat).status, 'failed');
    assert.match(usageShown(chat) ?? '', / · \+2 retried requests, (< )?\$0\.\d+$/);
    assert.equal(chat.totals.value.requests, 3);
  });
});
