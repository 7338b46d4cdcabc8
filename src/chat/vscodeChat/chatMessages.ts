/** VS Code's chat shapes turned into the plain messages every Switchboard backend takes. */
import * as vscode from 'vscode';
import type { ChatMessage, ChatRole } from '../../core/providers/types';
import type { LanguageModelChatRequestMessage } from './lmApi';

/**
 * A participant's conversation so far, then the new prompt. VS Code does not add history to the
 * prompt itself; it hands over this participant's earlier turns only.
 */
export function participantMessages(history: vscode.ChatContext['history'], prompt: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of history) {
    // Duck-typed: the turn classes have private constructors, and their fields are the API.
    if ('prompt' in turn) push(messages, 'user', turn.prompt);
    else if ('response' in turn) push(messages, 'assistant', responseText(turn.response));
  }
  push(messages, 'user', prompt);
  return messages;
}

function responseText(parts: vscode.ChatResponseTurn['response']): string {
  return parts
    .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
    .join('')
    .trim();
}

/**
 * Messages sent to one of Switchboard's models through `vscode.lm`. Only text travels: the models
 * declare no tool calling or image input, so other parts carry nothing a backend could use.
 * `LanguageModelChatMessageRole` has no stable System role; a proposed one (3) becomes `system`.
 */
export function languageModelMessages(messages: readonly LanguageModelChatRequestMessage[]): {
  system?: string;
  messages: ChatMessage[];
} {
  const system: string[] = [];
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const content = textOf(message);
    if (message.role === vscode.LanguageModelChatMessageRole.User) push(out, 'user', content);
    else if (message.role === vscode.LanguageModelChatMessageRole.Assistant) push(out, 'assistant', content);
    else if (content) system.push(content);
  }
  return { ...(system.length && { system: system.join('\n\n') }), messages: out };
}

/** The text of a message the provider received, or of a plain string. */
export function textOf(message: string | LanguageModelChatRequestMessage): string {
  if (typeof message === 'string') return message;
  return message.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** Appends a turn, merging it into the previous one of the same role: some backends insist roles alternate. */
function push(messages: ChatMessage[], role: ChatRole, content: string): void {
  if (!content) return;
  const last = messages[messages.length - 1];
  if (last?.role === role) last.content += `\n\n${content}`;
  else messages.push({ role, content });
}
