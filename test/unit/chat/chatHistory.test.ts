import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Conversation } from '../../../src/core/chat/conversation';
import { ChatHistoryStore, type KeyValueStorage } from '../../../src/core/chat/historyStore';
import { writeConversation } from '../../../src/core/chat/storedConversation';

/** A Memento-like store that keeps values as JSON, as VS Code does. */
class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, string>();
  get(key: string): unknown {
    const value = this.data.get(key);
    return value === undefined ? undefined : JSON.parse(value);
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.stringify(value));
  }
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
}

const KEY = (id: string) => `switchboard.chat.conversation.${id}`;

function conversation(id: string, updatedAt: number, question = `question ${id}`): Conversation {
  return {
    id,
    createdAt: updatedAt,
    updatedAt,
    turns: [
      { role: 'user', id: `${id}-u`, text: question, prompt: question, context: [], at: updatedAt },
      {
        role: 'assistant',
        id: `${id}-a`,
        text: 'answer',
        status: 'complete',
        at: updatedAt,
        backendId: 'qwen',
        backendName: 'Qwen',
        model: 'qwen3-coder-plus',
        usage: { inputTokens: 10, outputTokens: 3, reported: true, costMicros: 12 },
      },
    ],
  };
}

function load(storage: KeyValueStorage, limits?: { conversations: number; totalChars: number }) {
  const warnings: string[] = [];
  const store = ChatHistoryStore.load(storage, (message) => warnings.push(message), limits);
  return { store, warnings };
}

