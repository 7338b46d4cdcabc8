/**
 * The context chips above the input: what goes with the next question. A question is sent with
 * the revision and ids of the chips on screen, so the host sends exactly what is shown here.
 */
import type { ContextChip } from '../../core/chat/contextItems';
import type { WebviewToHost } from '../../protocol/chatProtocol';
import { button, el, shortCount } from './dom';

export class ContextChips {
  private revision = 0;
  private chips: ContextChip[] = [];
  /** The element drawn for each chip and what it was drawn from, so an unchanged chip is left alone. */
  private readonly drawn = new Map<string, { signature: string; element: HTMLElement }>();
  /** Where focus goes after the host confirms a removal: the chip now at this index. */
  private refocusAt: number | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly total: HTMLElement,
    private readonly addButton: HTMLButtonElement,
    private readonly post: (message: WebviewToHost) => void,
  ) {
    addButton.addEventListener('click', () => post({ type: 'addContext' }));
  }

  /** What a question sent now carries. */
  current(): { revision: number; ids: string[] } {
    return { revision: this.revision, ids: this.chips.map((chip) => chip.id) };
  }

  /** `total`: the host's words for what a question sent now carries. */
  show(revision: number, chips: readonly ContextChip[], total: string): void {
    this.revision = revision;
    this.chips = [...chips];
    this.render(chips);
    this.total.textContent = total;
    if (this.refocusAt !== undefined) {
      const buttons = this.list.querySelectorAll<HTMLButtonElement>('.chip-remove');
      (buttons[Math.min(this.refocusAt, buttons.length - 1)] ?? this.addButton).focus();
      this.refocusAt = undefined;
    }
  }

  /**
   * Touches only the chips that changed: an unchanged chip keeps its element, so focus, a hover
   * and a click in progress survive the updates that come as the user types in the editor.
   */
  private render(chips: readonly ContextChip[]): void {
    const wanted: HTMLElement[] = [];
    const ids = new Set<string>();
    for (const chip of chips) {
      const signature = JSON.stringify(chip);
      let entry = this.drawn.get(chip.id);
      if (entry?.signature !== signature) {
        entry?.element.remove();
        entry = { signature, element: this.chip(chip) };
        this.drawn.set(chip.id, entry);
      }
      ids.add(chip.id);
      wanted.push(entry.element);
    }
    for (const [id, entry] of this.drawn) {
      if (ids.has(id)) continue;
      entry.element.remove();
      this.drawn.delete(id);
    }
    wanted.forEach((element, index) => {
      const there = this.list.children[index];
      if (there !== element) this.list.insertBefore(element, there ?? null);
    });
    // Anything else in the list (there should be nothing) would be a chip that is not sent.
    while (this.list.children.length > wanted.length) this.list.lastElementChild?.remove();
  }

  private chip(chip: ContextChip): HTMLElement {
    const item = el('li', 'chip');
    item.dataset.kind = chip.kind;
    item.title = chip.description;
    const kind = chip.kind === 'selection' ? 'Selection' : 'File';
    const label = el('span', 'chip-label', chip.label);
    label.setAttribute(
      'aria-label',
      `${kind} ${chip.label}, about ${chip.tokens.toLocaleString('en-US')} tokens${chip.truncated ? ', truncated' : ''}`,
    );
    const tokens = el('span', 'chip-tokens', shortCount(chip.tokens));
    tokens.setAttribute('aria-hidden', 'true');
    item.append(label, tokens);
    if (chip.truncated) {
      const mark = el('span', 'chip-truncated', 'truncated');
      mark.setAttribute('aria-hidden', 'true');
      item.append(mark);
    }
    const remove = button('chip-remove', '×', {
      ariaLabel: `Remove ${chip.label} from the context`,
      title: 'Remove from the context',
    });
    remove.addEventListener('click', () => {
      this.refocusAt = Array.prototype.indexOf.call(this.list.children, item);
      this.post({ type: 'removeContext', id: chip.id });
    });
    item.append(remove);
    return item;
  }
}
