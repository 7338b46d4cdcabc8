/** The few DOM helpers the chat view needs. Everything is created with text, never parsed from HTML. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`chat view is missing #${id}`);
  return element as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

export function button(
  className: string,
  label: string,
  options: { ariaLabel?: string; title?: string } = {},
): HTMLButtonElement {
  const element = el('button', className, label);
  element.type = 'button';
  if (options.ariaLabel) element.setAttribute('aria-label', options.ariaLabel);
  if (options.title) element.title = options.title;
  return element;
}

/** "1,234" as "1.2k": chips are small. */
export function shortCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return `${Math.round(n / 1000)}k`;
}
