/**
 * The Language Model Chat Provider API, stable since VS Code 1.104. `@types/vscode` is pinned to
 * 1.100 (our lowest supported version), which has no types for it, so the few shapes used here are
 * declared by hand from the 1.104 `vscode.d.ts` and reached only after feature detection.
 *
 * Checked against VS Code 1.104.0's extension host (code-server 4.104.0):
 * `lm.registerLanguageModelChatProvider(vendor, provider)` records the provider and calls
 * `provideLanguageModelChatInformation({ silent }, token)`, then passes the same information object
 * back to `provideLanguageModelChatResponse(info, messages, options, progress, token)` and
 * `provideTokenCount(info, text, token)`. The vendor must also be declared under
 * `contributes.languageModelChatProviders`, or the workbench rejects it.
 */
import * as vscode from 'vscode';

/** One model in VS Code's model picker (`LanguageModelChatInformation`). */
export interface LanguageModelChatInformation {
  /** Unique within the provider; VS Code shows the model as `<vendor>/<id>`. */
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

/** A message as the provider receives it (`LanguageModelChatRequestMessage`). */
export interface LanguageModelChatRequestMessage {
  readonly role: vscode.LanguageModelChatMessageRole;
  readonly content: ReadonlyArray<unknown>;
  readonly name: string | undefined;
}

/** `ProvideLanguageModelChatResponseOptions`: tools and model options, which Switchboard does not use. */
export interface ProvideLanguageModelChatResponseOptions {
  readonly modelOptions?: { readonly [name: string]: unknown };
}

export interface LanguageModelChatProvider<T extends LanguageModelChatInformation = LanguageModelChatInformation> {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(
    options: { readonly silent: boolean },
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<T[]>;
  provideLanguageModelChatResponse(
    model: T,
    messages: readonly LanguageModelChatRequestMessage[],
    options: ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelTextPart>,
    token: vscode.CancellationToken,
  ): Thenable<void>;
  provideTokenCount(
    model: T,
    text: string | LanguageModelChatRequestMessage,
    token: vscode.CancellationToken,
  ): Thenable<number>;
}

type RegisterLanguageModelChatProvider = (vendor: string, provider: LanguageModelChatProvider) => vscode.Disposable;

/** `vscode.lm.registerLanguageModelChatProvider` where this VS Code has it (1.104 and later), else undefined. */
export function languageModelChatProviderApi(): RegisterLanguageModelChatProvider | undefined {
  const lm = vscode.lm as unknown as { registerLanguageModelChatProvider?: unknown } | undefined;
  const register = lm?.registerLanguageModelChatProvider;
  return typeof register === 'function' ? (register.bind(lm) as RegisterLanguageModelChatProvider) : undefined;
}
