/**
 * Switchboard's chat view provider resolved into a stand-in for VS Code's webview view, so a test
 * can send the messages the webview would and read what the host posts back.
 */
import * as vscode from 'vscode';
import { ChatViewProvider } from '../../../src/chat/chatViewProvider';
import type { SwitchboardApi } from '../../../src/extension';
import { MemoryStorage } from '../../harness/memoryStorage';
import { EXTENSION_ID } from './helpers';

export interface PostedMessage {
  type: string;
  revision?: number;
  selectedId?: string;
  text?: string;
}

export interface FakeChatView {
  /** What the host posted to the webview, in order. */
  posted: PostedMessage[];
  /** A message from the webview, as its script would post it. */
  receive(message: unknown): void;
  dispose(): void;
}

/**
 * `gated`: the budgets' say on each request, as the extension wires it (none by default).
 * `metered`: requests are counted in the ledger and the limit monitor is heard, as in the extension.
 */
export function openChatView(api: SwitchboardApi, gated = false, metered = false): FakeChatView {
  const posted: PostedMessage[] = [];
  let listener: (message: unknown) => void = () => {};
  const none = new vscode.Disposable(() => {});
  const view = {
    webview: {
      options: {},
      html: '',
      cspSource: 'vscode-webview:',
      asWebviewUri: (uri: vscode.Uri) => uri,
      postMessage: async (message: PostedMessage) => void posted.push(message),
      onDidReceiveMessage: (received: (message: unknown) => void) => {
        listener = received;
        return none;
      },
    },
    onDidDispose: () => none,
  } as unknown as vscode.WebviewView;
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  const provider = new ChatViewProvider(extension.extensionUri, {
    backends: api.backends,
    keys: api.keys,
    state: new MemoryStorage() as unknown as vscode.Memento,
    ...(gated ? { chatGate: api.chatGate } : {}),
    ...(metered ? { meter: api.meter, limits: api.limits } : {}),
  });
  provider.resolveWebviewView(view);
  return { posted, receive: (message) => listener(message), dispose: () => provider.dispose() };
}
