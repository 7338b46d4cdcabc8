/**
 * Which context goes with the next question. The editor supplies defaults (selection, current
 * file), the user adds files and removes chips; every change is a new revision, and a question
 * is sent with the items of the revision its chips showed, so what is sent is what was shown.
 */
import { chipOf, type ContextChip, type ContextItem } from './contextItems';
import type { Turn } from './conversation';
import { nextRequestSize } from './nextRequest';

/** A send can race a chip update; this many recent revisions are kept to answer it exactly. */
const KEPT_REVISIONS = 16;
/** Picked files a question may carry. */
export const MAX_PICKED = 20;

export interface ContextSnapshot {
  revision: number;
  chips: ContextChip[];
  /** What a question sent now carries, the conversation so far included (see nextRequest.ts). */
  totalTokens: number;
  totalText: string;
}

export class ContextTracker {
  private defaults: ContextItem[] = [];
  private picked: ContextItem[] = [];
  /** Keys of defaults the user removed; forgotten once the editor stops offering them. */
  private dismissed = new Set<string>();
  private revision = 0;
  private readonly revisions = new Map<number, ContextItem[]>();

  constructor() {
    this.revisions.set(0, []);
  }

  /** What the editor offers now: the selection and the current file. */
  setDefaults(items: readonly ContextItem[]): void {
    const keys = new Set(items.map((item) => item.key));
    this.dismissed = new Set([...this.dismissed].filter((key) => keys.has(key)));
    this.defaults = [...items];
    this.bump();
  }

  /** Files the user picked; one already shown is not added twice. */
  add(items: readonly ContextItem[]): void {
    for (const item of items) {
      if (this.picked.length >= MAX_PICKED) break;
      if (this.picked.some((existing) => existing.key === item.key)) continue;
      this.picked.push(item);
      this.dismissed.delete(item.key);
    }
    this.bump();
  }

  remove(id: string): boolean {
    const item = this.items().find((candidate) => candidate.id === id);
    if (!item) return false;
    this.picked = this.picked.filter((candidate) => candidate.key !== item.key);
    if (this.defaults.some((candidate) => candidate.key === item.key)) this.dismissed.add(item.key);
    this.bump();
    return true;
  }

  /** After a question is sent, picked files go; the editor's defaults stay. */
  clearPicked(): void {
    if (this.picked.length === 0) return;
    this.picked = [];
    this.bump();
  }

  /** The items shown now, in chip order. */
  items(): ContextItem[] {
    const shown = this.defaults.filter((item) => !this.dismissed.has(item.key));
    const keys = new Set(shown.map((item) => item.key));
    return [...shown, ...this.picked.filter((item) => !keys.has(item.key))];
  }

  /** The chips, and the size of a question sent with them in the conversation `turns`. */
  snapshot(turns: readonly Turn[] = []): ContextSnapshot {
    const items = this.items();
    return { revision: this.revision, chips: items.map(chipOf), ...nextRequestSize(turns, items) };
  }

  /**
   * The items a question was sent with: those of `revision` whose ids the webview still showed.
   * Undefined when that revision is too old to know, or an id is not in it.
   */
  itemsFor(revision: number, ids: readonly string[]): ContextItem[] | undefined {
    const items = this.revisions.get(revision);
    if (!items) return undefined;
    const picked: ContextItem[] = [];
    for (const id of ids) {
      const item = items.find((candidate) => candidate.id === id);
      if (!item) return undefined;
      if (!picked.includes(item)) picked.push(item);
    }
    return picked;
  }

  private bump(): void {
    this.revision += 1;
    this.revisions.set(this.revision, this.items());
    this.revisions.delete(this.revision - KEPT_REVISIONS);
  }
}
