import type * as vscode from 'vscode';
import { ProviderError } from '../../core/providers/providerError';
import type { ChatMessage, Provider, Usage } from '../../core/providers/types';
import type { ProviderConfig } from '../../core/settings/providerSettings';
import { CHAT_RESERVED_OUTPUT_TOKENS } from '../../core/usage/inFlightSpend';
import type { UsageMeter } from '../../usage/usageMeter';
import { asProviderError } from './runtimeErrors';

/** One chat request to a Switchboard backend on behalf of VS Code's chat, and where its text goes. */
export interface MeteredChat {
  provider: Provider;
  config: ProviderConfig;
  meter: UsageMeter | undefined;
  system?: string;
  messages: ChatMessage[];
  token: vscode.CancellationToken;
  onText(text: string): void;
  /** The model reasons before it answers: said once, before any text. */
  onThinking?(): void;
}

/**
 * Streams one chat answer from a Switchboard backend and records it in the usage ledger as a
 * `chat` request, whether it completed, failed or was stopped (a stopped request may still be
 * billed). Every failure is rethrown as a `ProviderError`, whose message is in plain words.
 */
export async function meteredChat(chat: MeteredChat): Promise<Usage> {
  const { provider, config, meter, token } = chat;
  const controller = new AbortController();
  const cancelled = token.onCancellationRequested(() => controller.abort());
  if (token.isCancellationRequested) controller.abort();
  const startedAt = Date.now();
  const promptText = [chat.system ?? '', ...chat.messages.map((message) => message.content)].join('\n');
  // Budgets count the answer at its worst case until it ends, however it ends.
  const release = meter?.reserve(config, config.chatModel, promptText, CHAT_RESERVED_OUTPUT_TOKENS);
  let answer = '';
  // Billed as output, never shown: counted when a stopped or failed request has no usage.
  let reasoning = '';
  let saidThinking = false;
  try {
    for await (const event of provider.chat({
      system: chat.system,
      messages: chat.messages,
      signal: controller.signal,
      // A failed attempt sent again is a request of its own, billed or counted like any 5xx.
      onRetry: (failed) =>
        meter?.record({
          config,
          feature: 'chat',
          model: config.chatModel,
          startedAt,
          promptText,
          outputText: '',
          error: failed,
        }),
    })) {
      if (event.type === 'text') {
        answer += event.text;
        chat.onText(event.text);
      } else if (event.type === 'thinking') {
        if (!saidThinking && answer === '') chat.onThinking?.();
        saidThinking = true;
        reasoning += event.text;
      } else {
        meter?.record({ config, feature: 'chat', model: config.chatModel, startedAt, usage: event.usage });
        return event.usage;
      }
    }
    // A stream that ends without its closing event did not finish its answer.
    throw new ProviderError({ kind: 'server', providerId: config.id, message: 'The backend ended the answer early.' });
  } catch (error) {
    const failure = asProviderError(error, config.id);
    meter?.record({
      config,
      feature: 'chat',
      model: config.chatModel,
      startedAt,
      promptText,
      outputText: reasoning + answer,
      reasoningText: reasoning,
      error: failure,
    });
    throw failure;
  } finally {
    release?.();
    cancelled.dispose();
  }
}
