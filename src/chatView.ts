import type * as vscode from 'vscode';
import type { Backends } from './backends';
import type { ChatMessage } from './core/providers/types';
import { ProviderError } from './core/providers/providerError';
import { log } from './log';
import { webviewToHost, type HostToWebview } from './protocol/chatProtocol';
import type { UsageMeter } from './usage';
import { webviewHtml, webviewRoots } from './webviewHtml';

const CHAT_BODY = `<header id="backend" aria-live="polite"></header>
<main id="log" role="log" aria-live="polite" aria-label="Conversation"></main>
<form id="composer">
  <textarea id="input" rows="3" aria-label="Message" placeholder="Ask about your code (Enter sends, Shift+Enter for a new line)"></textarea>
  <div class="actions">
    <button type="button" id="new" title="New chat">New</button>
    <button type="button" id="stop" title="Stop (Escape)" disabled>Stop</button>
    <button type="submit" id="send">Send</button>
  </div>
</form>`;

/**
 * The chat view in the Switchboard side bar. This first version streams plain-text answers from
 * the chat backend; rendering is text-only (model output is never interpreted as HTML).
 */
export class ChatViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private history: ChatMessage[] = [];
  private inFlight: AbortController | undefined;
  private nextId = 1;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backends: Backends,
    private readonly meter?: UsageMeter,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, { title: 'Switchboard Chat', script: 'chat.js', style: 'chat.css', body: CHAT_BODY });
    view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw));
    view.onDidDispose(() => {
      this.inFlight?.abort();
      this.view = undefined;
    });
    this.backends.onDidChange(() => this.postBackend());
  }

  private receive(raw: unknown): void {
    const parsed = webviewToHost.safeParse(raw);
    if (!parsed.success) {
      log().warn(`Dropped an invalid message from the chat view: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        this.postBackend();
        return;
      case 'send':
        void this.send(message.text);
        return;
      case 'stop':
        this.inFlight?.abort();
        return;
      case 'newChat':
        this.inFlight?.abort();
        this.history = [];
        this.post({ type: 'cleared' });
        return;
    }
  }

  private async send(text: string): Promise<void> {
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const id = this.nextId++;
    this.post({ type: 'start', id });
    this.history.push({ role: 'user', content: text });
    let answer = '';
    const config = this.backends.configFor('chat');
    const startedAt = Date.now();
    try {
      const provider = await this.backends.providerFor('chat');
      if (!provider || !config) throw new Error('No chat backend is configured. Run "Switchboard: Switch Provider" to choose one.');
      for await (const event of provider.chat({ messages: this.history, signal: controller.signal })) {
        if (event.type === 'text') {
          answer += event.text;
          this.post({ type: 'delta', id, text: event.text });
        } else {
          this.meter?.record({ config, feature: 'chat', model: config.chatModel, startedAt, usage: event.usage });
          this.history.push({ role: 'assistant', content: answer });
          this.post({ type: 'done', id, inputTokens: event.usage.inputTokens, outputTokens: event.usage.outputTokens });
        }
      }
    } catch (error) {
      if (config) {
        this.meter?.record({
          config,
          feature: 'chat',
          model: config.chatModel,
          startedAt,
          promptText: this.history.map((message) => message.content).join('\n'),
          outputText: answer,
          error: error instanceof ProviderError ? error : undefined,
        });
      }
      const stopped = ProviderError.is(error, 'cancelled');
      // A stopped or failed answer is not kept as a complete turn.
      this.history.pop();
      this.post({ type: 'error', id, stopped, message: stopped ? 'Stopped.' : error instanceof Error ? error.message : String(error) });
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  private postBackend(): void {
    const config = this.backends.configFor('chat');
    this.post({ type: 'backend', name: config?.name, model: config?.chatModel });
  }

  private post(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }

}
