import * as vscode from 'vscode';
import { OPEN_USER_SETTINGS, openUserSettingsIf, settingsWriteProblem } from '../backends/settingsWrite';
import type { Backends } from '../backends/backends';
import { ChatBackendChoice } from './chatBackendChoice';
import { EditorContextSource } from './editorContextSource';
import { applyCode, openLink } from './editorActions';
import { CHAT_BODY } from './chatViewBody';
import { ChatViewPublisher } from './chatViewPublisher';
import {
  ChatSession,
  type ChatRequestRecord,
  onThisMachine,
  type ConversationShare,
  type RecordedUsage,
} from '../core/chat/chatSession';
import { ChatHistoryStore } from '../core/chat/historyStore';
import { CHAT_RESERVED_OUTPUT_TOKENS } from '../core/usage/inFlightSpend';
import type { LimitMonitor } from '../usage/limitMonitor';
import { log } from '../log';
import { webviewToHost, type HostToWebview, type WebviewToHost } from '../protocol/chatProtocol';
import type { KeyStore } from '../backends/keyStore';
import type { UsageMeter } from '../usage/usageMeter';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { webviewHtml, webviewRoots } from '../webviewHtml';
import type { ChatGate } from './chatGate';

const BUSY = 'An answer is still coming: wait for it, or stop it with Escape.';
const SHARE_DECLINED =
  'Not sent: this conversation stays on this machine. Start a new chat to ask the new backend without it, or switch back.';

/**
 * Before a conversation answered on this machine goes, whole, to a backend elsewhere: what goes,
 * and where. True to send.
 */
async function confirmShare(share: ConversationShare): Promise<boolean> {
  const send = `Send to ${share.to}`;
  const choice = await vscode.window.showWarningMessage(
    `Switchboard: this conversation was answered on this machine (${share.from.join(', ')}). Asking ${share.to} sends all of it, with the files attached to it (≈ ${share.tokens.toLocaleString('en-US')} tokens), to ${share.to}.`,
    { modal: true, detail: 'Start a new chat to ask without it.' },
    send,
  );
  return choice === send;
}

export interface ChatViewDeps {
  backends: Backends;
  keys: KeyStore;
  meter?: UsageMeter;
  limits?: LimitMonitor;
  /** Per-workspace storage for the history (`ExtensionContext.workspaceState`). */
  state: vscode.Memento;
  /** The budgets' say on each request: a sentence is why it was not sent. */
  chatGate?: ChatGate;
}

