/**
 * Past conversations of this workspace, newest first: reopen one, or delete it. The panel is a
 * disclosure: the toggle says whether it is open, Escape closes it and focus returns to the toggle.
 */
import type { ConversationSummary } from '../../core/chat/historyStore';
import type { WebviewToHost } from '../../protocol/chatProtocol';
import { button, el } from './dom';

function when(epochMs: number): string {
  const date = new Date(epochMs);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
}

export class HistoryPanel {
  private focusAfterDelete: number | undefined;

  constructor(
    private readonly toggle: HTMLButtonElement,
    private readonly panel: HTMLElement,
    private readonly list: HTMLElement,
    private readonly empty: HTMLElement,
    private readonly post: (message: WebviewToHost) => void,
    private readonly afterOpen: () => void,
  ) {
    toggle.addEventListener('click', () => this.setOpen(panel.hidden));
    panel.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      this.setOpen(false);
      toggle.focus();
    });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  setOpen(open: boolean): void {
    this.panel.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) this.list.querySelector<HTMLButtonElement>('.conversation')?.focus();
  }

  show(items: readonly ConversationSummary[], activeId: string | undefined): void {
    this.list.replaceChildren(...items.map((item, index) => this.entry(item, index, item.id === activeId)));
    this.empty.hidden = items.length > 0;
    if (this.focusAfterDelete !== undefined && this.isOpen) {
      const entries = this.list.querySelectorAll<HTMLButtonElement>('.conversation');
      (entries[Math.min(this.focusAfterDelete, entries.length - 1)] ?? this.toggle).focus();
    }
    this.focusAfterDelete = undefined;
  }

  private entry(item: ConversationSummary, index: number, active: boolean): HTMLElement {
    const row = el('li', 'conversation-item');
    const open = button('conversation', '');
    open.dataset.id = item.id;
    if (active) open.setAttribute('aria-current', 'true');
    const meta = `${when(item.updatedAt)} · ${item.turns} message${item.turns === 1 ? '' : 's'}`;
    open.append(el('span', 'conversation-title', item.title), el('span', 'conversation-meta meta', meta));
    open.addEventListener('click', () => {
      this.post({ type: 'openConversation', id: item.id });
      this.setOpen(false);
      this.afterOpen();
    });
    const remove = button('conversation-delete', '×', {
      ariaLabel: `Delete the conversation “${item.title}”`,
      title: 'Delete',
    });
    remove.addEventListener('click', () => {
      this.focusAfterDelete = index;
      this.post({ type: 'deleteConversation', id: item.id });
    });
    row.append(open, remove);
    return row;
  }
}
