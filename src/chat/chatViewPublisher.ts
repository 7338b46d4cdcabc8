import type { ChatBackendChoice } from './chatBackendChoice';
import type { EditorContextSource } from './editorContextSource';
import type { ChatSession, SessionEvent } from '../core/chat/chatSession';
import type { Turn } from '../core/chat/conversation';
import type { ChatHistoryStore } from '../core/chat/historyStore';
import { turnView, type Alternative } from '../core/chat/turnViews';
import { addUsage, totalsLine, type Totals } from '../core/chat/usageText';
import type { HostToWebview } from '../protocol/chatProtocol';

/** Prices need the provider runtime; the view shows first and loads it this much later. */
const PRICE_DELAY_MS = 1_500;

/**
 * Turns the chat's state into messages for the webview: the whole picture when the view (re)loads,
 * then each change as it happens. The words and figures are decided here and in core, never in
 * the page.
 */
export class ChatViewPublisher {
  private pricesReady = false;
  private priceTimer: NodeJS.Timeout | undefined;
  /**
   * Turns still on their way to the view (each waits for its alternatives). A notice goes after
   * them: drawing a turn announces it, and the notice is the last word in the status line.
   */
  private drawing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly session: ChatSession,
    private readonly store: ChatHistoryStore,
    private readonly context: EditorContextSource,
    private readonly choice: ChatBackendChoice,
    private readonly post: (message: HostToWebview) => void,
  ) {}

  onSessionEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'conversation':
        void this.conversation();
        this.controls();
        this.totals();
        this.contextChips();
        return;
      case 'turn':
        this.drawing = Promise.allSettled([this.drawing, this.turn(event.turn)]);
        return;
      case 'turn-removed':
        this.post({ type: 'turnRemoved', id: event.id });
        return;
      case 'delta':
        this.post({ type: 'delta', turnId: event.turnId, text: event.text });
        return;
      case 'thinking':
        this.post({ type: 'thinking', turnId: event.turnId });
        return;
      case 'busy':
        this.controls();
        // An answer that ended is part of what the next question carries.
        if (!event.busy) this.contextChips();
        return;
      case 'history':
        this.history();
        return;
      case 'totals':
        this.totals();
        return;
      case 'notice': {
        const text = event.text;
        void this.drawing.then(() => this.post({ type: 'notice', text }));
        return;
      }
    }
  }

  /** Everything, for a webview that has just (re)loaded. */
  async all(): Promise<void> {
    this.contextChips();
    this.history();
    this.totals();
    this.controls();
    await Promise.all([this.conversation(), this.backends()]);
  }

  contextChips(): void {
    const { revision, chips, totalText } = this.context.tracker.snapshot(this.session.active.turns);
    this.post({ type: 'context', revision, chips, total: totalText });
  }

  async backends(): Promise<void> {
    if (!this.pricesReady && !this.priceTimer) {
      this.priceTimer = setTimeout(() => {
        this.pricesReady = true;
        void this.backends();
      }, PRICE_DELAY_MS);
    }
    this.post({ type: 'backends', ...(await this.choice.options(this.pricesReady)) });
  }

  /** Alternatives are worked out only for a failed last answer, the one place they are offered. */
  private async alternativesFor(turn: Turn | undefined): Promise<Alternative[]> {
    if (turn?.role !== 'assistant' || turn.status !== 'failed' || this.session.busy) return [];
    return this.choice.alternatives(turn.backendId ?? turn.error?.providerId);
  }

  private async conversation(): Promise<void> {
    const turns = this.session.active.turns;
    const alternatives = await this.alternativesFor(turns[turns.length - 1]);
    // Built after the wait, so anything that happened meanwhile is in it.
    const conversation = this.session.active;
    const now = Date.now();
    const last = conversation.turns.length - 1;
    const busy = this.session.busy;
    const streamingTurnId = this.session.streamingTurnId;
    this.post({
      type: 'conversation',
      id: conversation.id,
      turns: conversation.turns.map((turn, i) =>
        turnView(turn, { now, actionable: i === last && !busy, alternatives }),
      ),
      ...(streamingTurnId && { streamingTurnId }),
    });
  }

  private async turn(turn: Turn): Promise<void> {
    const alternatives = await this.alternativesFor(turn);
    const turns = this.session.active.turns;
    // A conversation opened meanwhile: this turn is no longer on screen.
    if (!turns.includes(turn)) return;
    const actionable = turns[turns.length - 1] === turn && !this.session.busy;
    this.post({ type: 'turn', turn: turnView(turn, { now: Date.now(), actionable, alternatives }) });
    this.controls();
  }

  private controls(): void {
    const turns = this.session.active.turns;
    const last = turns[turns.length - 1];
    const busy = this.session.busy;
    const canRegenerate = !busy && (last?.role === 'user' || (last?.role === 'assistant' && turns.length >= 2));
    this.post({ type: 'controls', busy, canRegenerate });
  }

  private history(): void {
    this.post({ type: 'history', items: this.store.list(), activeId: this.session.active.id });
  }

  private totals(): void {
    let conversation: Totals = { requests: 0, inputTokens: 0, outputTokens: 0, cost: {}, unpriced: 0 };
    for (const turn of this.session.active.turns) {
      if (turn.role === 'assistant' && turn.usage) conversation = addUsage(conversation, turn.usage);
    }
    this.post({
      type: 'totals',
      session: totalsLine(this.session.totals.value),
      conversation: totalsLine(conversation),
    });
  }

  dispose(): void {
    clearTimeout(this.priceTimer);
  }
}
