/**
 * The conversation log: one section per turn, answers rendered as markdown while they stream.
 * The host decides every word (usage lines, error explanations, action labels); this draws them.
 */
import type { ActionView, ErrorView, TurnView } from '../../core/chat/turnViews';
import type { WebviewToHost } from '../../protocol/chatProtocol';
import { renderAnswer, type AnswerRender, type RenderHooks } from './answerRenderer';
import { button, el, shortCount } from './dom';

type AssistantView = Extract<TurnView, { role: 'assistant' }>;

interface Drawn {
  section: HTMLElement;
  body: HTMLElement;
  render?: AnswerRender;
  /** "Thinking…", while the model reasons and no text has come yet. */
  thinking?: HTMLElement;
}

/** Near the bottom, new text keeps the log scrolled; further up, the reader is left in peace. */
const STICKY_PX = 48;

const STATUS_NOTES: Partial<Record<AssistantView['status'], string>> = {
  stopped: 'Stopped. This partial answer stays here but is not sent back to the model.',
  // Shown only over text the failure cut off: the error alone does not say the text is incomplete.
  failed: 'Cut off. This partial answer stays here but is not sent back to the model.',
};

export class ConversationView {
  private readonly turns = new Map<string, Drawn>();

  constructor(
    private readonly log: HTMLElement,
    private readonly hooks: RenderHooks,
    private readonly post: (message: WebviewToHost) => void,
    private readonly announce: (text: string) => void,
  ) {}

