/**
 * Anthropic's Messages API: `POST /v1/messages` (JSON, or SSE with `stream: true`) and
 * `GET /v1/models` in Anthropic's shape when the request carries `anthropic-version`.
 * Messages: https://docs.anthropic.com/en/api/messages
 * Streaming events (message_start, content_block_start, ping, content_block_delta,
 *   content_block_stop, message_delta, message_stop, error):
 *   https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * Prompt caching usage fields: https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 * Models: https://docs.anthropic.com/en/api/models-list
 * A stop sequence that is only whitespace is refused with a 400 ("stop_sequences: each stop sequence
 *   must contain non-whitespace"), as LiteLLM's and Sourcegraph Cody's Anthropic clients found.
 */
import { createHash } from 'node:crypto';
import { chatAnswer, DEFAULT_FIM_RULES } from './answers';
import type { RequestContext } from './context';
import { badRequest, streamFailure } from './errors';
import { generate, stopList, stringOr } from './generation';
import { contentText } from './openai';
import { DEFAULT_MODELS } from './options';
import { approxTokens } from './tokens';

export function listAnthropicModels(ctx: RequestContext): Promise<void> {
  const models = ctx.settings.models ?? DEFAULT_MODELS;
  return ctx.ok({
    data: models.map((id) => ({
      type: 'model',
      id,
      display_name: displayName(id),
      created_at: '2025-01-01T00:00:00Z',
    })),
    has_more: false,
    first_id: models[0] ?? null,
    last_id: models.at(-1) ?? null,
  });
}

function displayName(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

interface Block {
  type?: string;
  text?: unknown;
  cache_control?: unknown;
}

export async function messages(ctx: RequestContext): Promise<void> {
  if (!ctx.header('anthropic-version'))
    return ctx.send(badRequest('anthropic', 'anthropic-version: header is required', ctx.requestId));
  const body = ctx.json;
  for (const field of ['model', 'max_tokens', 'messages']) {
    if (body[field] === undefined) return ctx.send(badRequest('anthropic', `${field}: Field required`, ctx.requestId));
  }
  // The real API refuses a stop sequence that is empty or only whitespace (a line break, say).
  const stops = Array.isArray(body.stop_sequences) ? (body.stop_sequences as unknown[]) : [];
  if (stops.some((stop) => stop === ''))
    return ctx.send(badRequest('anthropic', 'stop_sequences: each stop sequence must be non-empty', ctx.requestId));
  if (stops.some((stop) => typeof stop === 'string' && stop.trim() === ''))
    return ctx.send(
      badRequest('anthropic', 'stop_sequences: each stop sequence must contain non-whitespace', ctx.requestId),
    );
  const model = stringOr(body.model, 'emulator-chat');
  const turns = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: unknown }[]) : [];
  const lastUser = [...turns].reverse().find((turn) => turn.role === 'user');
  const generation = generate(
    chatAnswer(contentText(lastUser?.content), ctx.settings.fimRules ?? DEFAULT_FIM_RULES, ctx.settings.fimResponder),
    {
      stop: stopList(body.stop_sequences),
      maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : undefined,
    },
  );
  const usage = { ...inputUsage(ctx, body.system, turns), output_tokens: generation.chunks.length };
  const stopReason =
    generation.finishReason === 'length'
      ? 'max_tokens'
      : generation.stopSequence !== undefined
        ? 'stop_sequence'
        : 'end_turn';
  const stopSequence = generation.stopSequence ?? null;
  const id = ctx.nextId('msg_emu');

  if (body.stream !== true) {
    if (!(await ctx.pace(generation.chunks.length))) return;
    return ctx.ok({
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: generation.text }],
      stop_reason: stopReason,
      stop_sequence: stopSequence,
      usage: ctx.reported(usage, 'anthropic-message'),
    });
  }
  const stream = ctx.stream('sse', streamFailure('anthropic', {}));
  const start = {
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: ctx.reported({ ...usage, output_tokens: 1 }, 'anthropic-start'),
    },
  };
  if (!(await stream.send({ event: 'message_start', data: start }))) return;
  if (
    !(await stream.send({
      event: 'content_block_start',
      data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    }))
  )
    return;
  if (!(await stream.send({ event: 'ping', data: { type: 'ping' } }))) return;
  for (const chunk of generation.chunks) {
    const delta = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunk } };
    if (!(await stream.send({ event: 'content_block_delta', data: delta }, true))) return;
  }
  if (!(await stream.send({ event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } }))) return;
  const messageDelta = {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: stopSequence },
    usage: ctx.reported({ output_tokens: usage.output_tokens }, 'anthropic-delta'),
  };
  if (!(await stream.send({ event: 'message_delta', data: messageDelta }))) return;
  if (!(await stream.send({ event: 'message_stop', data: { type: 'message_stop' } }))) return;
  await stream.end();
}

/**
 * Input tokens split as Anthropic reports them: the prompt up to the last `cache_control` block
 * is written to the cache the first time (cache_creation_input_tokens) and read from it after
 * (cache_read_input_tokens); the rest is input_tokens.
 */
function inputUsage(ctx: RequestContext, system: unknown, turns: { content?: unknown }[]) {
  const blocks: Block[] = [];
  const collect = (content: unknown) => {
    if (typeof content === 'string') blocks.push({ type: 'text', text: content });
    else if (Array.isArray(content)) blocks.push(...(content as Block[]));
  };
  collect(system);
  for (const turn of turns) collect(turn.content);
  const texts = blocks.map((block) => (typeof block.text === 'string' ? block.text : ''));
  let lastCached = -1;
  blocks.forEach((block, index) => {
    if (block.cache_control !== undefined) lastCached = index;
  });
  const cachedText = texts.slice(0, lastCached + 1).join('\n');
  const cachedTokens = approxTokens(cachedText);
  const total = approxTokens(texts.join('\n'));
  let creation = 0;
  let read = 0;
  if (cachedTokens > 0) {
    const key = createHash('sha256').update(cachedText).digest('hex');
    if (ctx.state.promptCache.has(key)) read = cachedTokens;
    else {
      ctx.state.promptCache.add(key);
      creation = cachedTokens;
    }
  }
  return {
    input_tokens: Math.max(0, total - cachedTokens),
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: read,
  };
}
