import * as vscode from 'vscode';
import type { Backends } from '../../backends/backends';
import { ProviderError } from '../../core/providers/providerError';
import type { UsageMeter } from '../../usage/usageMeter';
import { userPrompt } from '../../core/chat/contextItems';
import { participantMessages } from './chatMessages';
import { referenceItems } from './participantReferences';
import { meteredChat } from './meteredChat';
import type { ChatGate, MovingAway } from '../chatGate';

/** Declared under `contributes.chatParticipants` in package.json; VS Code rejects an undeclared id. */
export const PARTICIPANT_ID = 'switchboard.chat';

/** What the participant needs from Backends: the chat backend's settings and its client. */
export type ChatBackend = Pick<Backends, 'configFor' | 'providerFor'>;

/**
 * `@switchboard` in VS Code's chat: answers from the same backend as the Switchboard chat view,
 * streaming markdown. A failure ends the answer with the backend's own plain-words message.
 */
export function participantHandler(
  backends: ChatBackend,
  meter: UsageMeter | undefined,
  chatGate?: ChatGate,
  movingAway?: MovingAway,
): vscode.ChatRequestHandler {
  return async (request, context, response, token) => {
    // A question asked while chat is being moved off a backend that ran out goes where it moves.
    await movingAway?.(backends.configFor('chat')?.id);
    const config = backends.configFor('chat');
    if (!config) {
      return {
        errorDetails: { message: 'No chat backend is configured. Run "Switchboard: Switch Provider" to choose one.' },
      };
    }
    const refused = await chatGate?.(config);
    if (refused)
      return {
        errorDetails: { message: `Not sent: ${refused}` },
        metadata: { backend: config.id },
      };
    try {
      const provider = await backends.providerFor('chat');
      if (!provider) throw new Error(`Switchboard could not reach ${config.name}.`);
      // What the user attached goes with the question, as the chat view sends it.
      const { items, skipped, excluded } = await referenceItems(request.references);
      if (excluded.length)
        response.progress(
          `Not sent: ${excluded.join(', ')}, the editor in front, may hold secrets (switchboard.completion.exclude). Attach it with #file to send it.`,
        );
      if (skipped.length) response.progress(`Not sent (not readable as text here): ${skipped.join(', ')}`);
      response.progress(`Asking ${config.name} (${config.chatModel})…`);
      await meteredChat({
        provider,
        config,
        meter,
        messages: participantMessages(context.history, userPrompt(request.prompt, items)),
        token,
        onText: (text) => response.markdown(text),
        onThinking: () => response.progress(`${config.name} is thinking…`),
      });
      return { metadata: { backend: config.id, model: config.chatModel } };
    } catch (error) {
      if (ProviderError.is(error, 'cancelled')) return { metadata: { backend: config.id, cancelled: true } };
      const message = error instanceof Error ? error.message : String(error);
      return { errorDetails: { message: `${config.name}: ${message}` }, metadata: { backend: config.id } };
    }
  };
}

export function registerChatParticipant(
  extensionUri: vscode.Uri,
  backends: ChatBackend,
  meter: UsageMeter | undefined,
  chatGate?: ChatGate,
  movingAway?: MovingAway,
): vscode.ChatParticipant {
  const participant = vscode.chat.createChatParticipant(
    PARTICIPANT_ID,
    participantHandler(backends, meter, chatGate, movingAway),
  );
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  return participant;
}