  /** Draws a whole conversation afresh; `streamingTurnId` goes on receiving deltas. */
  show(turns: readonly TurnView[], streamingTurnId: string | undefined): void {
    // The status line's last words ("Answer complete" and its cost) were about the conversation
    // this one replaces (a new chat, another opened, the open one deleted).
    if (this.turns.size > 0) this.announce('');
    this.log.replaceChildren();
    this.turns.clear();
    for (const turn of turns) this.draw(turn, { live: false, streaming: turn.id === streamingTurnId });
    this.log.setAttribute('aria-busy', String(streamingTurnId !== undefined));
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** A turn added, or an answer that finished, stopped or failed. */
  upsert(turn: TurnView): void {
    const existing = this.turns.get(turn.id);
    if (!existing) {
      // Retry and switch act on the last answer: older answers lose their buttons.
      for (const actions of this.log.querySelectorAll('.error-actions')) actions.remove();
      this.draw(turn, { live: true, streaming: turn.role === 'assistant' && turn.status === 'streaming' });
      this.scrollToEnd();
      return;
    }
    if (turn.role !== 'assistant') return;
    this.finishAnswer(existing, turn);
  }

  remove(id: string): void {
    this.turns.get(id)?.section.remove();
    this.turns.delete(id);
  }

  /** The streaming answer's model reasons first: say so until its first text. */
  thinking(turnId: string): void {
    const drawn = this.turns.get(turnId);
    if (!drawn?.render || drawn.render.finished || drawn.render.text !== '' || drawn.thinking) return;
    drawn.thinking = el('div', 'turn-thinking meta', 'Thinking…');
    drawn.body.before(drawn.thinking);
    this.announce('Thinking…');
  }

  private doneThinking(drawn: Drawn): void {
    drawn.thinking?.remove();
    drawn.thinking = undefined;
  }

  delta(turnId: string, text: string): void {
    const drawn = this.turns.get(turnId);
    if (!drawn?.render || drawn.render.finished) return;
    this.doneThinking(drawn);
    const sticky = this.nearBottom();
    drawn.render.append(text);
    if (sticky) this.scrollToEnd();
  }

  private draw(turn: TurnView, options: { live: boolean; streaming: boolean }): void {
    const section = el('section', `turn ${turn.role}`);
    section.dataset.turnId = turn.id;
    const body = el('div', 'body');
    if (turn.role === 'user') {
      section.setAttribute('aria-label', 'You asked');
      body.textContent = turn.text;
      section.append(body);
      if (turn.context.length) {
        const list = el('ul', 'turn-context');
        list.setAttribute('aria-label', 'Context sent with this question');
        for (const ref of turn.context) {
          list.append(
            el(
              'li',
              'turn-context-item',
              `${ref.label} · ${shortCount(ref.tokens)} tokens${ref.truncated ? ' · truncated' : ''}`,
            ),
          );
        }
        section.append(list);
      }
      this.log.append(section);
      this.turns.set(turn.id, { section, body });
      return;
    }
    section.setAttribute('aria-label', 'Answer');
    const heading = el('div', 'turn-source meta', turn.source ?? '');
    section.append(heading, body);
    this.log.append(section);
    const drawn: Drawn = { section, body };
    this.turns.set(turn.id, drawn);
    if (options.streaming) {
      section.dataset.status = 'streaming';
      section.setAttribute('aria-busy', 'true');
      drawn.render = renderAnswer(body, this.hooks, turn.text, true);
      this.log.setAttribute('aria-busy', 'true');
      if (options.live) this.announce('Answering…');
      return;
    }
    this.finishAnswer(drawn, turn, options.live);
  }

  private finishAnswer(drawn: Drawn, turn: AssistantView, live = true): void {
    const { section } = drawn;
    if (turn.status === 'streaming') return;
    this.doneThinking(drawn);
    const sticky = this.nearBottom();
    section.dataset.status = turn.status;
    section.removeAttribute('aria-busy');
    this.log.setAttribute('aria-busy', 'false');
    const source = section.querySelector('.turn-source');
    if (source && turn.source) source.textContent = turn.source;
    drawn.render?.finish();
    // The host's text is the answer; redraw if what streamed here differs (a missed delta).
    if (!drawn.render || drawn.render.text !== turn.text) {
      // A fresh element, so the renderer's listeners are never attached twice.
      const body = el('div', 'body');
      drawn.body.replaceWith(body);
      drawn.body = body;
      drawn.render = renderAnswer(body, this.hooks, turn.text, false);
    }
    for (const old of section.querySelectorAll('.status-note, .error, .usage')) old.remove();
    const note = turn.status === 'failed' && turn.text === '' ? undefined : STATUS_NOTES[turn.status];
    if (note) section.append(el('p', 'status-note', note));
    if (turn.error) section.append(this.errorBlock(turn.error, live));
    if (turn.usage) section.append(el('div', 'usage meta', turn.usage));
    if (live) {
      this.announce(
        turn.status === 'complete'
          ? `Answer complete${turn.usage ? `: ${turn.usage}` : ''}.`
          : turn.status === 'stopped'
            ? 'Stopped.'
            : `The request failed. ${turn.error?.headline ?? ''}`,
      );
    }
    if (sticky) this.scrollToEnd();
  }

  private errorBlock(error: ErrorView, live: boolean): HTMLElement {
    const block = el('div', 'error');
    // Announced when it happens, not when an old conversation is reopened.
    if (live) block.setAttribute('role', 'alert');
    block.append(el('p', 'error-headline', error.headline), el('p', 'error-detail', error.detail));
    if (error.resets) block.append(el('p', 'error-resets', error.resets));
    if (error.backendMessage) block.append(el('p', 'error-backend meta', error.backendMessage));
    if (error.actions.length) {
      const actions = el('div', 'error-actions');
      for (const action of error.actions) actions.append(this.actionButton(action));
      block.append(actions);
    }
    return block;
  }

  private actionButton(action: ActionView): HTMLButtonElement {
    switch (action.kind) {
      case 'retry': {
        const retry = button('action-retry', action.label);
        retry.addEventListener('click', () => this.post({ type: 'regenerate' }));
        return retry;
      }
      case 'switch': {
        const change = button('action-switch', action.label);
        change.dataset.provider = action.providerId;
        change.addEventListener('click', () => this.post({ type: 'switchAndRetry', providerId: action.providerId }));
        return change;
      }
      case 'pick': {
        const pick = button('action-switch action-pick secondary', action.label);
        pick.addEventListener('click', () => this.post({ type: 'pickBackend' }));
        return pick;
      }
      case 'add': {
        const add = button('action-add', action.label);
        add.addEventListener('click', () => this.post({ type: 'addBackend' }));
        return add;
      }
      case 'set-key': {
        const key = button('action-set-key', action.label);
        key.dataset.provider = action.providerId;
        key.addEventListener('click', () => this.post({ type: 'setKey', providerId: action.providerId }));
        return key;
      }
      case 'new-chat': {
        const fresh = button('action-new-chat secondary', action.label);
        fresh.addEventListener('click', () => this.post({ type: 'newChat' }));
        return fresh;
      }
    }
  }

  private nearBottom(): boolean {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < STICKY_PX;
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
