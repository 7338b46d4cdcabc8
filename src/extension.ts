import * as vscode from 'vscode';
import { Backends } from './backends';
import { ChatViewProvider } from './chatView';
import { CHAT_VIEW_ID, registerCommands } from './commands';
import { SwitchboardInlineCompletionProvider } from './inlineCompletion';
import { log } from './log';
import { KeyStore } from './secrets';
import { SwitchboardStatusBar } from './statusBar';

/** What `activate` returns: used by the integration tests and the activation benchmark. */
export interface SwitchboardApi {
  /** Milliseconds spent inside `activate()`. */
  readonly activationMs: number;
  /** The registered inline completion provider, so tests can call it with a real document. */
  readonly inlineCompletionProvider: vscode.InlineCompletionItemProvider;
  /** The status bar item as VS Code holds it (the API offers no way to read another extension's item). */
  readonly statusBarItem: vscode.StatusBarItem;
}

/** The composition root: build the services, register the contributions, hand every disposable to VS Code. */
export function activate(context: vscode.ExtensionContext): SwitchboardApi {
  const started = performance.now();
  const keys = new KeyStore(context.secrets);
  const backends = new Backends(keys);
  const statusBar = new SwitchboardStatusBar(backends);
  const completion = new SwitchboardInlineCompletionProvider(backends, (outcome) => statusBar.setError(outcome.error));

  context.subscriptions.push(
    backends,
    statusBar,
    ...registerCommands(backends, keys),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, completion),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, new ChatViewProvider(context.extensionUri, backends)),
  );

  const activationMs = performance.now() - started;
  log().info(`Switchboard ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(1)} ms.`);
  return { activationMs, inlineCompletionProvider: completion, statusBarItem: statusBar.item };
}

export function deactivate(): void {}
