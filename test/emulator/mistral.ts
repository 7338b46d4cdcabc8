/**
 * Mistral's FIM endpoint (Codestral): `POST /v1/fim/completions` with
 * {model, prompt, suffix, max_tokens, stop, stream}, answered in Mistral's chat-completion shape
 * (`choices[0].message.content`; streamed as `chat.completion.chunk` deltas, usage on the last).
 * https://docs.mistral.ai/api/#tag/fim and https://docs.mistral.ai/capabilities/code_generation/
 */
import { DEFAULT_FIM_RULES, fimAnswer } from './answers';
import type { RequestContext } from './context';
import { streamFailure } from './errors';
import { generate, numberOr, stopList, stringOr } from './generation';
import { sendChatDeltas } from './openai';
import { approxTokens } from './tokens';

export async function mistralFim(ctx: RequestContext): Promise<void> {
  const body = ctx.json;
  const missing = ['model', 'prompt'].filter((field) => typeof body[field] !== 'string');
  if (missing.length > 0) {
    // FastAPI-style validation error, as Mistral's API answers a malformed request.
    return ctx.send({
      status: 422,
      body: {
        object: 'error',
        message: {
          detail: missing.map((field) => ({
            type: 'missing',
            loc: ['body', field],
            msg: 'Field required',
            input: body,
          })),
        },
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  }
  const model = stringOr(body.model, 'codestral-latest');
  const prompt = stringOr(body.prompt, '');
  const suffix = stringOr(body.suffix, '');
  const generation = generate(
    fimAnswer(prompt, ctx.settings.fimRules ?? DEFAULT_FIM_RULES, ctx.settings.fimResponder, suffix),
    {
      stop: stopList(body.stop),
      maxTokens: numberOr(body.max_tokens, undefined),
    },
  );
  const promptTokens = approxTokens(prompt + suffix);
  const usage = ctx.reported(
    {
      prompt_tokens: promptTokens,
      completion_tokens: generation.chunks.length,
      total_tokens: promptTokens + generation.chunks.length,
    },
    'openai',
  );
  const id = ctx.nextId('', 32);
  const created = Math.floor(ctx.now() / 1000);

  if (body.stream !== true) {
    if (!(await ctx.pace(generation.chunks.length))) return;
    return ctx.ok({
      id,
      object: 'chat.completion',
      model,
      usage,
      created,
      choices: [
        {
          index: 0,
          message: { content: generation.text, tool_calls: null, prefix: false, role: 'assistant' },
          finish_reason: generation.finishReason,
        },
      ],
    });
  }
  const base = { id, object: 'chat.completion.chunk', created, model };
  const stream = ctx.stream('sse', streamFailure('mistral', base));
  if (!(await sendChatDeltas(stream, base, generation.chunks))) return;
  if (
    !(await stream.send({
      data: { ...base, choices: [{ index: 0, delta: { content: '' }, finish_reason: generation.finishReason }], usage },
    }))
  )
    return;
  await stream.end('data: [DONE]\n\n');
}
