/**
 * Runs inside headless Chromium for bench/chatRender.ts: the real renderer on the real DOM.
 * Bundled in memory by esbuild; exposes `chatRenderBench` on the page.
 */
import { renderMarkdown, StreamingMarkdown } from '../src/webview/chat/markdown';

export interface ChatRenderRun {
  ms: number;
  parsedChars: number;
  /** The streamed DOM equals renderMarkdown's for the whole text (checked after the timing). */
  matches: boolean;
}

const hooks = { onLink: () => {}, onCode: () => {} };

function fresh(): HTMLElement {
  const container = document.createElement('div');
  document.body.replaceChildren(container);
  return container;
}

const api = {
  /** Streams `text` in `chunk`-sized appends into StreamingMarkdown, then finishes it. */
  ours(text: string, chunk: number): ChatRenderRun {
    const container = fresh();
    const started = performance.now();
    const renderer = new StreamingMarkdown(container, hooks);
    for (let i = 0; i < text.length; i += chunk) renderer.append(text.slice(i, i + chunk));
    renderer.finish();
    const ms = performance.now() - started;
    const whole = document.createElement('div');
    whole.innerHTML = renderMarkdown(text);
    return { ms, parsedChars: renderer.parsedChars, matches: whole.innerHTML === container.innerHTML };
  },
  /** The naive renderer: the whole text so far through renderMarkdown into innerHTML on every chunk. */
  naive(text: string, chunk: number): ChatRenderRun {
    const container = fresh();
    const started = performance.now();
    let parsedChars = 0;
    for (let i = 0; i < text.length; i += chunk) {
      const sofar = text.slice(0, i + chunk);
      container.innerHTML = renderMarkdown(sofar);
      parsedChars += sofar.length;
    }
    return { ms: performance.now() - started, parsedChars, matches: true };
  },
};

(globalThis as { chatRenderBench?: typeof api }).chatRenderBench = api;
