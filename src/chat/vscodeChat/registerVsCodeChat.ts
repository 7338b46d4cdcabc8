import * as vscode from 'vscode';
import type { Backends } from '../../backends/backends';
import { log } from '../../log';
import type { UsageMeter } from '../../usage/usageMeter';
import { registerChatParticipant } from './chatParticipant';
import { SwitchboardLanguageModels } from './lmChatProvider';
import { languageModelChatProviderApi } from './lmApi';
import { SWITCHBOARD_VENDOR } from './editorModelMatch';
import { forgetEditorChatModels } from './vscodeLmProvider';
import type { ChatGate, MovingAway } from '../chatGate';

/**
 * Switchboard inside VS Code's own chat, as far as the running VS Code allows: the `@switchboard`
 * participant (chat API, 1.91+) and Switchboard's backends in the model picker (Language Model Chat
 * Provider API, 1.104+). Each is feature-detected; without them the rest of Switchboard is unchanged.
 */
export function registerVsCodeChat(
  context: vscode.ExtensionContext,
  backends: Backends,
  meter: UsageMeter | undefined,
  /** The budgets' say on each request: a sentence is why it was not sent. */
  chatGate?: ChatGate,
  /** What a question waits for while chat is moved off a backend that ran out. */
  movingAway?: MovingAway,
): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [];
  const outcome: string[] = [];

  if (typeof vscode.chat?.createChatParticipant === 'function') {
    try {
      disposables.push(registerChatParticipant(context.extensionUri, backends, meter, chatGate, movingAway));
      outcome.push('the @switchboard chat participant');
    } catch (error) {
      log().warn(`VS Code chat: the @switchboard participant could not be registered: ${String(error)}`);
    }
  } else {
    log().info('VS Code chat: this VS Code has no chat participant API; @switchboard is not available.');
  }

  const registerModels = languageModelChatProviderApi();
  if (registerModels) {
    try {
      const models = new SwitchboardLanguageModels(backends, meter, chatGate);
      disposables.push(models, registerModels(SWITCHBOARD_VENDOR, models));
      outcome.push(`Switchboard's backends as "${SWITCHBOARD_VENDOR}" language models`);
    } catch (error) {
      log().warn(`VS Code chat: Switchboard's language models could not be registered: ${String(error)}`);
    }
  } else {
    log().info(
      `VS Code chat: this VS Code (${vscode.version}) cannot take other extensions' language models (that needs 1.104); Switchboard's backends stay out of its model picker.`,
    );
  }

  // The "VS Code language models" backend keeps the list of the editor's models for a moment.
  if (typeof vscode.lm?.onDidChangeChatModels === 'function') {
    disposables.push(vscode.lm.onDidChangeChatModels(forgetEditorChatModels));
  }

  if (outcome.length) log().info(`VS Code chat: registered ${outcome.join(' and ')}.`);
  return disposables;
}
