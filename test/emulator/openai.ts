/**
 * The OpenAI-compatible API: `/models`, `/chat/completions` (SSE, with the final usage chunk when
 * `stream_options.include_usage` is set) and the legacy `/completions` with `suffix`. DashScope's
 * compatible mode, DeepSeek and OpenRouter serve the same routes with their own quirks.
 * Chat: https://platform.openai.com/docs/api-reference/chat/create and
 *   https://platform.openai.com/docs/api-reference/chat-streaming
 * Legacy completions: https://platform.openai.com/docs/api-reference/completions/create
 * OpenRouter's usage chunk and `: OPENROUTER PROCESSING` comments:
 *   https://openrouter.ai/docs/api-reference/streaming
 * DeepSeek's cache counters in usage: https://api-docs.deepseek.com/guides/kv_cache
 */
import { chatAnswer, DEFAULT_FIM_RULES, fimAnswer } from './answers';
import type { RequestContext } from './context';
import { badRequest, openAiError, streamFailure, type Reply } from './errors';
import { generate, numberOr, stopList, stringOr, type Generation } from './generation';
import { DEFAULT_MODELS } from './options';
import { chatInWindow } from './ollamaWindow';
import { IMPLICIT_CACHE_RULES } from './prefixCache';
import type { EventStream } from './sse';
import { approxTokens, chunkWords } from './tokens';

/**
 * OpenAI's reasoning models (the GPT-5 family, o1 and later) refuse what older chat models take:
 * `max_tokens` (`max_completion_tokens` instead), a temperature other than the default 1, and
 * `stop`; models before gpt-5.1 know no `reasoning_effort: "none"`.
 * https://platform.openai.com/docs/guides/reasoning
 */
function reasoningModelRefusal(model: string, body: Record<string, unknown>): Reply | undefined {
  if (!/^(?:gpt-5|o[1-9])(?:[.-]|$)/.test(model)) return undefined;
  const refuse = (message: string, param: string, code: string): Reply => ({
    status: 400,
    body: openAiError(message, 'invalid_request_error', code, param),
  });
  if (body.max_tokens !== undefined)
    return refuse(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
      'unsupported_parameter',
    );
  if (body.temperature !== undefined && body.temperature !== 1)
    return refuse(
      `Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`,
      'temperature',
      'unsupported_value',
    );
  if (body.stop !== undefined && body.stop !== null)
    return refuse("Unsupported parameter: 'stop' is not supported with this model.", 'stop', 'unsupported_parameter');
  if (body.reasoning_effort === 'none' && !/^gpt-5\.\d/.test(model))
    return refuse(
      `Unsupported value: 'reasoning_effort' does not support 'none' with this model. Supported values are: 'minimal', 'low', 'medium', and 'high'.`,
      'reasoning_effort',
      'unsupported_value',
    );
  return undefined;
}

/**
 * Mistral's chat API (same `/v1/chat/completions` path, told apart here by Mistral's model ids)
 * validates its body strictly: a field it does not know, such as OpenAI's `stream_options` or
 * `max_completion_tokens`, is a 422 in FastAPI's shape. Its streams carry usage in the last chunk
 * unasked. https://docs.mistral.ai/api/#tag/chat
 */
/**
 * Moonshot's Kimi K2.5 and later take only their own temperature (1 while thinking, their
 * default; 0.6 with thinking off) and refuse any other with a 400 in Moonshot's own shape.
 * https://platform.moonshot.ai/docs (the model's quickstart)
 */
function kimiRefusal(model: string, body: Record<string, unknown>): Reply | undefined {
  if (!/^kimi-k(?:2\.[5-9]|[3-9])/.test(model) || body.temperature === undefined) return undefined;
  const own = (body.thinking as { type?: unknown } | undefined)?.type === 'disabled' ? 0.6 : 1;
  if (body.temperature === own) return undefined;
  return {
    status: 400,
    body: {
      error: { message: `invalid temperature: only ${own} is allowed for this model`, type: 'invalid_request_error' },
    },
  };
}

