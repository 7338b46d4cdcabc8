/**
 * The input and its buttons. Enter sends, Shift+Enter is a new line, Escape stops an answer
 * (from anywhere in the view). The draft survives the view being hidden and shown again.
 */
import { MAX_MESSAGE_CHARS } from '../../core/chat/messageLimits';
import type { WebviewToHost } from '../../protocol/chatProtocol';

export interface ComposerElements {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  stop: HTMLButtonElement;
  regenerate: HTMLButtonElement;
}

export class Composer {
  private busy = false;

  constructor(
    private readonly elements: ComposerElements,
    private readonly post: (message: WebviewToHost) => void,
    private readonly context: () => { revision: number; ids: string[] },
    private readonly announce: (text: string) => void,
    private readonly saveDraft: (text: string) => void,
  ) {
    const { form, input, stop, regenerate } = elements;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.send();
      }
    });
    input.addEventListener('input', () => saveDraft(input.value));
    stop.addEventListener('click', () => this.stop());
    regenerate.addEventListener('click', () => post({ type: 'regenerate' }));
    // The page is served with both off: keys typed before this script listened would have added a
    // line instead of sending, and Send would have submitted the form.
    input.disabled = false;
    elements.send.disabled = false;
  }

  /** Escape anywhere in the view. */
  stop(): boolean {
    if (!this.busy) return false;
    this.post({ type: 'stop' });
    return true;
  }

  setControls(busy: boolean, canRegenerate: boolean): void {
    this.busy = busy;
    const { stop, regenerate, input } = this.elements;
    // A disabled button drops focus to the page; keep it in the input instead.
    const focusLost =
      (stop.disabled !== !busy && document.activeElement === stop) ||
      (!canRegenerate && document.activeElement === regenerate);
    stop.disabled = !busy;
    regenerate.disabled = !canRegenerate;
    if (focusLost) input.focus();
  }

  /** A question the host did not take: back into the input, with the reason. */
  restore(text: string, reason: string): void {
    const { input } = this.elements;
    if (!input.value.trim()) input.value = text;
    this.saveDraft(input.value);
    this.announce(reason);
    input.focus();
  }

  setDraft(text: string): void {
    this.elements.input.value = text;
  }

  focus(): void {
    this.elements.input.focus();
  }

  private send(): void {
    const { input } = this.elements;
    const text = input.value.trim();
    if (!text) return;
    if (text.length > MAX_MESSAGE_CHARS) {
      this.announce(
        `The message is too long: at most ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters. Attach files as context instead.`,
      );
      return;
    }
    if (this.busy) {
      this.announce('An answer is still coming: wait for it, or press Escape to stop it.');
      return;
    }
    this.post({ type: 'send', text, context: this.context() });
    input.value = '';
    this.saveDraft('');
  }
}
