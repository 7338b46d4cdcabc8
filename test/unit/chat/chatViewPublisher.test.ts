import assert from 'node:assert/strict';
import { MemoryStorage } from '../../harness/memoryStorage';
import { describe, it } from 'node:test';
import type { ChatBackendChoice } from '../../../src/chat/chatBackendChoice';
import type { EditorContextSource } from '../../../src/chat/editorContextSource';
import { ChatViewPublisher } from '../../../src/chat/chatViewPublisher';
import { ChatSession } from '../../../src/core/chat/chatSession';
import { contextItem } from '../../../src/core/chat/contextItems';
import { ContextTracker } from '../../../src/core/chat/contextTracker';
import { ChatHistoryStore } from '../../../src/core/chat/historyStore';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { ChatEvent, ChatRequest, Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import type { HostToWebview } from '../../../src/protocol/chatProtocol';

const [config] = parseProviders([{ id: 'deepseek', preset: 'deepseek', chatModel: 'deepseek-chat' }]).providers;
assert.ok(config);

/** The chat as the view sees it: a session whose events go through the publisher to `posted`. */
function view(chat: (request: ChatRequest, call: number) => AsyncGenerator<ChatEvent>) {
  let calls = 0;
  const provider: Provider = {
    id: 'deepseek',
    chat: (request) => chat(request, ++calls),
    fim: () => Promise.reject(new Error('unused')),
    listModels: () => Promise.resolve([]),
    probe: () => Promise.resolve({ ok: true, latencyMs: 0 }),
  };
  const posted: HostToWebview[] = [];
  const store = ChatHistoryStore.load(new MemoryStorage(), () => {});
  let id = 0;
  // The session is made first and emits to the publisher, as in ChatViewProvider.start.
  const emitTo: { publisher?: ChatViewPublisher } = {};
  const session = new ChatSession({
    store,
    backend: async () => ({ provider, config: config! }),
    record: () => undefined,
    now: () => Date.now(),
    newId: () => `id-${++id}`,
    warn: () => {},
    emit: (event) => emitTo.publisher?.onSessionEvent(event),
  });
  const tracker = new ContextTracker();
  const context = { tracker } as unknown as EditorContextSource;
  const choice = {
    options: async () => ({ options: [] }),
    alternatives: async () => [],
  } as unknown as ChatBackendChoice;
  emitTo.publisher = new ChatViewPublisher(session, store, context, choice, (message) => posted.push(message));
  return { session, posted, tracker };
}

/** Lets the publisher's pending messages go out. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('chat view publisher', () => {
  it('once an answer ends, the context line counts the conversation the next question will carry', async () => {
    const { session, posted, tracker } = view(async function* () {
      yield { type: 'text', text: 'It adds one to each value. '.repeat(20) };
      yield {
        type: 'done',
        usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
      };
    });
    tracker.setDefaults([
      contextItem('ctx-1', 'file:a', { kind: 'file', path: 'src/a.ts', language: 'ts', text: 'x = x + 1;\n' }),
    ]);
    await session.send('What does this do?', []);
    await settled();
    const context = posted.filter((message) => message.type === 'context').at(-1);
    assert.ok(context?.type === 'context');
    assert.equal(context.total, tracker.snapshot(session.active.turns).totalText);
    assert.match(context.total, /^≈ [\d,]+ tokens: \d+ attached, [\d,]+ earlier in this chat$/);
  });

  it('a failed regenerate shows the earlier answer again, then says in the status line that it was kept', async () => {
    const { session, posted } = view(async function* (_request, call) {
      if (call === 2) throw new ProviderError({ kind: 'timeout', providerId: 'deepseek', message: 'No answer.' });
      yield { type: 'text', text: 'The good answer.' };
      yield {
        type: 'done',
        usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
      };
    });
    await session.send('q', []);
    await settled();
    const earlier = session.active.turns[1]!;
    posted.length = 0;
    await session.regenerate();
    await settled();
    const seen = posted
      .filter((message) => message.type === 'turn' || message.type === 'turnRemoved' || message.type === 'notice')
      .map((message) =>
        message.type === 'turn'
          ? `turn ${message.turn.id} ${message.turn.role === 'assistant' ? message.turn.status : ''}`
          : message.type === 'turnRemoved'
            ? `removed ${message.id}`
            : `notice ${message.text}`,
      );
    const attempt = seen.find((line) => line.startsWith('removed ') && line !== `removed ${earlier.id}`);
    assert.ok(attempt, 'the failed attempt is taken off the screen');
    assert.equal(seen[0], `removed ${earlier.id}`);
    assert.deepEqual(seen.slice(-3), [
      attempt,
      `turn ${earlier.id} complete`,
      'notice Regenerating failed: deepseek took too long to answer. The earlier answer is kept.',
    ]);
  });
});