/** What a thinking model writes before its answer: about a hundred tokens of it. */
export const REASONING =
  'The user wants the code that fills the hole. Let me read the code before it and after it, work out what the function is for, and check which names are already in scope. '.repeat(
    4,
  );

/**
 * GLM-4.5 and later (Z.ai) and Kimi K2.5 and later (Moonshot) think before they answer unless the
 * request says `thinking: {"type": "disabled"}`; the reasoning streams as `reasoning_content` and
 * counts against `max_tokens`. https://docs.z.ai/guides/capabilities/thinking-mode and
 * https://platform.kimi.ai/docs/api/models-overview
 */
function thinksFirst(ctx: RequestContext, model: string, body: Record<string, unknown>): boolean {
  if (isAlibaba(ctx)) return alibabaThinks(model, body);
  if (ctx.dialect === 'openai' && OLLAMA_THINKER.test(model)) return body.reasoning_effort !== 'none';
  if (ctx.dialect === 'openai' && LMSTUDIO_THINKER.test(model)) return body.reasoning_effort !== 'none';
  if (ctx.dialect === 'openai' && TEMPLATE_THINKER.test(model)) return templateThinks(body);
  if (ctx.dialect === 'openrouter') return openRouterThinks(model, body);
  if (ctx.dialect !== 'openai' && ctx.dialect !== 'zai') return false;
  if (!/^(?:glm-(?:4\.[5-9]|[5-9])|kimi-k(?:2\.[5-9]|[3-9]))/.test(model)) return false;
  const thinking = body.thinking as { type?: unknown } | undefined;
  return thinking?.type !== 'disabled';
}

/**
 * A reasoning model on a server that does not separate its reasoning (vLLM without
 * `--reasoning-parser`, older Ollama and LM Studio): the reasoning comes in the content itself,
 * between `<think>` and `</think>`, before the answer.
 */
function thinksInContent(ctx: RequestContext, model: string): boolean {
  return ctx.dialect === 'openai' && /deepseek-r1|^qwq/i.test(model);
}

/**
 * OpenRouter passes a reasoning model's default on (GLM-4.5 and later, Kimi K2.5 and later,
 * DeepSeek R1, Qwen3.5 and later, QwQ) unless the request's `reasoning` says `effort: "none"` or
 * `enabled: false`; the reasoning streams in the delta's `reasoning` field.
 * https://openrouter.ai/docs/use-cases/reasoning-tokens
 */
function openRouterThinks(model: string, body: Record<string, unknown>): boolean {
  const name = model.slice(model.indexOf('/') + 1);
  if (!/^(?:glm-(?:4\.[5-9]|[5-9])|kimi-k(?:2\.[5-9]|[3-9])|deepseek-r1|qwen3\.[5-9]|qwq)/.test(name)) return false;
  const reasoning = (body.reasoning ?? {}) as { effort?: unknown; enabled?: unknown };
  return reasoning.effort !== 'none' && reasoning.enabled !== false;
}

/**
 * Ollama's OpenAI-compatible endpoint (`/v1`, served here by the openai routes): its thinking
 * models, by Ollama's `name:tag` ids, think unless the request says `reasoning_effort: "none"`, the
 * only switch that endpoint reads, and stream it in the delta's `reasoning` (ollama/ollama#12004,
 * ollama/ollama#14820; aictrl-dev/cli#75 measured it).
 */
export const OLLAMA_THINKER = /^(?:qwen3(?:\.\d+)?|gpt-oss|magistral):/;

/**
 * A hybrid Qwen3 served by llama.cpp (`--jinja`) or vLLM, by its GGUF file or Hugging Face name:
 * its chat template thinks unless the request's `chat_template_kwargs` sets `enable_thinking`
 * false, and the server streams the reasoning as `reasoning_content` (llama-server's default
 * reasoning format; vLLM's qwen3 reasoning parser). The Instruct-2507 and Coder releases do not
 * think. https://qwen.readthedocs.io/en/latest/deployment/vllm.html#thinking-non-thinking-modes and
 * llama.cpp's tools/server/README.md (`chat_template_kwargs`).
 */
