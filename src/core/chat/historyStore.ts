/**
 * Past conversations of one workspace, over a key-value storage (VS Code's workspaceState in the
 * extension). One key per conversation, so saving an answer rewrites that conversation only.
 * Bounded by count and by size; unreadable entries are skipped, never deleted, and reported once.
 */
import { titleOf, type Conversation } from './conversation';
import { readConversation, writeConversation } from './storedConversation';

/** The part of `vscode.Memento` this needs. */
export interface KeyValueStorage {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
  keys(): readonly string[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  turns: number;
}

export interface HistoryLimits {
  conversations: number;
  /** Characters of stored JSON over all conversations; the oldest go first past it. */
  totalChars: number;
}

/**
 * VS Code writes an extension's whole workspaceState as one value on every update, so the
 * history's size is paid on each save: a few MB at most (the open conversation may take it past
 * that, see `overLimit`).
 */
export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { conversations: 50, totalChars: 4_000_000 };

const PREFIX = 'switchboard.chat.conversation.';
const ACTIVE_KEY = 'switchboard.chat.active';

export class ChatHistoryStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly sizes = new Map<string, number>();
  /**
   * Conversations deleted in this window. Ids are never reused, so a save of one of these is a
   * late write (an answer that was streaming as it was deleted) and must not bring it back.
   */
  private readonly deleted = new Set<string>();
  private active: string | undefined;

  private constructor(
    private readonly storage: KeyValueStorage,
    private readonly limits: HistoryLimits,
  ) {}

  /** Reads and checks everything stored; `warn` is called at most once, when something was unreadable. */
  static load(
    storage: KeyValueStorage,
    warn: (message: string) => void,
    limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ): ChatHistoryStore {
    const store = new ChatHistoryStore(storage, limits);
    let skipped = 0;
    let droppedTurns = 0;
    for (const key of storage.keys()) {
      if (!key.startsWith(PREFIX)) continue;
      let raw: unknown;
      try {
        raw = storage.get(key);
      } catch {
        raw = undefined;
      }
      const read = readConversation(raw);
      if (!read.conversation || `${PREFIX}${read.conversation.id}` !== key) {
        skipped += 1;
        continue;
      }
      droppedTurns += read.droppedTurns;
      store.conversations.set(read.conversation.id, read.conversation);
      store.sizes.set(read.conversation.id, JSON.stringify(raw).length);
    }
    const active = storage.get(ACTIVE_KEY);
    if (typeof active === 'string' && store.conversations.has(active)) store.active = active;
    if (skipped || droppedTurns) {
      const parts = [
        skipped && `${skipped} stored conversation${skipped === 1 ? '' : 's'}`,
        droppedTurns && `${droppedTurns} message${droppedTurns === 1 ? '' : 's'}`,
      ].filter(Boolean);
      warn(
        `Chat history: ${parts.join(' and ')} could not be read and ${skipped + droppedTurns === 1 ? 'was' : 'were'} skipped; the stored data was left as it is.`,
      );
    }
    return store;
  }

  /** Newest first. */
  list(): ConversationSummary[] {
    return [...this.conversations.values()]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((conversation) => ({
        id: conversation.id,
        title: titleOf(conversation),
        updatedAt: conversation.updatedAt,
        turns: conversation.turns.length,
      }));
  }

  get(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  activeId(): string | undefined {
    return this.active;
  }

  async setActive(id: string | undefined): Promise<void> {
    this.active = id !== undefined && this.conversations.has(id) ? id : undefined;
    await this.storage.update(ACTIVE_KEY, this.active);
  }

  /**
   * Stores a conversation (an empty one is not worth a slot, a deleted one stays deleted) and drops
   * the oldest past the limits.
   */
  /** Returns the titles of the conversations dropped to make room, oldest first. */
  async save(conversation: Conversation): Promise<string[]> {
    if (conversation.turns.length === 0 || this.deleted.has(conversation.id)) return [];
    const value = writeConversation(conversation);
    this.conversations.set(conversation.id, conversation);
    this.sizes.set(conversation.id, JSON.stringify(value).length);
    const writes = [this.storage.update(`${PREFIX}${conversation.id}`, value)];
    const dropped: string[] = [];
    for (const id of this.overLimit(conversation.id)) {
      const old = this.conversations.get(id);
      if (old) dropped.push(titleOf(old));
      writes.push(this.remove(id));
    }
    await Promise.all(writes);
    return dropped;
  }

  /** The limits the history is kept within, in words: "50 conversations and 4 MB". */
  limitsText(): string {
    return `${this.limits.conversations} conversations and ${Math.round(this.limits.totalChars / 1_000_000)} MB`;
  }

  async delete(id: string): Promise<void> {
    this.deleted.add(id);
    if (!this.conversations.has(id)) return;
    await this.remove(id);
    if (this.active === id) await this.setActive(undefined);
  }

  /**
   * Oldest first, never the one just saved nor the active one. Those two take room from the others
   * down to half the size limit, never further: one conversation grown past the limit (a long chat
   * with files attached to each question) must not take the whole history with it.
   */
  private overLimit(keep: string): string[] {
    const oldest = [...this.conversations.values()].sort((a, b) => a.updatedAt - b.updatedAt);
    const spared = (id: string) => id === keep || id === this.active;
    let count = oldest.length;
    let others = 0;
    let sparedChars = 0;
    for (const [id, size] of this.sizes) {
      if (spared(id)) sparedChars += size;
      else others += size;
    }
    const room = Math.max(this.limits.totalChars - sparedChars, this.limits.totalChars / 2);
    const drop: string[] = [];
    for (const conversation of oldest) {
      if (count <= this.limits.conversations && others <= room) break;
      if (spared(conversation.id)) continue;
      drop.push(conversation.id);
      count -= 1;
      others -= this.sizes.get(conversation.id) ?? 0;
    }
    return drop;
  }

  private remove(id: string): PromiseLike<void> {
    this.conversations.delete(id);
    this.sizes.delete(id);
    return this.storage.update(`${PREFIX}${id}`, undefined);
  }
}
