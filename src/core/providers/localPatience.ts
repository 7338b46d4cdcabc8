/**
 * A local server (Ollama, LM Studio, llama.cpp, vLLM) loads a model on its first request, and
 * unloads it after a while idle: 10–60 s for a mid-sized model, more for a large one on a laptop.
 * A hosted API's first-byte limit (60 s) failed those loads as "too slow". A local backend gets
 * `LOCAL_FIRST_BYTE_MS` to start answering, unless the caller set a limit of its own; the silence
 * limit mid-answer is unchanged. A timeout before the first byte says the model may still be loading.
 */
import { ProviderError } from './providerError';
import type { ChatEvent, ChatRequest, FimRequest, FimResult, Provider } from './types';

export const LOCAL_FIRST_BYTE_MS = 180_000;

const NOT_STARTED = /^The backend did not start answering/;

function patient<T extends { timeoutMs?: number }>(request: T): T {
  return request.timeoutMs === undefined ? { ...request, timeoutMs: LOCAL_FIRST_BYTE_MS } : request;
}

function explained(error: unknown): unknown {
  if (!ProviderError.is(error, 'timeout') || !NOT_STARTED.test(error.message)) return error;
  return new ProviderError({
    kind: 'timeout',
    providerId: error.providerId,
    message: `${error.message} A local model may still be loading: it answers once loaded, and the server keeps it loaded for a while after.`,
  });
}

export function withLocalPatience(provider: Provider, local: boolean): Provider {
  if (!local) return provider;
  return {
    id: provider.id,
    async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
      try {
        yield* provider.chat(patient(request));
      } catch (error) {
        throw explained(error);
      }
    },
    async fim(request: FimRequest): Promise<FimResult> {
      try {
        return await provider.fim(patient(request));
      } catch (error) {
        throw explained(error);
      }
    },
    listModels: provider.listModels.bind(provider),
    probe: provider.probe.bind(provider),
    ...(provider.estimateFimUsage && { estimateFimUsage: provider.estimateFimUsage.bind(provider) }),
    ...(provider.servedModel && { servedModel: provider.servedModel.bind(provider) }),
  };
}