const TEMPLATE_THINKER = /(?:^|\/)qwen3-\d+(?:\.\d+)?b(?:-a\d+b)?(?![\w.-]*(?:instruct|coder))/i;

/**
 * A Qwen3.5 or later loaded in LM Studio, by LM Studio's model key (`qwen/qwen3.5-9b`,
 * `qwen3.5-9b`): it thinks unless the request says `reasoning_effort: "none"`, which LM Studio's
 * `/v1/chat/completions` reads (0.4.17, lmstudio-bug-tracker#2057); it ignores
 * `chat_template_kwargs` and `enableThinking` (lmstudio-bug-tracker#1990), and streams the
 * reasoning as `reasoning_content`.
 */
const LMSTUDIO_THINKER = /^(?:qwen\/)?qwen3\.\d+-\d+b$/;

function templateThinks(body: Record<string, unknown>): boolean {
  const kwargs = body.chat_template_kwargs as { enable_thinking?: unknown } | undefined;
  return kwargs?.enable_thinking !== false;
}

/**
 * Where a stream carries reasoning: OpenRouter's and Ollama's own `reasoning`, or
 * `reasoning_content` as DeepSeek named it.
 */
function reasoningField(ctx: RequestContext, model: string): 'reasoning' | 'reasoning_content' {
  return ctx.dialect === 'openrouter' || OLLAMA_THINKER.test(model) ? 'reasoning' : 'reasoning_content';
}

function isAlibaba(ctx: RequestContext): boolean {
  return ctx.dialect === 'dashscope' || ctx.dialect === 'coding-plan';
}

/** Alibaba's thinking-only models (QwQ, the `-thinking` releases): their thinking cannot be turned off. */
const ALIBABA_THINKING_ONLY = /^qwq|-thinking(?:-|$)/;
/** Alibaba's hybrid models that think unless told not to: Qwen3.5 and later, and the open Qwen3 releases. */
const ALIBABA_THINKS_BY_DEFAULT = /^qwen3\.[5-9]|^qwen3-\d+b(?:-a\d+b)?$/;

/**
 * On Model Studio and the Coding Plan, `enable_thinking` switches a hybrid model's thinking; Qwen3.5
 * and later and the open Qwen3 models think by default, the commercial Qwen3 and coder models do
 * not. https://docs.qwencloud.com/developer-guides/text-generation/thinking
 */
function alibabaThinks(model: string, body: Record<string, unknown>): boolean {
  if (ALIBABA_THINKING_ONLY.test(model)) return true;
  if (body.enable_thinking === true) return true;
  return body.enable_thinking === undefined && ALIBABA_THINKS_BY_DEFAULT.test(model);
}

/**
 * Alibaba refuses to turn off a thinking-only model's thinking, and any thinking without a stream,
 * with these 400s (as users quote them: langchain4j/langchain4j#3974, infiniflow/ragflow#8972,
 * TokenRhythm/opensquilla#794).
 */
function alibabaThinkingRefusal(ctx: RequestContext, model: string, body: Record<string, unknown>): Reply | undefined {
  if (!isAlibaba(ctx)) return undefined;
  if (ALIBABA_THINKING_ONLY.test(model) && body.enable_thinking === false)
    return badRequest(
      ctx.dialect,
      '<400> InternalError.Algo.InvalidParameter: The value of the enable_thinking parameter is restricted to True.',
      ctx.requestId,
    );
  if (body.stream !== true && alibabaThinks(model, body))
    return badRequest(
      ctx.dialect,
      'parameter.enable_thinking must be set to false for non-streaming calls',
      ctx.requestId,
    );
  return undefined;
}

/**
 * Gemini 2.5 and later think unless told otherwise, and on the OpenAI-compatible endpoint the
 * thinking is not shown: it takes time and counts against `max_tokens`. `reasoning_effort` sets
 * it: "none" turns it off on 2.5 Flash and Flash-Lite only (2.5 Pro and Gemini 3 and later refuse
 * a budget of 0), "minimal" is not taken by Gemini 4, 3.8 Flash or 3.1 Pro.
 * https://ai.google.dev/gemini-api/docs/openai, https://ai.google.dev/gemini-api/docs/thinking;
 * the refusal's words as users quote them (docker/docker-agent#2051). A level a model does not
 * take gets Google's generic words, which name no parameter.
 */
