/**
 * Follows completion suggestions from answer to document: which request each one came from, when
 * it was offered, taken whole or in part, and whether the text was still there some seconds
 * later. Emits the ledger's completion events; knows nothing of VS Code.
 *
 * VS Code 1.100–1.104 tells a stable extension only of a whole accept (the item's command).
 * "Shown" and partial accepts are proposed API (`inlineCompletionsAdditions`), which registration
 * refuses without the proposal, so both are inferred here: an item handed to the editor counts as
 * shown once per suggestion (however many keystrokes it is served along), and a single edit that
 * inserts the start of the visible suggestion at the cursor is a word or line accept.
 */
import type { Clock } from '../clock';
import { toLf } from '../completion/whitespace';
import type { AcceptedHow, CompletionEvent } from './completionEvent';

export type TrackedEvent = Omit<CompletionEvent, 'id' | 'time'>;

export interface TrackerDependencies {
  clock: Clock;
  emit: (event: TrackedEvent) => void;
  /** The document's current text, or undefined once it is closed. */
  documentText: (documentId: string) => string | undefined;
  /** How long after an accept the text is looked for. */
  keepAfterMs?: number;
}

/** Where a suggestion came from: the request record and what it recorded. */
export interface Origin {
  backend: string;
  model: string;
  request?: string;
}

interface Answer extends Origin {
  text: string;
  /**
   * Still streaming: its request is not recorded yet, so events of suggestions made of it wait
   * here until it settles and names its record.
   */
  held?: (() => void)[];
}

/** An answer being streamed, as its caller updates it. */
export interface AnswerInProgress {
  /** The text received so far. */
  text(textSoFar: string): void;
  /** The answer ended (or failed): its record, and its whole text. */
  settle(origin: Origin, text: string): void;
}

interface Tracked {
  /** Identifies the suggestion in the item's command arguments. */
  token: number;
  key: string;
  /** The answer it was made of (its request may still be unknown while it streams), or the fallback. */
  origin: Answer | Origin;
  documentId: string;
  /** The cursor the latest offer was made at, and the text it offered from there. */
  offset: number;
  text: string;
  /** Whether its `shown` event was written: a second candidate is only once the user cycles to and takes it. */
  shown: boolean;
  accepted: boolean;
}

