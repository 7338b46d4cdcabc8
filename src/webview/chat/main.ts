/**
 * The chat view's browser side. The host owns the conversation and decides every word and
 * figure; this page draws what it is sent and reports what the user does. Model output reaches
 * the page only through the markdown renderer, whose HTML is sanitized and inert.
 */
import { MAX_CODE_CHARS } from '../../core/chat/messageLimits';
import type { HostToWebview, WebviewToHost } from '../../protocol/chatProtocol';
import type { RenderHooks } from './answerRenderer';
import { BackendPicker } from './backendPicker';
import { Composer } from './composer';
import { ContextChips } from './contextChips';
import { ConversationView } from './conversationView';
import { byId } from './dom';
import { HistoryPanel } from './historyPanel';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  draft?: string;
}

function main(): void {
  const vscode = acquireVsCodeApi();
  const post = (message: WebviewToHost) => vscode.postMessage(message);
  const status = byId('status');
  const announce = (text: string) => {
    // Cleared first, so the same words said twice are announced twice.
    status.textContent = '';
    requestAnimationFrame(() => (status.textContent = text));
  };
  const saved = (vscode.getState() ?? {}) as SavedState;

  const hooks: RenderHooks = {
    onLink: (href) => post({ type: 'openLink', href }),
    onCode: (action, code, language) => {
      if (code.length > MAX_CODE_CHARS) {
        announce('That code block is too large to copy or insert from here.');
        return;
      }
      post({ type: 'code', action, code, ...(language && language.length <= 64 && { language }) });
    },
  };

  const conversation = new ConversationView(byId('log'), hooks, post, announce);
  const chips = new ContextChips(byId('chips'), byId('context-total'), byId<HTMLButtonElement>('add-context'), post);
  const composer = new Composer(
    {
      form: byId<HTMLFormElement>('composer'),
      input: byId<HTMLTextAreaElement>('input'),
      send: byId<HTMLButtonElement>('send'),
      stop: byId<HTMLButtonElement>('stop'),
      regenerate: byId<HTMLButtonElement>('regenerate'),
    },
    post,
    () => chips.current(),
    announce,
    (draft) => vscode.setState({ ...saved, draft } satisfies SavedState),
  );
  const picker = new BackendPicker(
    byId<HTMLSelectElement>('backend-picker'),
    byId<HTMLButtonElement>('manage-backends'),
    byId<HTMLButtonElement>('set-price'),
    post,
  );
  const history = new HistoryPanel(
    byId<HTMLButtonElement>('history'),
    byId('history-panel'),
    byId('history-list'),
    byId('history-empty'),
    post,
    () => composer.focus(),
  );
  const sessionTotal = byId('session-total');

  byId<HTMLButtonElement>('new').addEventListener('click', () => {
    post({ type: 'newChat' });
    history.setOpen(false);
    composer.focus();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (composer.stop()) {
      event.preventDefault();
      announce('Stopping…');
    } else if (history.isOpen) {
      history.setOpen(false);
    }
  });

  window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
    const message = event.data;
    switch (message.type) {
      case 'conversation':
        conversation.show(message.turns, message.streamingTurnId);
        break;
      case 'turn':
        conversation.upsert(message.turn);
        break;
      case 'turnRemoved':
        conversation.remove(message.id);
        break;
      case 'delta':
        conversation.delta(message.turnId, message.text);
        break;
      case 'thinking':
        conversation.thinking(message.turnId);
        break;
      case 'controls':
        composer.setControls(message.busy, message.canRegenerate);
        break;
      case 'context':
        chips.show(message.revision, message.chips, message.total);
        break;
      case 'backends':
        picker.show(message.options, message.selectedId);
        break;
      case 'history':
        history.show(message.items, message.activeId);
        break;
      case 'totals':
        // What the chat on screen cost: a window's total under an empty new chat, or under one
        // reopened after a reload, read as that chat's. The window's is in the hover.
        sessionTotal.textContent = `This chat: ${message.conversation}`;
        sessionTotal.title = `All chats since this window opened: ${message.session}`;
        break;
      case 'sendRejected':
        composer.restore(message.text, message.reason);
        break;
      case 'notice':
        announce(message.text);
        break;
    }
  });

  if (saved.draft) composer.setDraft(saved.draft);
  post({ type: 'ready' });
}

main();