const GEMINI_THINKS = /^gemini-(?:2\.5|[3-9]|\d{2,})(?:[.-]|$)/;

/** Tokens a Gemini model thinks, unseen, before it answers. */
function geminiThoughtTokens(ctx: RequestContext, model: string, body: Record<string, unknown>): number {
  if (ctx.dialect !== 'gemini' || !GEMINI_THINKS.test(model)) return 0;
  switch (body.reasoning_effort) {
    case 'none':
    case 'minimal':
      return 0;
    case 'low':
      return 24;
    default:
      return chunkWords(REASONING).length;
  }
}

function geminiThinkingRefusal(ctx: RequestContext, model: string, body: Record<string, unknown>): Reply | undefined {
  if (ctx.dialect !== 'gemini' || !GEMINI_THINKS.test(model)) return undefined;
  if (body.reasoning_effort === 'none' && !/^gemini-2\.5-flash/.test(model))
    return badRequest(ctx.dialect, 'Budget 0 is invalid. This model only works in thinking mode.', ctx.requestId);
  if (body.reasoning_effort === 'minimal' && /^gemini-(?:4|3\.8-flash|3\.1-pro)/.test(model))
    return badRequest(ctx.dialect, 'Request contains an invalid argument.', ctx.requestId);
  return undefined;
}

function isMistralModel(model: string): boolean {
  return /^(?:mistral|codestral|devstral|magistral|ministral|pixtral|open-mi[sx]tral)/.test(model);
}

function mistralRefusal(model: string, body: Record<string, unknown>): Reply | undefined {
  if (!isMistralModel(model)) return undefined;
  const extra = (['stream_options', 'max_completion_tokens', 'reasoning_effort'] as const).find(
    (field) => body[field] !== undefined,
  );
  if (!extra) return undefined;
  const value = body[extra];
  const nested = extra === 'stream_options' && typeof value === 'object' && value !== null;
  const [key, input] = nested ? (Object.entries(value)[0] ?? [undefined, value]) : [undefined, value];
  return {
    status: 422,
    body: {
      object: 'error',
      message: {
        detail: [
          {
            type: 'extra_forbidden',
            loc: ['body', extra, ...(key === undefined ? [] : [key])],
            msg: 'Extra inputs are not permitted',
            input,
          },
        ],
      },
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
  };
}

export function listModels(ctx: RequestContext): Promise<void> {
  const models = ctx.settings.models ?? DEFAULT_MODELS;
  return ctx.ok({
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'emulator' })),
  });
}

interface ChatMessage {
  role?: string;
  content?: unknown;
}

