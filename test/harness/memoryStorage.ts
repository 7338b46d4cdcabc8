import type { KeyValueStorage } from '../../src/core/chat/historyStore';

/** VS Code's workspaceState in memory: values are copied in and out, as a real Memento would. */
export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, unknown>();
  get(key: string): unknown {
    return structuredClone(this.data.get(key));
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, structuredClone(value));
  }
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
}
