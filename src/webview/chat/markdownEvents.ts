/**
 * The one place rendered markdown becomes interactive: delegated listeners on the container, so
 * the markup itself never carries an event-handler attribute and blocks re-rendered while an
 * answer streams need no re-wiring.
 */
import type { RenderHooks } from './markdown';
import { CODE_ACTIONS, type CodeAction } from './markdownRenderer';

const ACTIONS = new Set<string>(CODE_ACTIONS.map(({ action }) => action));

function elementOf(target: EventTarget | null): Element | null {
  const node = target as (Node & Partial<Element>) | null;
  if (!node) return null;
  return typeof node.closest === 'function' ? (node as Element) : node.parentElement;
}

function activate(target: EventTarget | null, hooks: RenderHooks): boolean {
  const element = elementOf(target);
  const link = element?.closest('[data-href]');
  if (link) {
    const href = link.getAttribute('data-href');
    if (href) hooks.onLink(href);
    return true;
  }
  const button = element?.closest('button[data-code-action]');
  const action = button?.getAttribute('data-code-action');
  if (!button || !action || !ACTIONS.has(action)) return false;
  const block = button.closest('.md-code');
  const code = block?.querySelector('code')?.textContent ?? '';
  hooks.onCode(action as CodeAction, code, block?.getAttribute('data-lang') ?? undefined);
  return true;
}

/**
 * Wires links (click, Enter) and code-block buttons under `container` to `hooks`, and marks it
 * `markdown-body` for media/chat-markdown.css. Use it for markup from `renderMarkdown`;
 * `StreamingMarkdown` calls it itself. Returns a function that removes the listeners.
 */
export function attachMarkdownHooks(container: HTMLElement, hooks: RenderHooks): () => void {
  container.classList.add('markdown-body');
  const onClick = (event: Event) => {
    if (activate(event.target, hooks)) event.preventDefault();
  };
  const onKey = (event: Event) => {
    const key = (event as KeyboardEvent).key;
    // Buttons already turn Enter into a click; a link (a role, not a real <a href>) does not.
    if (key !== 'Enter') return;
    const element = elementOf(event.target);
    if (!element?.closest('[data-href]')) return;
    if (activate(event.target, hooks)) event.preventDefault();
  };
  container.addEventListener('click', onClick);
  container.addEventListener('keydown', onKey);
  return () => {
    container.removeEventListener('click', onClick);
    container.removeEventListener('keydown', onKey);
  };
}