/** Message content as text: a string, or the text parts of a content array. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: unknown }) =>
      part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

export async function chatCompletions(ctx: RequestContext): Promise<void> {
  const body = ctx.json;
  const model = stringOr(body.model, 'emulator-chat');
  const refused =
    ctx.dialect === 'openai'
      ? (reasoningModelRefusal(model, body) ?? mistralRefusal(model, body) ?? kimiRefusal(model, body))
      : (alibabaThinkingRefusal(ctx, model, body) ?? geminiThinkingRefusal(ctx, model, body));
  if (refused) return ctx.send(refused);
  const messages = Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [];
  // A test that sizes Ollama's window plays Ollama here: its /v1 reads the chat in that window too.
  const ollama =
    ctx.dialect === 'openai' && ctx.settings.ollama
      ? chatInWindow(
          ctx,
          model.includes(':') ? model : `${model}:latest`,
          {},
          messages.map((message) => ({ role: String(message.role), content: contentText(message.content) })),
        )
      : undefined;
  const asked = ollama?.lastUser ?? contentText([...messages].reverse().find((m) => m.role === 'user')?.content);
  const maxTokens = numberOr(body.max_completion_tokens, numberOr(body.max_tokens, undefined));
  // A model that thinks first spends its output tokens on reasoning before any answer.
  const reasoning = thinksFirst(ctx, model, body) ? chunkWords(REASONING).slice(0, maxTokens) : [];
  const inContent = thinksInContent(ctx, model) ? ['<think>\n', ...chunkWords(REASONING), '\n</think>\n\n'] : [];
  // Gemini thinks unseen, within the same budget.
  const thought = Math.min(geminiThoughtTokens(ctx, model, body), maxTokens ?? Infinity);
  const generation = generate(
    ctx.settings.chatResponder?.(asked) ??
      chatAnswer(asked, ctx.settings.fimRules ?? DEFAULT_FIM_RULES, ctx.settings.fimResponder),
    {
      stop: stopList(body.stop),
      maxTokens:
        maxTokens === undefined ? undefined : Math.max(0, maxTokens - thought - reasoning.length - inContent.length),
    },
  );
  const promptTokens =
    ollama?.tokens ?? approxTokens(messages.map((message) => contentText(message.content)).join('\n'));
  // The cache sees the conversation as the model does: each role, then its text, in order.
  const rendered = messages.map((message) => `${String(message.role)}\n${contentText(message.content)}\n`).join('');
  const usage = usageFor(
    ctx,
    promptTokens,
    thought + reasoning.length + inContent.length + generation.chunks.length,
    rendered,
    thought + reasoning.length,
  );
  const id = ctx.nextId(ctx.dialect === 'openrouter' ? 'gen-emu' : 'chatcmpl-emu');
  const created = Math.floor(ctx.now() / 1000);

  if (body.stream !== true) {
    if (!(await ctx.pace(thought + reasoning.length + inContent.length + generation.chunks.length))) return;
    return ctx.ok({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: inContent.join('') + generation.text,
            ...(reasoning.length > 0 && { [reasoningField(ctx, model)]: reasoning.join('') }),
          },
          finish_reason: generation.finishReason,
        },
      ],
      usage,
    });
  }
  const base = { id, object: 'chat.completion.chunk', created, model };
  // The first chunk comes once the unseen thinking is done.
  if (thought > 0 && !(await ctx.pace(thought))) return;
  const stream = ctx.stream('sse', streamFailure(ctx.dialect, base));
  if (ctx.dialect === 'openrouter') stream.comment('OPENROUTER PROCESSING');
  for (const chunk of reasoning)
    if (
      !(await stream.send(
        {
          data: {
            ...base,
            choices: [{ index: 0, delta: { [reasoningField(ctx, model)]: chunk }, finish_reason: null }],
          },
        },
        true,
      ))
    )
      return;
  if (!(await sendChatDeltas(stream, base, [...inContent, ...generation.chunks]))) return;
  const finish = { index: 0, delta: {}, finish_reason: generation.finishReason };
  if (isMistralModel(model)) {
    // Mistral's last chunk carries the finish reason and the usage together, unasked.
    if (!(await stream.send({ data: { ...base, choices: [{ ...finish, delta: { content: '' } }], usage } }))) return;
  } else {
    if (!(await stream.send({ data: { ...base, choices: [finish] } }))) return;
    if (!(await sendUsageChunk(ctx, stream, base, usage, { ...finish, delta: { content: '', role: 'assistant' } })))
      return;
  }
  await stream.end('data: [DONE]\n\n');
}

/**
 * The body of a `chat.completion.chunk` stream, in the shape Mistral shares with OpenAI: the
 * assistant's role first, then each piece of text as a content delta at the stream's pace. How
 * the stream ends (finish reason, usage) differs between them. False once the stream is over.
 */