describe('chat history store', () => {
  it('survives a restart: conversations, their usage and the active one read back as saved', async () => {
    const storage = new MemoryStorage();
    const first = load(storage).store;
    await first.save(conversation('a', 1_000));
    await first.save(conversation('b', 2_000, 'How do I\nparse JSON?'));
    await first.setActive('a');
    const { store, warnings } = load(storage);
    assert.deepEqual(warnings, []);
    assert.equal(store.activeId(), 'a');
    assert.deepEqual(store.get('b'), conversation('b', 2_000, 'How do I\nparse JSON?'));
    assert.deepEqual(
      store.list().map(({ id, title, turns }) => ({ id, title, turns })),
      [
        { id: 'b', title: 'How do I', turns: 2 },
        { id: 'a', title: 'question a', turns: 2 },
      ],
    );
  });

  it('keeps at most the configured number of conversations, dropping the oldest but never the active one', async () => {
    const storage = new MemoryStorage();
    const { store } = load(storage, { conversations: 3, totalChars: 1e9 });
    await store.save(conversation('oldest', 1));
    await store.setActive('oldest');
    for (let i = 2; i <= 5; i++) await store.save(conversation(`c${i}`, i));
    assert.deepEqual(
      store.list().map((summary) => summary.id),
      ['c5', 'c4', 'oldest'],
    );
    assert.equal(storage.get(KEY('c2')), undefined, 'a dropped conversation is removed from storage too');
    assert.equal(storage.keys().filter((key) => key.startsWith('switchboard.chat.conversation.')).length, 3);
  });

  it('keeps the total size bounded', async () => {
    const storage = new MemoryStorage();
    const size = JSON.stringify(writeConversation(conversation('x', 1))).length;
    const { store } = load(storage, { conversations: 50, totalChars: size * 2 + 10 });
    for (let i = 1; i <= 4; i++) await store.save(conversation(`s${i}`, i));
    assert.deepEqual(
      store.list().map((summary) => summary.id),
      ['s4', 's3'],
    );
  });

  it('does not store an empty conversation', async () => {
    const storage = new MemoryStorage();
    const { store } = load(storage);
    await store.save({ id: 'empty', createdAt: 1, updatedAt: 1, turns: [] });
    assert.deepEqual(store.list(), []);
    assert.equal(storage.data.size, 0);
  });

  it('skips malformed stored entries, keeps the rest, leaves the bad data untouched and warns once', async () => {
    const storage = new MemoryStorage();
    await storage.update(KEY('good'), writeConversation(conversation('good', 5)));
    await storage.update(KEY('garbage'), 'not a conversation');
    await storage.update(KEY('future'), { ...(writeConversation(conversation('future', 6)) as object), v: 99 });
    await storage.update(KEY('mismatch'), writeConversation(conversation('other-id', 7)));
    await storage.update(KEY('nulls'), null);
    const partly = writeConversation(conversation('partly', 8)) as { turns: unknown[] };
    partly.turns.push({ role: 'assistant', id: 'bad', text: 42 }, 'junk');
    await storage.update(KEY('partly'), partly);
    await storage.update('switchboard.chat.active', { not: 'a string' });
    await storage.update('some.other.key', 'ignored');

    const { store, warnings } = load(storage);
    assert.deepEqual(
      store.list().map((summary) => summary.id),
      ['partly', 'good'],
    );
    assert.equal(store.get('partly')?.turns.length, 2, 'the readable turns of a conversation are kept');
    assert.equal(store.activeId(), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /4 stored conversations and 2 messages could not be read/);
    assert.equal(storage.get(KEY('garbage')), 'not a conversation', 'unreadable data is not deleted');
  });

  it('reads an answer that was streaming when the window closed as stopped', () => {
    const storage = new MemoryStorage();
    const stored = conversation('s', 1);
    const answer = stored.turns[1]!;
    if (answer.role === 'assistant') answer.status = 'streaming';
    void storage.update(KEY('s'), writeConversation(stored));
    const turn = load(storage).store.get('s')?.turns[1];
    assert.equal(turn?.role === 'assistant' && turn.status, 'stopped');
  });

  it('reads a question saved with absolute paths in its context headings back with file names only', () => {
    // Saved before prompts stopped carrying absolute paths: these would go back to the backend as
    // history, naming the user and their disk.
    const file = 'File /home/alice/notes/todo.md:\n```markdown\n- call Bob\n```';
    const selection = 'Selection from C:\\Users\\alice\\app\\main.ts, lines 3-4:\n```ts\nconst a = 1;\n```';
    const question = 'Why does File /etc/hosts: matter here?';
    const stored = conversation('paths', 1);
    stored.turns[0] = {
      role: 'user',
      id: 'q',
      text: question,
      prompt: `${file}\n\n${selection}\n\n${question}`,
      context: [
        { kind: 'file', label: 'todo.md', tokens: 10, truncated: false },
        { kind: 'selection', label: 'main.ts:3-4', tokens: 8, truncated: false },
      ],
      contextChars: [file.length, selection.length],
      at: 1,
    };
    // Saved before block lengths were kept: a heading is known by the fence under it.
    const older = conversation('older', 1);
    older.turns[0] = {
      role: 'user',
      id: 'q',
      text: 'and this?',
      prompt: 'File /Users/bob/secret-project/a.py:\n```python\nx = 1\n```\n\nand this?',
      context: [{ kind: 'file', label: 'a.py', tokens: 5, truncated: false }],
      at: 1,
    };
    const storage = new MemoryStorage();
    void storage.update(KEY('paths'), writeConversation(stored));
    void storage.update(KEY('older'), writeConversation(older));
    const { store } = load(storage);

    const read = store.get('paths')?.turns[0];
    assert.ok(read?.role === 'user');
    const fileAfter = 'File todo.md:\n```markdown\n- call Bob\n```';
    const selectionAfter = 'Selection from main.ts, lines 3-4:\n```ts\nconst a = 1;\n```';
    // What the user typed is theirs: only the headings Switchboard wrote change.
    assert.equal(read.prompt, `${fileAfter}\n\n${selectionAfter}\n\n${question}`);
    assert.deepEqual(read.contextChars, [fileAfter.length, selectionAfter.length], 'the blocks still split');
    assert.equal(read.text, question);

    const readOlder = store.get('older')?.turns[0];
    assert.ok(readOlder?.role === 'user');
    assert.equal(readOlder.prompt, 'File a.py:\n```python\nx = 1\n```\n\nand this?');
  });

  it('never stores a deleted conversation again, whoever saves it later', async () => {
    const storage = new MemoryStorage();
    const { store } = load(storage);
    const deleted = conversation('gone', 1);
    await store.save(deleted);
    await store.setActive('gone');
    await store.delete('gone');
    // An answer that was still streaming saves its conversation when it ends.
    deleted.turns.push({ ...deleted.turns[1]!, id: 'late' });
    await store.save(deleted);
    await store.setActive('gone');
    assert.deepEqual(store.list(), []);
    assert.equal(store.get('gone'), undefined);
    assert.equal(store.activeId(), undefined);
    assert.deepEqual(load(storage).store.list(), [], 'not after a reload either');
  });

  it('reopens and deletes conversations', async () => {
    const storage = new MemoryStorage();
    const { store } = load(storage);
    await store.save(conversation('a', 1));
    await store.save(conversation('b', 2));
    await store.setActive('b');
    assert.equal(store.get('a')?.turns[0]?.role, 'user');
    await store.delete('b');
    assert.equal(store.activeId(), undefined, 'deleting the active conversation clears it');
    assert.deepEqual(
      store.list().map((summary) => summary.id),
      ['a'],
    );
    assert.equal(storage.get('switchboard.chat.active'), undefined);
    await store.setActive('does-not-exist');
    assert.equal(store.activeId(), undefined);
  });
});
