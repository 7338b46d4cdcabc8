/**
 * The heavy half of the extension: the SDK clients. Bundled to its own file and required on
 * first use (see `loadProviderRuntime`), so activation does not pay for parsing the SDKs.
 */
import { OpenAICompatibleProvider } from './core/providers/openaiCompatible';
import type { Provider } from './core/providers/types';
import type { ProviderConfig } from './core/settings/providerSettings';

export function createProvider(config: ProviderConfig, apiKey: string | undefined): Provider {
  switch (config.preset.protocol) {
    case 'openai':
      return new OpenAICompatibleProvider(config, apiKey);
    default:
      // The provider-layer work adds the Anthropic and Ollama clients; until then say so plainly.
      throw new Error(`The ${config.preset.protocol} protocol is not supported yet by this version of Switchboard.`);
  }
}