export async function sendChatDeltas(stream: EventStream, base: object, chunks: readonly string[]): Promise<boolean> {
  if (
    !(await stream.send({
      data: { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    }))
  )
    return false;
  for (const chunk of chunks) {
    if (
      !(await stream.send(
        { data: { ...base, choices: [{ index: 0, delta: { content: chunk }, finish_reason: null }] } },
        true,
      ))
    )
      return false;
  }
  return true;
}

/** The legacy completions API; `suffix` makes it fill in the middle. */
export async function completions(ctx: RequestContext, defaultMaxTokens = 16): Promise<void> {
  const body = ctx.json;
  const model = stringOr(body.model, 'emulator-coder');
  const prompt = Array.isArray(body.prompt) ? stringOr(body.prompt[0], '') : stringOr(body.prompt, '');
  const suffix = stringOr(body.suffix, '');
  if (ctx.settings.refuseStreamOptions && body.stream_options !== undefined)
    return ctx.send(badRequest(ctx.dialect, 'Unrecognized request argument supplied: stream_options', ctx.requestId));
  const generation: Generation = generate(
    fimAnswer(prompt, ctx.settings.fimRules ?? DEFAULT_FIM_RULES, ctx.settings.fimResponder, suffix),
    {
      stop: stopList(body.stop),
      maxTokens: numberOr(body.max_tokens, defaultMaxTokens),
    },
  );
  // A FIM model reads the prefix, then the hole marker, then the suffix (PSM).
  const usage = usageFor(ctx, approxTokens(prompt + suffix), generation.chunks.length, `${prompt}\u0000${suffix}`);
  const id = ctx.nextId(ctx.dialect === 'openrouter' ? 'gen-emu' : 'cmpl-emu');
  const created = Math.floor(ctx.now() / 1000);

  if (body.stream !== true) {
    if (!(await ctx.pace(generation.chunks.length))) return;
    return ctx.ok({
      id,
      object: 'text_completion',
      created,
      model,
      choices: [{ index: 0, text: generation.text, logprobs: null, finish_reason: generation.finishReason }],
      usage,
    });
  }
  const base = { id, object: 'text_completion', created, model };
  const stream = ctx.stream('sse', streamFailure(ctx.dialect, base));
  if (ctx.dialect === 'openrouter') stream.comment('OPENROUTER PROCESSING');
  for (const chunk of generation.chunks) {
    if (
      !(await stream.send(
        { data: { ...base, choices: [{ index: 0, text: chunk, logprobs: null, finish_reason: null }] } },
        true,
      ))
    )
      return;
  }
  const finish = { index: 0, text: '', logprobs: null, finish_reason: generation.finishReason };
  if (!(await stream.send({ data: { ...base, choices: [finish] } }))) return;
  if (!(await sendUsageChunk(ctx, stream, base, usage, finish))) return;
  await stream.end('data: [DONE]\n\n');
}

function usageFor(
  ctx: RequestContext,
  promptTokens: number,
  completionTokens: number,
  promptText: string,
  reasoningTokens = 0,
) {
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    // As OpenAI reports it, and Alibaba, Z.ai, Moonshot and OpenRouter after it.
    ...(reasoningTokens > 0 && { completion_tokens_details: { reasoning_tokens: reasoningTokens } }),
  };
  const cached = ctx.settings.implicitPrefixCache
    ? Math.min(promptTokens, ctx.state.prefixCache.lookup(ctx.dialect, promptText) ?? 0)
    : 0;
  // DeepSeek reports its context cache in counters of its own; OpenAI and DashScope in
  // prompt_tokens_details, only when they have one.
  if (ctx.dialect === 'deepseek')
    return ctx.reported(
      { ...usage, prompt_cache_hit_tokens: cached, prompt_cache_miss_tokens: promptTokens - cached },
      'openai',
    );
  return ctx.reported(
    ctx.settings.implicitPrefixCache && ctx.dialect in IMPLICIT_CACHE_RULES
      ? { ...usage, prompt_tokens_details: { cached_tokens: cached } }
      : usage,
    'openai',
  );
}

/**
 * OpenAI sends the usage chunk (with empty `choices`) only when asked; OpenRouter always sends it,
 * repeating the finish reason in one content-free choice.
 */
async function sendUsageChunk(
  ctx: RequestContext,
  stream: ReturnType<RequestContext['stream']>,
  base: Record<string, unknown>,
  usage: Record<string, unknown>,
  finish: Record<string, unknown>,
): Promise<boolean> {
  if (ctx.dialect === 'openrouter') return stream.send({ data: { ...base, choices: [finish], usage } });
  const includeUsage = (ctx.json.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  return includeUsage ? stream.send({ data: { ...base, choices: [], usage } }) : true;
}
