/**
 * The Qwen Code OAuth login (the legacy free tier). Once authorised it is an OpenAI-compatible
 * backend at `https://{resource_url}/v1`; the token comes from Qwen Code's credentials file and is
 * refreshed the way Qwen Code refreshes it. The free tier ended on 2026-04-15, so the likely
 * outcome is an auth or quota error, which says so and points at the alternatives.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProviderConfig } from '../settings/providerSettings';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from './openaiCompatible';
import { ProviderError } from './providerError';
import { QWEN_OAUTH_DISCONTINUED, QwenOAuthCredentials } from './qwenOAuth';
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  FimRequest,
  FimResult,
  ModelInfo,
  Provider,
  ProbeResult,
} from './types';

export interface QwenOAuthProviderOptions extends OpenAICompatibleOptions {
  credentialsFile?: string;
  tokenUrl?: string;
}

export class QwenOAuthProvider implements Provider {
  readonly id: string;
  private readonly credentials: QwenOAuthCredentials;
  private client: { token: string; provider: OpenAICompatibleProvider } | undefined;

  constructor(
    private readonly config: ProviderConfig,
    private readonly options: QwenOAuthProviderOptions = {},
  ) {
    this.id = config.id;
    this.credentials = new QwenOAuthCredentials({
      file: options.credentialsFile ?? join(homedir(), '.qwen', 'oauth_creds.json'),
      providerId: config.id,
      ...(options.tokenUrl && { tokenUrl: options.tokenUrl }),
    });
  }

  async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
    const provider = await this.provider(request.signal);
    try {
      yield* provider.chat(request);
    } catch (error) {
      throw explain(error);
    }
  }

  async fim(request: FimRequest): Promise<FimResult> {
    const provider = await this.provider(request.signal);
    return provider.fim(request).catch((error: unknown) => Promise.reject(explain(error)));
  }

  async listModels(options: CallOptions = {}): Promise<ModelInfo[]> {
    // The portal has no model list; these are the models the login served.
    await this.provider(options.signal);
    return [this.config.chatModel, this.config.completionModel, ...(this.config.preset.models ?? [])]
      .filter((id, index, all) => all.indexOf(id) === index)
      .map((id) => ({ id }));
  }

  async probe(options: CallOptions = {}): Promise<ProbeResult> {
    const started = performance.now();
    try {
      await this.provider(options.signal);
      return { ok: true, latencyMs: performance.now() - started, detail: 'Qwen Code login found' };
    } catch (error) {
      return {
        ok: false,
        latencyMs: performance.now() - started,
        detail: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private async provider(signal: AbortSignal | undefined): Promise<OpenAICompatibleProvider> {
    const { token, baseUrl } = await this.credentials.accessToken(signal);
    if (this.client?.token !== token) {
      const config: ProviderConfig = {
        ...this.config,
        baseUrl: this.config.baseUrl === this.config.preset.baseUrl ? baseUrl : this.config.baseUrl,
      };
      this.client = { token, provider: new OpenAICompatibleProvider(config, token, this.options) };
    }
    return this.client.provider;
  }
}

/** An auth or quota failure from the portal means the free tier is over for this login. */
function explain(error: unknown): unknown {
  if (ProviderError.is(error, 'auth') || ProviderError.is(error, 'quota-exhausted')) {
    return new ProviderError({
      kind: error.kind,
      providerId: error.providerId,
      status: error.status,
      code: error.code,
      retryable: false,
      message: `${error.message} ${QWEN_OAUTH_DISCONTINUED}`,
    });
  }
  return error;
}
