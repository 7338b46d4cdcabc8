/**
 * Ollama runs a prompt in a context window it does not tell the client about, and cuts a prompt
 * that does not fit from its start, silently. Against the emulator, which sizes its window as
 * Ollama does (the request's num_ctx, the Modelfile's, the server default; never beyond the
 * model's trained length) and truncates the same way, over real sockets.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import {
  dropStart,
  fitToContext,
  modelFacts,
  tokensAtMost,
  type OllamaModelFacts,
} from '../../../src/core/providers/ollamaContext';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { FimRequest, Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { startEmulator, type Emulator } from '../../emulator/server';

/** Code before the cursor: `lines` lines of filler, then the line the emulator knows how to finish. */
function prefixOf(lines: number): string {
  const filler = Array.from({ length: lines }, (_, i) => `const item${i} = cart.items[${i}].price * quantity${i % 7};`);
  return `${filler.join('\n')}\nfunction add(a, b) {`;
}
const SUFFIX = '\n}\n';
const ANSWER = '\n  return a + b;';

describe('Ollama context window: reading /api/show', () => {
  it('reads the trained length, a Modelfile num_ctx and suffix support as Ollama writes them', () => {
    const facts = modelFacts({
      parameters: 'num_ctx                        8192\nstop                           "<|endoftext|>"',
      template: '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>{{ end }}',
      model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768, 'llama.context_length': 1 },
      capabilities: ['completion'],
    });
    assert.deepEqual(facts, { suffix: true, contextLength: 32768, numCtx: 8192 });
  });

  it('leaves out what is missing or malformed, and finds a context length under another architecture', () => {
    assert.deepEqual(modelFacts(undefined), { suffix: false });
    assert.deepEqual(modelFacts({ model_info: 'x', parameters: 42, capabilities: 'insert' }), { suffix: false });
    assert.deepEqual(
      modelFacts({
        model_info: { 'general.architecture': 7, 'gemma3.context_length': 131072 },
        capabilities: ['insert'],
      }),
      { suffix: true, contextLength: 131072 },
    );
    assert.deepEqual(
      modelFacts({ model_info: { 'qwen2.context_length': -1 }, parameters: 'num_ctx 0\nnum_ctx_x 9' }),
      { suffix: false },
      'no window from a count that is not one',
    );
  });
});

describe('Ollama context window: fitting the prompt', () => {
  const facts: OllamaModelFacts = { suffix: true, contextLength: 32768 };

  it('counts at least a token per 3.5 ASCII characters and one per other character', () => {
    assert.equal(tokensAtMost('abcdefg'), 2);
    assert.equal(tokensAtMost('日本語'), 3);
    assert.equal(tokensAtMost('😀'), 1, 'a surrogate pair is one character');
  });

  it('sends a prompt that fits the smallest default as before: no num_ctx, nothing cut', () => {
    const fitted = fitToContext({ prefix: prefixOf(100), suffix: SUFFIX }, 128, facts, undefined);
    assert.equal(fitted.numCtx, undefined);
    assert.equal(fitted.cutChars, 0);
    assert.equal(fitted.prefix, prefixOf(100));
  });

  it('asks for a power-of-two window for a larger prompt, keeps it once asked, and stays within the model', () => {
    const large = fitToContext({ prefix: prefixOf(300), suffix: SUFFIX }, 128, facts, undefined);
    assert.equal(large.numCtx, 8192);
    assert.equal(large.cutChars, 0);
    const small = fitToContext({ prefix: prefixOf(10), suffix: SUFFIX }, 128, facts, 8192);
    assert.equal(small.numCtx, 8192, 'another window would reload the model');
    const capped = fitToContext(
      { prefix: prefixOf(300), suffix: SUFFIX },
      128,
      { suffix: true, contextLength: 4096 },
      undefined,
    );
    assert.equal(capped.numCtx, 4096);
    assert.ok(capped.cutChars > 0 && capped.prefix.endsWith('function add(a, b) {'), 'cut from the start');
    assert.ok(tokensAtMost(capped.prefix + SUFFIX) + 128 + 32 <= 4096);
  });

  it("never overrides a Modelfile's num_ctx: the prompt is cut at a line start to fit it", () => {
    const fitted = fitToContext({ prefix: prefixOf(300), suffix: SUFFIX }, 128, { ...facts, numCtx: 1024 }, undefined);
    assert.equal(fitted.numCtx, undefined);
    assert.ok(tokensAtMost(fitted.prefix + SUFFIX) + 128 + 32 <= 1024);
    assert.match(fitted.prefix, /^const item\d+ = /, 'whole lines');
    assert.equal(fitted.suffix, SUFFIX);
  });

  it('cuts a raw prompt through the caller, which knows where its prefix is', () => {
    const prefix = prefixOf(300);
    const build = (code: string) => `<|fim_prefix|>${code}<|fim_suffix|>${SUFFIX}<|fim_middle|>`;
    const fitted = fitToContext(
      { prefix, suffix: SUFFIX, raw: build(prefix), rawCut: (chars) => build(dropStart(prefix, chars)) },
      128,
      { suffix: false, numCtx: 1024 },
      undefined,
    );
    assert.ok(fitted.raw?.startsWith('<|fim_prefix|>const item'));
    assert.ok(tokensAtMost(fitted.raw ?? '') + 128 + 32 <= 1024);
  });

  it('drops at least the characters asked, to the next line start', () => {
    assert.equal(dropStart('ab\ncd\nef', 1), 'cd\nef');
    assert.equal(dropStart('ab\ncd\nef', 3), 'cd\nef');
    assert.equal(dropStart('ab\ncd\nef', 4), 'ef');
    assert.equal(dropStart('abcdef', 2), 'cdef', 'one long line is cut where asked');
    assert.equal(dropStart('abc', 9), '');
  });
});

