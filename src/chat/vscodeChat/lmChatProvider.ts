/**
 * Switchboard's backends as models in VS Code's own model picker (`vscode.lm`, VS Code 1.104+):
 * one model per configured backend, answering from that backend's chat model.
 */
import * as vscode from 'vscode';
import type { Backends } from '../../backends/backends';
import { estimateTokens } from '../../core/providers/usage';
import type { ProviderConfig } from '../../core/settings/providerSettings';
import type { UsageMeter } from '../../usage/usageMeter';
import { languageModelMessages, textOf } from './chatMessages';
import type {
  LanguageModelChatInformation,
  LanguageModelChatProvider,
  LanguageModelChatRequestMessage,
  ProvideLanguageModelChatResponseOptions,
} from './lmApi';
import { meteredChat } from './meteredChat';
import type { ChatGate } from '../chatGate';

/** A model in the picker, remembering which backend it stands for. */
export interface SwitchboardModel extends LanguageModelChatInformation {
  readonly backendId: string;
}

/**
 * Context windows differ by model and no backend reports them in one way, so these are sizes most
 * current chat models accept; a smaller local model reports an overlong prompt as an error.
 */
const HOSTED_LIMITS = { maxInputTokens: 128_000, maxOutputTokens: 8_192 };
const LOCAL_LIMITS = { maxInputTokens: 32_768, maxOutputTokens: 4_096 };

/** One model for a backend: `<backend id>/<chat model>`, named "Backend · model". */
export function modelInfo(config: ProviderConfig): SwitchboardModel {
  return {
    id: `${config.id}/${config.chatModel}`,
    name: `${config.name} · ${config.chatModel}`,
    family: config.chatModel,
    // Opaque to VS Code; the backend id tells apart two backends serving the same model.
    version: config.id,
    detail: 'Switchboard',
    tooltip: `${config.chatModel} on ${config.name} (${config.preset.name}), through Switchboard`,
    ...(config.preset.local ? LOCAL_LIMITS : HOSTED_LIMITS),
    // Switchboard's backends are used for plain chat; tools and images are not passed through.
    capabilities: { toolCalling: false, imageInput: false },
    backendId: config.id,
  };
}

export class SwitchboardLanguageModels implements LanguageModelChatProvider<SwitchboardModel>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly backends: Backends,
    private readonly meter: UsageMeter | undefined,
    private readonly chatGate?: ChatGate,
  ) {
    // VS Code asks for the list again when told it changed: settings, keys.
    this.subscription = backends.onDidChange(() => this.changed.fire());
  }

  /**
   * Every configured backend that can answer now. Never prompts: a backend without its key is left
   * out until one is set (which fires the change event). VS Code's own models are left out too, so
   * a request can never go round from VS Code to Switchboard and back.
   */
  async provideLanguageModelChatInformation(): Promise<SwitchboardModel[]> {
    const usable = this.backends
      .current()
      .providers.filter((config) => config.preset.protocol !== 'vscode-lm' && !config.preset.discontinued);
    const ready = await Promise.all(usable.map((config) => this.backends.isReady(config)));
    return usable.filter((_, index) => ready[index]).map(modelInfo);
  }

  async provideLanguageModelChatResponse(
    model: SwitchboardModel,
    messages: readonly LanguageModelChatRequestMessage[],
    _options: ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelTextPart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const config = this.backends.current().providers.find((candidate) => candidate.id === model.backendId);
    if (!config || config.preset.protocol === 'vscode-lm') {
      throw vscode.LanguageModelError.NotFound(`Switchboard has no backend "${model.backendId}" any more.`);
    }
    const refused = await this.chatGate?.(config);
    if (refused) throw vscode.LanguageModelError.NoPermissions(`Not sent: ${refused}`);
    const provider = await this.backends.providerForConfig(config);
    await meteredChat({
      provider,
      config,
      meter: this.meter,
      ...languageModelMessages(messages),
      token,
      onText: (text) => progress.report(new vscode.LanguageModelTextPart(text)),
    }).catch((error: unknown) => {
      // A request the caller cancelled ends quietly; anything else reaches the caller with the backend's message.
      if (token.isCancellationRequested) return;
      throw error;
    });
  }

  async provideTokenCount(_model: SwitchboardModel, text: string | LanguageModelChatRequestMessage): Promise<number> {
    return estimateTokens(textOf(text));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