/**
 * The chat view in the Switchboard side bar. The conversation lives here, in `ChatSession`, not
 * in the webview: an answer keeps streaming while the view is hidden, and a view shown again is
 * drawn from the host's state. Every message from the webview is checked before it is acted on.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly choice: ChatBackendChoice;
  private session: ChatSession | undefined;
  private context: EditorContextSource | undefined;
  private publisher: ChatViewPublisher | undefined;
  /** Set when the user would not let a conversation held on this machine go elsewhere. */
  private shareDeclined = false;

  /** Registers the view `viewId` (`switchboard.chatView` in package.json); disposing it stops any answer. */
  static register(viewId: string, extensionUri: vscode.Uri, deps: ChatViewDeps): vscode.Disposable {
    const provider = new ChatViewProvider(extensionUri, deps);
    return vscode.Disposable.from(vscode.window.registerWebviewViewProvider(viewId, provider), provider);
  }

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: ChatViewDeps,
  ) {
    this.choice = new ChatBackendChoice(deps.backends, deps.limits);
    this.subscriptions.push(deps.backends.onDidChange(() => void this.publisher?.backends()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.start();
    for (const subscription of this.viewSubscriptions) subscription.dispose();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, {
      title: 'Switchboard Chat',
      script: 'chat.js',
      style: ['chat.css', 'chat-markdown.css'],
      body: CHAT_BODY,
    });
    this.viewSubscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      // The answer goes on streaming; a view shown again is drawn from the session.
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    ];
  }

  /** The history and the editor context are read when the view is first shown, not at activation. */
  private start(): void {
    if (this.session) return;
    const store = ChatHistoryStore.load(this.deps.state, (message) => log().warn(message));
    const session = new ChatSession({
      store,
      backend: async () => {
        const config = this.deps.backends.configFor('chat');
        const provider = config && (await this.deps.backends.providerFor('chat'));
        return config && provider ? { config, provider } : undefined;
      },
      backendOnThisMachine: (backendId) => {
        const config = this.deps.backends.current().providers.find((entry) => entry.id === backendId);
        return config && onThisMachine(config);
      },
      confirmShare: async (share) => {
        const agreed = await confirmShare(share);
        this.shareDeclined ||= !agreed;
        return agreed;
      },
      record: (request) => this.record(request),
      reserve: (config, model, promptText) =>
        this.deps.meter?.reserve(config, model, promptText, CHAT_RESERVED_OUTPUT_TOKENS) ?? (() => {}),
      now: () => Date.now(),
      newId: () => crypto.randomUUID(),
      warn: (message) => log().warn(message),
      emit: (event) => this.publisher?.onSessionEvent(event),
    });
    const context = new EditorContextSource();
    const publisher = new ChatViewPublisher(session, store, context, this.choice, (message) => this.post(message));
    this.session = session;
    this.context = context;
    this.publisher = publisher;
    this.subscriptions.push(
      context,
      publisher,
      context.onDidChange(() => publisher.contextChips()),
    );
  }

  private record(request: ChatRequestRecord): RecordedUsage | undefined {
    const recorded = this.deps.meter?.record({ ...request, feature: 'chat' });
    return recorded && { ...recorded, currency: recorded.currency ?? 'USD' };
  }

  /**
   * The backend pick being written into settings. The view's messages are handled as they come, so
   * a Send right after a pick would otherwise go to the backend the settings still name.
   */
  private picking: Promise<unknown> = Promise.resolve();

  private receive(raw: unknown): void {
    const parsed = webviewToHost.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const type =
        typeof raw === 'object' && raw !== null && 'type' in raw
          ? String((raw as { type: unknown }).type).slice(0, 40)
          : 'none';
      log().warn(
        `Dropped an invalid message from the chat view (type ${type}): ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'unknown shape'}`,
      );
      return;
    }
    void this.act(parsed.data).catch((error: unknown) => {
      log().error(
        `The chat view's ${parsed.data.type} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  private async act(message: WebviewToHost): Promise<void> {
    const { session, context, publisher } = this;
    if (!session || !context || !publisher) return;
    switch (message.type) {
      case 'ready':
        await publisher.all();
        return;
      case 'send': {
        // A pick the picker already shows goes first: the question goes where it says.
        await this.picking;
        await this.moveDecided();
        const items = context.tracker.itemsFor(message.context.revision, message.context.ids);
        const reason = session.busy
          ? BUSY
          : !items
            ? 'The context changed as you sent; check the chips and send again.'
            : undefined;
        if (!message.text.trim()) return;
        if (reason || !items) {
          this.post({ type: 'sendRejected', text: message.text, reason: reason ?? '' });
          return;
        }
        const refused = await this.budgetRefusal();
        if (refused) {
          this.post({ type: 'sendRejected', text: message.text, reason: refused });
          return;
        }
        this.shareDeclined = false;
        if (!(await session.send(message.text, items, () => context.afterSend())))
          this.post({ type: 'sendRejected', text: message.text, reason: this.shareDeclined ? SHARE_DECLINED : BUSY });
        return;
      }
      case 'stop':
        session.stop();
        return;
      case 'regenerate':
        await this.picking;
        await this.moveDecided();
        if (!session.busy && (await this.budgetAllows())) await this.regenerate(session);
        return;
      case 'newChat':
        session.newChat();
        return;
      case 'openConversation':
        if (!session.open(message.id)) this.post({ type: 'notice', text: 'That conversation is no longer stored.' });
        return;
      case 'deleteConversation': {
        // A misplaced click on × would lose a conversation for good: it is asked first.
        const title = session.titleOf(message.id);
        if (title === undefined) return;
        const choice = await vscode.window.showWarningMessage(
          `Delete the conversation "${title}"?`,
          {
            modal: true,
            detail: "Its questions and answers leave this workspace's chat history. This cannot be undone.",
          },
          'Delete',
        );
        if (choice === 'Delete') await session.delete(message.id);
        return;
      }
      case 'removeContext':
        context.remove(message.id);
        return;
      case 'addContext':
        await context.pick();
        return;
      case 'selectBackend': {
        const picked = this.select(message.providerId);
        this.picking = picked.catch(() => undefined);
        await picked;
        return;
      }
      case 'switchAndRetry':
        // A switch after a failure is a fallback: a paid one is confirmed first (the paid guard).
        if (session.busy || !(await this.choice.mayFallBackTo(message.providerId))) return;
        if ((await this.select(message.providerId)) && (await this.budgetAllows())) await this.regenerate(session);
        return;
      case 'pickBackend':
        await vscode.commands.executeCommand('switchboard.switchProvider');
        return;
      case 'addBackend': {
        // Chosen, priced and keyed by the user in the wizard just now: no paid-fallback question on top.
        const added = await vscode.commands.executeCommand<ProviderConfig | undefined>('switchboard.addProvider');
        if (!added || session.busy) return;
        if ((await this.select(added.id)) && (await this.budgetAllows())) await this.regenerate(session);
        return;
      }
      case 'setPrice': {
        const config = this.deps.backends.current().providers.find((entry) => entry.id === message.providerId);
        if (config) await vscode.commands.executeCommand('switchboard.setPrice', config.id, config.chatModel);
        return;
      }
      case 'setKey':
        if (this.choice.isConfigured(message.providerId))
          await vscode.commands.executeCommand('switchboard.setApiKey', message.providerId);
        return;
      case 'code':
        this.post({ type: 'notice', text: await applyCode(message.action, message.code) });
        return;
      case 'openLink':
        this.post({ type: 'notice', text: await openLink(message.href) });
        return;
    }
  }

  private async regenerate(session: ChatSession): Promise<void> {
    this.shareDeclined = false;
    await session.regenerate();
    if (this.shareDeclined) this.post({ type: 'notice', text: SHARE_DECLINED });
  }

  /**
   * The chat backend ran out and the fallback order is moving chat on: a question asked meanwhile
   * waits for the move, not goes once more past the limit.
   */
  private async moveDecided(): Promise<void> {
    await this.deps.limits?.movingAway(this.deps.backends.configFor('chat')?.id);
  }

  /** Why the budgets hold the next request to the chat backend ("Not sent: …"), or undefined: it goes. */
  private async budgetRefusal(): Promise<string | undefined> {
    const config = this.deps.backends.configFor('chat');
    const why = config && (await this.deps.chatGate?.(config));
    return why ? `Not sent: ${why}` : undefined;
  }

  /** True to send the next request; a refusal is said in the view, where it was asked for. */
  private async budgetAllows(): Promise<boolean> {
    const refused = await this.budgetRefusal();
    if (refused) this.post({ type: 'notice', text: refused });
    return !refused;
  }

  private async select(providerId: string): Promise<boolean> {
    let taken: boolean;
    try {
      taken = await this.choice.select(providerId);
    } catch (error) {
      // The view's list already shows the pick: it is put back, and the next question goes where it says.
      const text = `The chat backend did not change. ${settingsWriteProblem(error)} Fix the file, then choose again.`;
      void vscode.window.showErrorMessage(`Switchboard: ${text}`, OPEN_USER_SETTINGS).then(openUserSettingsIf);
      this.post({ type: 'notice', text });
      await this.publisher?.backends();
      return false;
    }
    if (!taken) {
      const text = this.choice.isConfigured(providerId)
        ? 'The chat backend did not change: switchboard.chat.provider is set in this workspace, which wins over the global setting.'
        : 'That backend is no longer configured.';
      void vscode.window.showWarningMessage(`Switchboard: ${text}`);
      this.post({ type: 'notice', text });
      await this.publisher?.backends();
    }
    return taken;
  }

  private post(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    this.session?.close();
    for (const subscription of [...this.viewSubscriptions, ...this.subscriptions]) subscription.dispose();
  }
}
