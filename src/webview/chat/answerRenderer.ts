/**
 * Where answers meet the markdown renderer. A streaming answer goes through `StreamingMarkdown`;
 * a finished one (restored history, or a redraw) is rendered whole. Either way the links and
 * code-block buttons are wired to the hooks exactly once per element.
 */
import { attachMarkdownHooks, renderMarkdown, StreamingMarkdown, type RenderHooks } from './markdown';

export type { RenderHooks };

export interface AnswerRender {
  append(chunk: string): void;
  finish(): void;
  readonly text: string;
  readonly finished: boolean;
}

/** `body` must be a fresh element: the hooks are attached to it here. */
export function renderAnswer(body: HTMLElement, hooks: RenderHooks, text: string, streaming: boolean): AnswerRender {
  if (!streaming) {
    body.classList.add('markdown-body');
    // renderMarkdown's output is sanitized and inert by contract (see markdown.ts).
    body.innerHTML = renderMarkdown(text);
    attachMarkdownHooks(body, hooks);
    return { append: () => {}, finish: () => {}, text, finished: true };
  }
  const markdown = new StreamingMarkdown(body, hooks);
  let finished = false;
  if (text) markdown.append(text);
  return {
    append: (chunk) => {
      if (!finished) markdown.append(chunk);
    },
    finish: () => {
      if (finished) return;
      finished = true;
      markdown.finish();
    },
    get text() {
      return markdown.text;
    },
    get finished() {
      return finished;
    },
  };
}
