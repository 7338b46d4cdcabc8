/**
 * The chat's markdown renderer, for answers written by a model: nothing in them is ever executed
 * or loaded. Raw HTML is shown as text, links are `<a data-href>` without `href` (activating one
 * asks the host, which checks the scheme), images are their alt text, code blocks are highlighted
 * with classes only and carry Copy / Insert / Replace buttons. Styles: media/chat-markdown.css,
 * scoped to a `.markdown-body` container.
 *
 * - `renderMarkdown(text)` returns the HTML for a complete text (restored history, tests); put it
 *   in an element and call `attachMarkdownHooks` on that element for links, buttons and styles.
 * - `StreamingMarkdown` renders an answer as it arrives, in time linear in its length; it owns
 *   its container's children and attaches the hooks itself.
 */
export interface RenderHooks {
  /** A link was activated; the host checks the scheme and opens it. Never navigate in the webview. */
  onLink(href: string): void;
  /** A code block button: 'copy' | 'insert' (at cursor) | 'replace' (selection). */
  onCode(action: 'copy' | 'insert' | 'replace', code: string, language: string | undefined): void;
}

export { renderMarkdown } from './markdownRenderer';
export { attachMarkdownHooks } from './markdownEvents';
export { StreamingMarkdown, type StreamingOptions } from './streamingMarkdown';