describe('Ollama context window, against the emulator', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());
  beforeEach(() => emulator.configure({ ollama: undefined }));

  const provider = (): Provider => {
    const { providers } = parseProviders([
      { id: 'ollama', preset: 'ollama', baseUrl: emulator.baseUrls.ollama, completionModel: 'emulator-coder' },
    ]);
    assert.ok(providers[0]);
    return createProvider(providers[0], undefined);
  };
  /** Sends one FIM request; returns the answer and what the emulator recorded of the generate call. */
  const fim = async (backend: Provider, request: FimRequest) => {
    const before = emulator.requests.length;
    const result = await backend.fim({ maxTokens: 128, ...request });
    const generate = emulator.requests.slice(before).find((recorded) => recorded.path === '/api/generate');
    assert.ok(generate?.context, 'the generate call was recorded with its window');
    return {
      result,
      generate,
      context: generate.context,
      options: (generate.body as { options?: Record<string, unknown> }).options,
    };
  };

  it('a prompt larger than the server default goes with a num_ctx that holds it: nothing is truncated', async () => {
    emulator.configure({ ollama: { defaultNumCtx: 2048 } });
    const prefix = prefixOf(250);
    const { result, context, options } = await fim(provider(), { prefix, suffix: SUFFIX });
    assert.equal(
      context.truncatedTokens,
      0,
      `truncated ${context.truncatedTokens} tokens in a window of ${context.numCtx}`,
    );
    assert.equal(options?.num_ctx, 4096);
    assert.equal(result.text, ANSWER);
  });

  it('a small prompt is sent as before, without num_ctx; after a window was asked for, the model keeps it', async () => {
    const backend = provider();
    const small = await fim(backend, { prefix: prefixOf(20), suffix: SUFFIX });
    assert.equal(small.options?.num_ctx, undefined);
    await fim(backend, { prefix: prefixOf(250), suffix: SUFFIX });
    const again = await fim(backend, { prefix: prefixOf(20), suffix: SUFFIX });
    assert.equal(again.options?.num_ctx, 4096, 'the same window: the model is not reloaded');
  });

  it("a Modelfile's num_ctx is kept, and the prompt is cut from its start to fit, the cursor's line whole", async () => {
    emulator.configure({ ollama: { modelNumCtx: { 'emulator-coder:latest': 1024 } } });
    const { result, context, options, generate } = await fim(provider(), { prefix: prefixOf(250), suffix: SUFFIX });
    assert.equal(options?.num_ctx, undefined, 'the Modelfile says');
    assert.equal(context.numCtx, 1024);
    assert.equal(context.truncatedTokens, 0);
    const sent = (generate.body as { prompt: string }).prompt;
    assert.ok(
      sent.endsWith('function add(a, b) {') && sent.startsWith('const item'),
      'whole lines, cut from the start',
    );
    assert.equal(result.text, ANSWER);
    assert.ok(result.usage.reported && result.usage.inputTokens <= 1024);
  });

  it("never asks for more than the model's trained length", async () => {
    emulator.configure({ ollama: { contextLength: 4096, defaultNumCtx: 2048 } });
    const { context, options, result } = await fim(provider(), { prefix: prefixOf(600), suffix: SUFFIX });
    assert.equal(options?.num_ctx, 4096);
    assert.equal(context.truncatedTokens, 0);
    assert.equal(result.text, ANSWER);
  });

  it('a raw template prompt is cut through its builder, its FIM tokens intact', async () => {
    emulator.configure({ ollama: { modelNumCtx: { 'emulator-chat:latest': 1024 } } });
    const { providers } = parseProviders([
      { id: 'raw', preset: 'ollama', baseUrl: emulator.baseUrls.ollama, completionModel: 'emulator-chat' },
    ]);
    const prefix = prefixOf(250);
    const build = (code: string) => `<|fim_prefix|>${code}<|fim_suffix|>${SUFFIX}<|fim_middle|>`;
    const { context, result, generate } = await fim(createProvider(providers[0]!, undefined), {
      prefix,
      suffix: SUFFIX,
      rawPrompt: build(prefix),
      rawPromptCut: (chars) => build(dropStart(prefix, chars)),
      rawStop: ['<|endoftext|>'],
    });
    assert.equal(context.truncatedTokens, 0);
    assert.match((generate.body as { prompt: string }).prompt, /^<\|fim_prefix\|>const item\d+ = /);
    assert.equal(result.route, 'ollama-raw');
    assert.equal(result.text, ANSWER);
  });

  it('reads at most 1 MB of /api/show: a longer answer fails the request, and the model is asked again next time', async () => {
    const backend = provider();
    emulator.fault({ path: '/api/show', kind: 'huge-body', bytes: 4 * 1024 * 1024, times: 1 });
    await assert.rejects(
      backend.fim({ prefix: prefixOf(20), suffix: SUFFIX }),
      (error: unknown) => ProviderError.is(error, 'server') && /more than 1 MB/.test(error.message),
    );
    const { options, result } = await fim(backend, { prefix: prefixOf(20), suffix: SUFFIX });
    assert.equal(options?.num_ctx, undefined);
    assert.equal(result.text, ANSWER);
  });
});
