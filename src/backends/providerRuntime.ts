/**
 * The heavy half of the extension: the SDK clients. Bundled to its own file and required on
 * first use (see `loadProviderRuntime`), so activation does not pay for parsing the SDKs.
 */
import { AnthropicProvider } from '../core/providers/anthropic';
import { OllamaProvider } from '../core/providers/ollama';
import { OpenAICompatibleProvider } from '../core/providers/openaiCompatible';
import { ProviderError } from '../core/providers/providerError';
import { QwenOAuthProvider } from '../core/providers/qwenOAuthProvider';
import type { Provider, ProviderHooks } from '../core/providers/types';
import type { ProviderConfig } from '../core/settings/providerSettings';

// Pricing carries the price dataset, so it loads with the clients rather than at activation.
export { pricePerMTok, priceRequest } from '../core/usage/pricing';

export interface RuntimeOptions {
  hooks?: ProviderHooks;
  /** Qwen Code's credentials file, for the qwen-oauth preset. */
  qwenCredentialsFile?: string;
}

export function createProvider(
  config: ProviderConfig,
  apiKey: string | undefined,
  options: RuntimeOptions = {},
): Provider {
  const clientOptions = { hooks: options.hooks };
  switch (config.preset.protocol) {
    case 'openai':
      return new OpenAICompatibleProvider(config, apiKey, clientOptions);
    case 'anthropic':
      return new AnthropicProvider(config, apiKey, clientOptions);
    case 'ollama':
      return new OllamaProvider(config, apiKey, clientOptions);
    case 'qwen-oauth':
      return new QwenOAuthProvider(config, { ...clientOptions, credentialsFile: options.qwenCredentialsFile });
    case 'vscode-lm':
      // Served through the editor's `vscode.lm`, which this bundle must not load: see `createClient` in backends.ts.
      throw new ProviderError({
        kind: 'bad-request',
        providerId: config.id,
        message: 'VS Code language models are reached through VS Code, not over HTTP; this client cannot serve them.',
      });
    default:
      return unknownProtocol(config.preset.protocol);
  }
}

/** A protocol added to the catalogue without a client fails type-checking here. */
function unknownProtocol(protocol: never): never {
  throw new Error(`No client for protocol ${String(protocol)}`);
}
