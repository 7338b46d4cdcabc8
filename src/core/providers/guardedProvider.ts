/**
 * Wraps any client so what it reports from a server (model ids, names, finish reasons, probe
 * details) reaches the rest of the extension inert and bounded. Chat text itself is left alone: it
 * is rendered as Markdown on purpose, by renderers that never trust it.
 */
import { plainServerText, serverModelId } from './serverText';
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  FimRequest,
  FimResult,
  ModelInfo,
  ProbeResult,
  Provider,
} from './types';

/** A server can list any number of models; a picker needs no more than this. */
export const MAX_LISTED_MODELS = 2_000;
const MAX_REASON_CHARS = 40;

export function guardedProvider(provider: Provider): Provider {
  return {
    id: provider.id,
    async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
      for await (const event of provider.chat(request)) {
        yield event.type === 'done' && event.finishReason !== undefined
          ? { ...event, finishReason: plainServerText(event.finishReason, MAX_REASON_CHARS) }
          : event;
      }
    },
    async fim(request: FimRequest): Promise<FimResult> {
      const result = await provider.fim(request);
      return {
        ...result,
        model: serverModelId(result.model) || serverModelId(request.model ?? '') || 'unknown',
        ...(result.finishReason !== undefined && {
          finishReason: plainServerText(result.finishReason, MAX_REASON_CHARS),
        }),
      };
    },
    ...(provider.estimateFimUsage && { estimateFimUsage: provider.estimateFimUsage.bind(provider) }),
    ...(provider.servedModel && {
      servedModel: async (model: string, options?: CallOptions) =>
        serverModelId((await provider.servedModel?.(model, options)) ?? '') || model,
    }),
    async listModels(options?: CallOptions): Promise<ModelInfo[]> {
      const models: ModelInfo[] = [];
      for (const model of (await provider.listModels(options)).slice(0, MAX_LISTED_MODELS)) {
        const id = serverModelId(model.id);
        if (!id) continue;
        const name = model.name === undefined ? undefined : serverModelId(model.name);
        models.push(name ? { id, name } : { id });
      }
      return models;
    },
    async probe(options?: CallOptions): Promise<ProbeResult> {
      const result = await provider.probe(options);
      return result.detail === undefined ? result : { ...result, detail: plainServerText(result.detail) };
    },
  };
}