export const KEEP_AFTER_MS = 30_000;
const ANSWERS = 32;
const SUGGESTIONS = 64;
/** How far from where it went accepted text is looked for: edits above it shift it a little. */
const NEAR_CHARS = 2_000;
/** An editor's own two-key insertions (an auto-closed pair, Enter with indentation) are not accepts. */
const EDITOR_INSERTION = /^(\s*|[([{'"`][)\]}'"`])$/;

export class SuggestionTracker {
  private readonly answers: Answer[] = [];
  private readonly suggestions: Tracked[] = [];
  private visible: Tracked | undefined;
  private nextToken = 1;
  private readonly timers = new Set<unknown>();
  private readonly keepAfterMs: number;

  constructor(private readonly deps: TrackerDependencies) {
    this.keepAfterMs = deps.keepAfterMs ?? KEEP_AFTER_MS;
  }

  /** A backend answered: later suggestions made of this text are linked to its request. */
  answered(origin: Origin, text: string): void {
    if (!text) return;
    this.answers.unshift({ ...origin, text });
    this.answers.length = Math.min(this.answers.length, ANSWERS);
  }

  /**
   * A backend began a streamed answer, whose first lines may be offered before it ends. They link
   * to it like any answer's; what they emit before it settles is written once it has, with its
   * request record, so no event names another request or none.
   */
  answering(origin: Origin): AnswerInProgress {
    const answer: Answer = { ...origin, text: '', held: [] };
    this.answers.unshift(answer);
    this.answers.length = Math.min(this.answers.length, ANSWERS);
    return {
      text: (textSoFar) => {
        answer.text = textSoFar;
      },
      settle: (final, text) => {
        Object.assign(answer, { backend: final.backend, model: final.model, request: final.request, text });
        const held = answer.held ?? [];
        delete answer.held;
        for (const write of held) write();
      },
    };
  }

  /**
   * A suggestion was handed to the editor at `offset`. Returns its token for the accept command.
   * The same suggestion served again as the user types along it is one suggestion, shown once.
   * `shown` is false for the candidates behind the first, which the editor shows only when the
   * user cycles to them. `crlf`: the document's line breaks are \r\n, two characters of it for each
   * \n of `text`.
   */
  offered(documentId: string, offset: number, text: string, fallback: Origin, shown = true, crlf = false): number {
    const origin = this.originOf(text, fallback);
    // Typing along a suggestion moves the cursor and shortens the text; where it ends, and how,
    // stay put. The same text there from another request (a manual trigger after an automatic
    // one) is the same suggestion to the user.
    const end = offset + text.length + (crlf ? text.split('\n').length - 1 : 0);
    const key = `${origin.backend}\u0000${documentId}\u0000${end}`;
    let tracked = this.suggestions.find(
      (entry) => entry.key === key && (entry.text.endsWith(text) || text.endsWith(entry.text)),
    );
    if (tracked) Object.assign(tracked, { offset, text });
    else {
      tracked = { token: this.nextToken++, key, origin, documentId, offset, text, shown: false, accepted: false };
      this.suggestions.unshift(tracked);
      this.suggestions.length = Math.min(this.suggestions.length, SUGGESTIONS);
    }
    if (shown) {
      this.show(tracked);
      this.visible = tracked;
    }
    return tracked.token;
  }

  /** The editor accepted a suggestion whole (its command ran). */
  acceptedWhole(token: unknown): void {
    const tracked = this.suggestions.find((entry) => entry.token === token);
    if (tracked) this.accept(tracked, 'whole', tracked.offset, tracked.text);
  }

  /**
   * One edit of a document: when it inserts, at the cursor of the visible suggestion, the start
   * of that suggestion (more than one key's worth, short of all of it), a word or a line of it
   * was accepted. The editor may write the accepted part over the word typed before the cursor
   * (the item's range), so an edit that ends at the cursor counts from there. A key typed along
   * the suggestion, or whitespace the editor inserts on its own, moves the suggestion on without
   * an accept.
   */
  edited(documentId: string, offset: number, removed: number, inserted: string): void {
    const visible = this.visible;
    if (!visible || visible.documentId !== documentId || offset + removed !== visible.offset) return;
    if (inserted.length <= removed) return;
    const added = inserted.slice(removed);
    // The suggestion's line breaks are \n; the editor writes them as the document's (\r\n on Windows).
    const text = toLf(added);
    if (text.length >= visible.text.length || !visible.text.startsWith(text)) return;
    if (text.length >= 2 && !EDITOR_INSERTION.test(text)) {
      const how: AcceptedHow = text.includes('\n') || visible.text[text.length] === '\n' ? 'line' : 'word';
      this.accept(visible, how, visible.offset, text);
    }
    // What is left is still the same suggestion, now further along.
    visible.offset += added.length;
    visible.text = visible.text.slice(text.length);
  }

  dispose(): void {
    for (const timer of this.timers) this.deps.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private show(tracked: Tracked): void {
    if (tracked.shown) return;
    tracked.shown = true;
    const chars = tracked.text.length;
    this.emitFor(tracked, () => ({ kind: 'shown', chars }));
  }

  /** Emits an event of this suggestion now, or once its streamed answer has settled. */
  private emitFor(tracked: Tracked, event: () => Omit<TrackedEvent, keyof Origin>): void {
    const write = () => {
      const { backend, model, request } = tracked.origin;
      this.deps.emit({ ...event(), backend, model, ...(request !== undefined && { request }) } as TrackedEvent);
    };
    const held = 'held' in tracked.origin ? tracked.origin.held : undefined;
    if (held) held.push(write);
    else write();
  }

  private accept(tracked: Tracked, how: AcceptedHow, offset: number, text: string): void {
    // Taking the rest after a word is the same suggestion: one accept, and one check of what stayed.
    if (tracked.accepted) return;
    tracked.accepted = true;
    this.show(tracked);
    this.emitFor(tracked, () => ({ kind: 'accepted', how, chars: text.length }));
    const timer = this.deps.clock.setTimeout(() => {
      this.timers.delete(timer);
      const now = this.deps.documentText(tracked.documentId);
      // A closed document cannot be checked: no figure rather than a guess.
      if (now === undefined) return;
      const kept = stillPresent(now, offset, text);
      this.emitFor(tracked, () => ({ kind: kept ? 'kept' : 'removed', chars: text.length }));
    }, this.keepAfterMs);
    this.timers.add(timer);
  }

  /** The newest answer this text is part of; else the backend's newest answer; else the fallback. */
  private originOf(text: string, fallback: Origin): Answer | Origin {
    const line = text
      .split('\n')
      .find((part) => part.trim())
      ?.trim();
    const ofBackend = this.answers.filter((answer) => answer.backend === fallback.backend);
    const answer = (line && ofBackend.find((entry) => entry.text.includes(line))) ?? ofBackend[0];
    // A settled answer is copied (its entry may be reused); one still streaming is kept by reference to learn its record.
    if (!answer) return fallback;
    return answer.held ? answer : { backend: answer.backend, model: answer.model, request: answer.request };
  }
}

/**
 * Whether `text` (its visible part) is still in `document` near `offset`. Line endings are set
 * aside: the editor wrote the suggestion's \n as the document's own (\r\n on Windows).
 */
export function stillPresent(document: string, offset: number, text: string): boolean {
  const wanted = toLf(text).trim();
  if (!wanted) return true;
  const from = Math.max(0, offset - NEAR_CHARS);
  return toLf(document.slice(from, offset + text.length + NEAR_CHARS)).includes(wanted);
}
