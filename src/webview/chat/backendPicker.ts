/**
 * The header's backend picker: one entry per configured backend, "Name · model · $in / $out per
 * 1M". Choosing one asks the host to make it the chat backend; the host's next list is the truth.
 */
import type { BackendOption, WebviewToHost } from '../../protocol/chatProtocol';
import { el } from './dom';

export class BackendPicker {
  constructor(
    private readonly select: HTMLSelectElement,
    manage: HTMLButtonElement,
    private readonly setPrice: HTMLButtonElement,
    private readonly post: (message: WebviewToHost) => void,
  ) {
    setPrice.addEventListener('click', () => {
      if (select.value) post({ type: 'setPrice', providerId: select.value });
    });
    select.addEventListener('change', () => {
      if (select.value) post({ type: 'selectBackend', providerId: select.value });
    });
    manage.addEventListener('click', () => post({ type: 'pickBackend' }));
  }

  show(options: readonly BackendOption[], selectedId: string | undefined): void {
    const current = [...this.select.options];
    const sameEntries =
      current.length === options.length && options.every((option, i) => current[i]?.value === option.id);
    if (sameEntries) {
      // Relabelling in place (prices arriving) leaves an open dropdown open.
      options.forEach((option, i) => {
        const entry = current[i];
        if (entry && entry.textContent !== option.label) entry.textContent = option.label;
      });
    } else {
      this.select.replaceChildren(
        ...options.map((option) => {
          const entry = el('option', undefined, option.label);
          entry.value = option.id;
          return entry;
        }),
      );
    }
    if (options.length === 0) {
      const empty = el('option', undefined, 'No backend configured: add one with ⋯');
      empty.value = '';
      this.select.replaceChildren(empty);
    }
    this.select.disabled = options.length === 0;
    this.select.value = selectedId ?? '';
    const chosen = options.find((option) => option.id === selectedId);
    this.setPrice.hidden = chosen?.priceUnknown !== true;
    this.select.title = chosen
      ? `Chat backend: ${chosen.label}`
      : 'Chat backend and model, with the price per 1M input / output tokens';
  }
}
