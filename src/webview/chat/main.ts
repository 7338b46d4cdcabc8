/**
 * The chat view's browser side. Model output is only ever assigned as text (textContent), never
 * as HTML, so nothing an answer contains can run here.
 */
import type { HostToWebview, WebviewToHost } from '../../protocol/chatProtocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function main(): void {
  const vscode = acquireVsCodeApi();
  const log = byId<HTMLElement>('log');
  const input = byId<HTMLTextAreaElement>('input');
  const stop = byId<HTMLButtonElement>('stop');
  const header = byId<HTMLElement>('backend');
  const answers = new Map<number, HTMLElement>();

  const addTurn = (role: 'user' | 'assistant', text: string): HTMLElement => {
    const turn = document.createElement('section');
    turn.className = `turn ${role}`;
    turn.setAttribute('aria-label', role === 'user' ? 'You' : 'Answer');
    const body = document.createElement('div');
    body.className = 'body';
    body.textContent = text;
    turn.append(body);
    log.append(turn);
    turn.scrollIntoView({ block: 'end' });
    return body;
  };

  const send = () => {
    const text = input.value.trim();
    if (!text) return;
    addTurn('user', text);
    input.value = '';
    vscode.postMessage({ type: 'send', text });
  };

  byId<HTMLFormElement>('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !stop.disabled) vscode.postMessage({ type: 'stop' });
  });
  stop.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
  byId<HTMLButtonElement>('new').addEventListener('click', () => vscode.postMessage({ type: 'newChat' }));

  window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
    const message = event.data;
    switch (message.type) {
      case 'backend':
        header.textContent = message.name ? `${message.name} · ${message.model ?? ''}` : 'No chat backend configured';
        break;
      case 'start':
        answers.set(message.id, addTurn('assistant', ''));
        stop.disabled = false;
        break;
      case 'delta': {
        const body = answers.get(message.id);
        if (body) body.textContent += message.text;
        break;
      }
      case 'done': {
        stop.disabled = true;
        const meta = document.createElement('div');
        meta.className = 'meta';
        meta.textContent = `${message.inputTokens} in · ${message.outputTokens} out tokens`;
        answers.get(message.id)?.after(meta);
        break;
      }
      case 'error': {
        stop.disabled = true;
        const note = document.createElement('div');
        note.className = message.stopped ? 'meta' : 'error';
        note.setAttribute('role', message.stopped ? 'status' : 'alert');
        note.textContent = message.message;
        answers.get(message.id)?.after(note);
        break;
      }
      case 'cleared':
        log.replaceChildren();
        answers.clear();
        stop.disabled = true;
        break;
    }
  });
  vscode.postMessage({ type: 'ready' });
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`chat view is missing #${id}`);
  return element as T;
}

main();
