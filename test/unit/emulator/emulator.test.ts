/**
 * The provider emulator over real sockets: each backend's shapes, scripted quotas (exact bodies
 * and headers), faults, auth failures, and a clean `close()`. Time only appears as a fake clock
 * or as a client-side wait; nothing here asserts how fast the server is.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/server';

const KEY = 'sk-emu-test-0123456789abcdefWXYZ';
/** 2025-01-01T12:00:30Z: half a minute before the minute window rolls over, 11.5 h before the day's. */
const NOON_AND_30S = Date.UTC(2025, 0, 1, 12, 0, 30);

const bearer = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const anthropicHeaders = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };

interface SseEvent {
  event?: string;
  data: string;
}

/** Splits an SSE body into events; comment lines are returned as `{ event: ':' }`. */
function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim()) continue;
    const event: SseEvent = { data: '' };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) event.event = ':';
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('data: ')) event.data += line.slice(6);
    }
    events.push(event);
  }
  return events;
}

function jsonEvents(text: string): Record<string, unknown>[] {
  return parseSse(text)
    .filter((event) => event.event !== ':' && event.data !== '[DONE]')
    .map((event) => JSON.parse(event.data) as Record<string, unknown>);
}

function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  // Generous: a loaded CI machine can be slow; this waits for a condition, it does not time anything.
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('provider emulator', () => {
  let emu: Emulator;
  let clock = NOON_AND_30S;
  const post = (path: string, body: unknown, headers: Record<string, string> = bearer, signal?: AbortSignal) =>
    fetch(`${emu.url}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...(signal && { signal }),
    });
  const get = (path: string, headers: Record<string, string> = bearer) => fetch(`${emu.url}${path}`, { headers });
  const chat = (
    path = '/v1/chat/completions',
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = bearer,
  ) => post(path, { model: 'emulator-chat', messages: [{ role: 'user', content: 'hello there' }], ...extra }, headers);

  before(async () => {
    emu = await startEmulator({ apiKey: KEY, tokensPerSecond: 0, now: () => clock });
  });
  after(() => emu.close());
  beforeEach(() => {
    clock = NOON_AND_30S;
    emu.clearFaults();
    emu.resetQuota();
    emu.configure({
      apiKey: KEY,
      requestsPerMinute: undefined,
      requestsPerDay: undefined,
      quotaStyle: undefined,
      quotas: undefined,
      deepseek: undefined,
      openrouter: undefined,
      litellm: undefined,
      zai: undefined,
    });
  });

  describe('OpenAI-compatible', () => {
    it('lists models with request id and rate-limit headers', async () => {
      const res = await get('/v1/models');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), {
        object: 'list',
        data: [
          { id: 'emulator-chat', object: 'model', created: 0, owned_by: 'emulator' },
          { id: 'emulator-coder', object: 'model', created: 0, owned_by: 'emulator' },
        ],
      });
      assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
      for (const name of ['limit', 'remaining', 'reset']) {
        assert.ok(res.headers.has(`x-ratelimit-${name}-requests`), name);
        assert.ok(res.headers.has(`x-ratelimit-${name}-tokens`), name);
      }
    });

    it('answers the same request with the same text', async () => {
      const first = (await (await chat()).json()) as { choices: { message: { content: string } }[] };
      const second = (await (await chat()).json()) as { choices: { message: { content: string } }[] };
      assert.match(first.choices[0]?.message.content ?? '', /^You asked: "hello there"\./);
      assert.equal(first.choices[0]?.message.content, second.choices[0]?.message.content);
    });

    it('streams chat with the usage chunk only when include_usage is set', async () => {
      const withUsage = jsonEvents(
        await (await chat('/v1/chat/completions', { stream: true, stream_options: { include_usage: true } })).text(),
      );
      const last = withUsage.at(-1) as { choices: unknown[]; usage: { completion_tokens: number } };
      assert.deepEqual(last.choices, []);
      const deltas = withUsage.filter(
        (event) => (event.choices as { delta?: { content?: string } }[])[0]?.delta?.content,
      );
      assert.equal(last.usage.completion_tokens, deltas.length);
      const finish = withUsage.at(-2) as { choices: { finish_reason: string }[] };
      assert.equal(finish.choices[0]?.finish_reason, 'stop');

      const text = await (await chat('/v1/chat/completions', { stream: true })).text();
      assert.ok(text.endsWith('data: [DONE]\n\n'));
      assert.ok(jsonEvents(text).every((event) => event.usage === undefined));
    });

    it('fills in the middle through /v1/completions, streamed or not', async () => {
      const res = await post('/v1/completions', {
        model: 'emulator-coder',
        prompt: 'function add(a, b) {',
        suffix: '\n}\n',
        max_tokens: 32,
      });
      const body = (await res.json()) as { object: string; choices: { text: string; finish_reason: string }[] };
      assert.equal(body.object, 'text_completion');
      assert.equal(body.choices[0]?.text, '\n  return a + b;');
      const streamed = jsonEvents(
        await (await post('/v1/completions', { prompt: 'function add(a, b) {', stream: true })).text(),
      );
      assert.equal(
        streamed.map((event) => (event.choices as { text: string }[])[0]?.text).join(''),
        '\n  return a + b;',
      );
    });

    it('counts the output tokens it generated, as a server bills them: all of a whole answer, a closed stream up to where it stopped', async () => {
      const long = (extra: Record<string, unknown>, signal?: AbortSignal) =>
        post('/v1/completions', { prompt: 'list: ', max_tokens: 2000, ...extra }, bearer, signal);
      emu.configure({ fimResponder: () => 'item, '.repeat(400), tokensPerSecond: 1000 });
      try {
        const whole = (await (await long({})).json()) as { usage: { completion_tokens: number } };
        assert.equal(emu.requests.at(-1)?.generatedTokens, whole.usage.completion_tokens);
        assert.ok(whole.usage.completion_tokens >= 400);
        // A client that reads a few pieces of a stream, then closes it.
        const controller = new AbortController();
        const streamed = await long({ stream: true }, controller.signal);
        const reader = streamed.body?.getReader();
        await reader?.read();
        await reader?.read();
        controller.abort();
        const record = emu.requests.at(-1);
        await until(() => record?.aborted === true, 'the emulator to see the stream closed');
        const stopped = record?.generatedTokens ?? 0;
        assert.ok(stopped > 0 && stopped < whole.usage.completion_tokens / 4, `generated ${stopped}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(record?.generatedTokens, stopped, 'nothing more once the client is gone');
      } finally {
        emu.configure({ fimResponder: undefined, tokensPerSecond: 0 });
      }
    });

    it('records requests without credentials, with status, and counts them', async () => {
      const before = emu.count('/v1/chat/completions');
      await (await chat()).text();
      const record = emu.requests.at(-1);
      assert.equal(record?.path, '/v1/chat/completions');
      assert.equal(record?.hasAuth, true);
      assert.equal(record?.status, 200);
      assert.equal(record?.headers.authorization, undefined);
      assert.ok(!JSON.stringify(record).includes(KEY));
      assert.equal(emu.count('/v1/chat/completions'), before + 1);
      assert.ok(emu.count(/completions$/) >= before + 1);
    });

    it('refuses a missing or wrong key with OpenAI bodies that never echo the key', async () => {
      const missing = await chat('/v1/chat/completions', {}, { 'content-type': 'application/json' });
      assert.equal(missing.status, 401);
      const missingBody = (await missing.json()) as { error: { type: string; code: unknown; message: string } };
      assert.equal(missingBody.error.type, 'invalid_request_error');
      assert.equal(missingBody.error.code, null);
      assert.match(missingBody.error.message, /^You didn't provide an API key/);

      const wrongKey = 'sk-wrong-abcdefghijklmnopqrstuvwxyz0123';
      const wrong = await chat('/v1/chat/completions', {}, { authorization: `Bearer ${wrongKey}` });
      assert.equal(wrong.status, 401);
      const wrongBody = (await wrong.json()) as { error: { code: string; message: string } };
      assert.equal(wrongBody.error.code, 'invalid_api_key');
      assert.match(wrongBody.error.message, /^Incorrect API key provided: sk-\*+0123\./);
      assert.ok(!wrongBody.error.message.includes(wrongKey));
      assert.equal(emu.requests.at(-1)?.hasAuth, true);
    });

    it('changes the key at run time', async () => {
      emu.configure({ apiKey: 'sk-another-key-000000000000' });
      assert.equal((await chat()).status, 401);
      emu.configure({ apiKey: undefined });
      assert.equal((await chat('/v1/chat/completions', {}, { 'content-type': 'application/json' })).status, 200);
    });

    it('answers malformed JSON with 400 and unknown routes with 404', async () => {
      const bad = await post('/v1/chat/completions', '{not json');
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
      const missing = await get('/v1/nothing-here');
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'unknown_url');
    });
  });

  describe('Anthropic', () => {
    const message = (extra: Record<string, unknown> = {}, headers: Record<string, string> = anthropicHeaders) =>
      post(
        '/v1/messages',
        { model: 'claude-emulator', max_tokens: 256, messages: [{ role: 'user', content: 'hello there' }], ...extra },
        headers,
      );

    it('answers a message with usage, request-id and anthropic-ratelimit headers', async () => {
      const res = await message();
      assert.equal(res.status, 200);
      assert.match(res.headers.get('request-id') ?? '', /^req_/);
      for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
        assert.ok(res.headers.has(`anthropic-ratelimit-${kind}-limit`), kind);
        assert.ok(res.headers.has(`anthropic-ratelimit-${kind}-remaining`), kind);
        assert.match(res.headers.get(`anthropic-ratelimit-${kind}-reset`) ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }
      const body = (await res.json()) as Record<string, unknown> & {
        content: { type: string; text: string }[];
        usage: Record<string, number>;
      };
      assert.equal(body.type, 'message');
      assert.equal(body.role, 'assistant');
      assert.equal(body.stop_reason, 'end_turn');
      assert.equal(body.stop_sequence, null);
      assert.equal(body.content[0]?.type, 'text');
      assert.match(body.content[0]?.text ?? '', /^You asked: "hello there"/);
      assert.deepEqual(Object.keys(body.usage).sort(), [
        'cache_creation_input_tokens',
        'cache_read_input_tokens',
        'input_tokens',
        'output_tokens',
      ]);
    });

    it('streams the exact event sequence', async () => {
      const text = await (await message({ stream: true })).text();
      const events = parseSse(text);
      const names = events.map((event) => event.event);
      const deltas = names.filter((name) => name === 'content_block_delta').length;
      assert.ok(deltas > 3);
      assert.deepEqual(names, [
        'message_start',
        'content_block_start',
        'ping',
        ...Array<string>(deltas).fill('content_block_delta'),
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      const data = events.map((event) => JSON.parse(event.data) as Record<string, unknown>);
      data.forEach((payload, index) => assert.equal(payload.type, names[index]));
      const start = data[0] as { message: { usage: Record<string, number>; content: unknown[]; stop_reason: unknown } };
      assert.deepEqual(start.message.content, []);
      assert.equal(start.message.stop_reason, null);
      for (const field of ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'])
        assert.equal(typeof start.message.usage[field], 'number');
      const delta = data.at(-2) as { delta: { stop_reason: string }; usage: { output_tokens: number } };
      assert.equal(delta.delta.stop_reason, 'end_turn');
      assert.equal(delta.usage.output_tokens, deltas);
      const streamed = data
        .filter((payload) => payload.type === 'content_block_delta')
        .map((payload) => (payload.delta as { type: string; text: string }).text);
      const whole = (await (await message()).json()) as { content: { text: string }[] };
      assert.equal(streamed.join(''), whole.content[0]?.text);
    });

    it('reports cache creation, then cache reads, for cache_control blocks', async () => {
      const system = [
        {
          type: 'text',
          text: 'A long and stable system prompt that is worth caching.',
          cache_control: { type: 'ephemeral' },
        },
      ];
      const first = ((await (await message({ system })).json()) as { usage: Record<string, number> }).usage;
      const second = ((await (await message({ system })).json()) as { usage: Record<string, number> }).usage;
      assert.ok((first.cache_creation_input_tokens ?? 0) > 0);
      assert.equal(first.cache_read_input_tokens, 0);
      assert.equal(second.cache_creation_input_tokens, 0);
      assert.equal(second.cache_read_input_tokens, first.cache_creation_input_tokens);
    });

    it('stops at max_tokens', async () => {
      const body = (await (await message({ max_tokens: 2 })).json()) as {
        stop_reason: string;
        usage: { output_tokens: number };
      };
      assert.equal(body.stop_reason, 'max_tokens');
      assert.equal(body.usage.output_tokens, 2);
    });

    it('refuses a missing or wrong key and a missing anthropic-version', async () => {
      const missing = await message({}, { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' });
      assert.equal(missing.status, 401);
      const missingBody = (await missing.json()) as { type: string; error: unknown; request_id: string };
      assert.equal(missingBody.type, 'error');
      assert.deepEqual(missingBody.error, { type: 'authentication_error', message: 'x-api-key header is required' });
      assert.match(missingBody.request_id, /^req_/);

      // The SDK (1.x) sends the key as a Bearer token; a wrong one is refused all the same.
      assert.equal((await message({}, { ...bearer, 'anthropic-version': '2023-06-01' })).status, 200);
      const wrongBearer = await message(
        {},
        { authorization: 'Bearer sk-ant-wrong-0000000000000', 'anthropic-version': '2023-06-01' },
      );
      assert.equal(wrongBearer.status, 401);
      const wrong = await message({}, { ...anthropicHeaders, 'x-api-key': 'sk-ant-wrong-0000000000000' });
      assert.deepEqual(((await wrong.json()) as { error: unknown }).error, {
        type: 'authentication_error',
        message: 'invalid x-api-key',
      });
      assert.equal(emu.requests.at(-1)?.headers['x-api-key'], undefined);

      const noVersion = await message({}, { 'x-api-key': KEY, 'content-type': 'application/json' });
      assert.equal(noVersion.status, 400);
      assert.deepEqual(((await noVersion.json()) as { error: unknown }).error, {
        type: 'invalid_request_error',
        message: 'anthropic-version: header is required',
      });
    });

    it("lists models in Anthropic's shape when the request carries anthropic-version", async () => {
      const body = (await (await get('/v1/models', anthropicHeaders)).json()) as Record<string, unknown> & {
        data: Record<string, unknown>[];
      };
      assert.equal(body.has_more, false);
      assert.equal(body.first_id, 'emulator-chat');
      assert.equal(body.last_id, 'emulator-coder');
      assert.deepEqual(Object.keys(body.data[0] ?? {}).sort(), ['created_at', 'display_name', 'id', 'type']);
      assert.equal(body.data[0]?.type, 'model');
    });

    it('ends a stream with event: error on an error-event fault', async () => {
      emu.fault({ kind: 'error-event', path: '/v1/messages', afterChunks: 4 });
      const res = await message({ stream: true });
      assert.equal(res.status, 200);
      const events = parseSse(await res.text());
      assert.equal(events.length, 5);
      assert.equal(events.at(-1)?.event, 'error');
      assert.deepEqual(JSON.parse(events.at(-1)?.data ?? ''), {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      });
    });

    it('ends a stream cleanly before message_delta and message_stop on a truncate fault', async () => {
      emu.fault({ kind: 'truncate', path: '/v1/messages', afterChunks: 4 });
      const res = await message({ stream: true });
      assert.equal(res.status, 200);
      const events = parseSse(await res.text());
      assert.deepEqual(
        events.map((event) => event.event),
        ['message_start', 'content_block_start', 'ping', 'content_block_delta'],
      );
      assert.equal(emu.requests.at(-1)?.status, 200);
    });
  });

  describe('Ollama', () => {
    it('lists tags and needs no key', async () => {
      const res = await get('/api/tags', {});
      assert.equal(res.status, 200);
      const body = (await res.json()) as { models: Record<string, unknown>[] };
      assert.deepEqual(
        body.models.map((model) => model.name),
        ['emulator-chat:latest', 'emulator-coder:latest'],
      );
      assert.match(String(body.models[0]?.digest), /^[0-9a-f]{64}$/);
      assert.equal((body.models[0]?.details as { format: string }).format, 'gguf');
    });

    it('shows a .Suffix template and the insert capability only for coder models', async () => {
      const coder = (await (await post('/api/show', { model: 'emulator-coder' }, {})).json()) as {
        template: string;
        capabilities: string[];
      };
      assert.ok(coder.template.includes('{{ .Suffix }}'));
      assert.ok(coder.capabilities.includes('insert'));
      const chatModel = (await (await post('/api/show', { model: 'emulator-chat' }, {})).json()) as {
        template: string;
        capabilities: string[];
      };
      assert.ok(!chatModel.template.includes('.Suffix'));
      assert.ok(!chatModel.capabilities.includes('insert'));
      assert.equal((await post('/api/show', { model: 'missing' }, {})).status, 404);
    });

    it('streams /api/generate as NDJSON ending with done, done_reason and counters', async () => {
      const res = await post(
        '/api/generate',
        { model: 'emulator-coder', prompt: 'function add(a, b) {', suffix: '\n}' },
        {},
      );
      assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
      const lines = ndjson(await res.text());
      const final = lines.at(-1) ?? {};
      assert.equal(final.done, true);
      assert.equal(final.done_reason, 'stop');
      for (const field of [
        'total_duration',
        'load_duration',
        'prompt_eval_count',
        'prompt_eval_duration',
        'eval_count',
        'eval_duration',
      ]) {
        assert.equal(typeof final[field], 'number', field);
      }
      const parts = lines.slice(0, -1);
      assert.ok(parts.every((line) => line.done === false));
      assert.equal(parts.map((line) => line.response).join(''), '\n  return a + b;');
      assert.equal(final.eval_count, parts.length);
    });

    it('answers stream:false with one object, honours num_predict and stop', async () => {
      const whole = (await (
        await post('/api/generate', { model: 'emulator-coder', prompt: 'const greeting =', stream: false }, {})
      ).json()) as Record<string, unknown>;
      assert.equal(whole.response, " 'Hello from the Switchboard emulator';");
      assert.equal(whole.done, true);
      const cut = (await (
        await post(
          '/api/generate',
          { model: 'emulator-coder', prompt: 'const greeting =', stream: false, options: { num_predict: 2 } },
          {},
        )
      ).json()) as Record<string, unknown>;
      assert.equal(cut.done_reason, 'length');
      assert.equal(cut.eval_count, 2);
      const stopped = (await (
        await post(
          '/api/generate',
          { model: 'emulator-coder', prompt: 'const greeting =', stream: false, options: { stop: ['Switchboard'] } },
          {},
        )
      ).json()) as Record<string, unknown>;
      assert.equal(stopped.response, " 'Hello from the ");
    });

    it('fills raw FIM prompts and refuses a suffix on a model without insert', async () => {
      const raw = (await (
        await post(
          '/api/generate',
          {
            model: 'emulator-chat',
            prompt: '<|fim_prefix|>def add(a, b):<|fim_suffix|>\n<|fim_middle|>',
            raw: true,
            stream: false,
          },
          {},
        )
      ).json()) as Record<string, unknown>;
      assert.equal(raw.response, '\n    return a + b');
      const refused = await post('/api/generate', { model: 'emulator-chat', prompt: 'x', suffix: 'y' }, {});
      assert.equal(refused.status, 400);
      assert.match(((await refused.json()) as { error: string }).error, /does not support insert/);
      const unknown = await post('/api/generate', { model: 'nope', prompt: 'x' }, {});
      assert.equal(unknown.status, 404);
      assert.deepEqual(await unknown.json(), { error: "model 'nope' not found" });
    });

    it('streams /api/chat as NDJSON', async () => {
      const lines = ndjson(
        await (
          await post('/api/chat', { model: 'emulator-chat', messages: [{ role: 'user', content: 'hi' }] }, {})
        ).text(),
      );
      const final = lines.at(-1) ?? {};
      assert.equal(final.done, true);
      assert.equal(final.done_reason, 'stop');
      const text = lines
        .slice(0, -1)
        .map((line) => (line.message as { content: string }).content)
        .join('');
      assert.match(text, /^You asked: "hi"\./);
    });
  });

  describe('DeepSeek', () => {
    it('fills in the middle at /beta/completions with cache counters in usage', async () => {
      const body = (await (
        await post('/beta/completions', {
          model: 'deepseek-chat',
          prompt: 'def add(a, b):',
          suffix: '\n',
          max_tokens: 64,
        })
      ).json()) as {
        choices: { text: string }[];
        usage: Record<string, number>;
      };
      assert.equal(body.choices[0]?.text, '\n    return a + b');
      assert.equal(body.usage.prompt_cache_hit_tokens, 0);
      assert.equal(body.usage.prompt_cache_miss_tokens, body.usage.prompt_tokens);
    });

    it('rejects max_tokens over 4096 and more than 16 stops with its 400 body', async () => {
      const tooLong = await post('/beta/completions', { model: 'deepseek-chat', prompt: 'x', max_tokens: 4097 });
      assert.equal(tooLong.status, 400);
      assert.deepEqual(await tooLong.json(), {
        error: {
          message: 'Invalid max_tokens value, the valid range of max_tokens is [1, 4096]',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_request_error',
        },
      });
      const stops = Array.from({ length: 17 }, (_, i) => `s${i}`);
      const tooMany = await post('/beta/completions', { model: 'deepseek-chat', prompt: 'x', stop: stops });
      assert.equal(tooMany.status, 400);
      assert.equal(((await tooMany.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
      assert.equal(
        (await post('/beta/completions', { model: 'deepseek-chat', prompt: 'x', stop: stops.slice(0, 16) })).status,
        200,
      );
    });

    it('reports the balance as strings and answers 402 when it is 0', async () => {
      emu.configure({ deepseek: { currency: 'CNY', grantedBalance: 10, toppedUpBalance: 100 } });
      assert.deepEqual(await (await get('/user/balance')).json(), {
        is_available: true,
        balance_infos: [
          { currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' },
        ],
      });
      emu.configure({ deepseek: { grantedBalance: 0, toppedUpBalance: 0 } });
      const empty = (await (await get('/user/balance')).json()) as { is_available: boolean };
      assert.equal(empty.is_available, false);
      for (const path of ['/beta/completions', '/chat/completions']) {
        const res = await post(path, {
          model: 'deepseek-chat',
          prompt: 'x',
          messages: [{ role: 'user', content: 'x' }],
        });
        assert.equal(res.status, 402, path);
        assert.deepEqual(await res.json(), {
          error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' },
        });
      }
    });

    it("refuses a wrong key with DeepSeek's body", async () => {
      const res = await post(
        '/chat/completions',
        { messages: [] },
        { authorization: 'Bearer sk-nope-00000000000000009999' },
      );
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), {
        error: {
          message: 'Authentication Fails, Your api key: ****9999 is invalid',
          type: 'authentication_error',
          param: null,
          code: 'invalid_request_error',
        },
      });
    });
  });

  describe('Mistral', () => {
    it('answers FIM in the chat-completion shape, streamed or not', async () => {
      const body = (await (
        await post('/v1/fim/completions', { model: 'codestral-latest', prompt: 'def add(a, b):', suffix: '\n' })
      ).json()) as {
        object: string;
        choices: { message: { content: string; role: string }; finish_reason: string }[];
        usage: Record<string, number>;
      };
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.choices[0]?.message.content, '\n    return a + b');
      assert.equal(body.choices[0]?.message.role, 'assistant');
      assert.equal(body.choices[0]?.finish_reason, 'stop');
      assert.equal(typeof body.usage.total_tokens, 'number');

      const events = jsonEvents(
        await (
          await post('/v1/fim/completions', { model: 'codestral-latest', prompt: 'def add(a, b):', stream: true })
        ).text(),
      );
      const text = events
        .map((event) => (event.choices as { delta: { content?: string } }[])[0]?.delta.content ?? '')
        .join('');
      assert.equal(text, '\n    return a + b');
      assert.equal(typeof (events.at(-1)?.usage as { total_tokens?: number } | undefined)?.total_tokens, 'number');
    });

    it("refuses a wrong key and a missing prompt with Mistral's bodies", async () => {
      const res = await post(
        '/v1/fim/completions',
        { model: 'codestral-latest', prompt: 'x' },
        { authorization: 'Bearer wrong' },
      );
      assert.equal(res.status, 401);
      const body = (await res.json()) as { message: string; request_id: string };
      assert.equal(body.message, 'Unauthorized');
      assert.match(body.request_id, /^[0-9a-f]{32}$/);
      const invalid = await post('/v1/fim/completions', { model: 'codestral-latest' });
      assert.equal(invalid.status, 422);
      assert.equal(
        ((await invalid.json()) as { message: { detail: { loc: string[] }[] } }).message.detail[0]?.loc[1],
        'prompt',
      );
    });
  });

  describe('OpenRouter', () => {
    it('describes the key', async () => {
      emu.configure({
        openrouter: {
          label: 'sk-or-v1-abc...xyz',
          usage: 2.5,
          limit: 10,
          limitReset: 'monthly',
          isFreeTier: true,
          rateLimit: { requests: 20, interval: '10s' },
        },
      });
      const { data } = (await (await get('/api/v1/key')).json()) as { data: Record<string, unknown> };
      assert.equal(data.label, 'sk-or-v1-abc...xyz');
      assert.equal(data.usage, 2.5);
      assert.equal(data.limit, 10);
      assert.equal(data.limit_remaining, 7.5);
      assert.equal(data.limit_reset, 'monthly');
      assert.equal(data.is_free_tier, true);
      assert.deepEqual(data.rate_limit, { requests: 20, interval: '10s' });
    });

    it('answers 402 with limit_source for spent credits and a spent key limit', async () => {
      emu.configure({ openrouter: { credits: 0 } });
      const credits = await chat('/api/v1/chat/completions');
      assert.equal(credits.status, 402);
      const creditsBody = (await credits.json()) as { error: { code: number; metadata: { limit_source: string } } };
      assert.equal(creditsBody.error.code, 402);
      assert.equal(creditsBody.error.metadata.limit_source, 'openrouter_credits');
      emu.configure({ openrouter: { credits: 5, limit: 1, usage: 1 } });
      const key = (await (await chat('/api/v1/chat/completions')).json()) as {
        error: { metadata: { limit_source: string } };
      };
      assert.equal(key.error.metadata.limit_source, 'openrouter_key_limit');
    });

    it('streams with a processing comment and always ends with a usage chunk', async () => {
      const text = await (await chat('/api/v1/chat/completions', { stream: true })).text();
      assert.equal(parseSse(text)[0]?.event, ':');
      const last = jsonEvents(text).at(-1) as { usage?: unknown; choices: { finish_reason: string }[] };
      assert.ok(last.usage);
      assert.equal(last.choices[0]?.finish_reason, 'stop');
    });

    it('fails mid-stream after a 200 with an error chunk and finish_reason "error"', async () => {
      emu.fault({ kind: 'error-event', path: '/api/v1/chat/completions' });
      const res = await chat('/api/v1/chat/completions', { stream: true });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.ok(!text.includes('[DONE]'));
      const last = jsonEvents(text).at(-1) as {
        error: { code: string; message: string };
        choices: { finish_reason: string }[];
      };
      assert.deepEqual(last.error, { code: 'server_error', message: 'Provider disconnected unexpectedly' });
      assert.equal(last.choices[0]?.finish_reason, 'error');
    });
  });

  describe('OpenRouter :free allowance', () => {
    const free = () => chat('/api/v1/chat/completions', { model: 'qwen/qwen3-coder:free' });
    const allowance = async () =>
      ((await (await get('/api/v1/key')).json()) as { data: { free_model_daily_requests: Record<string, number> } })
        .data.free_model_daily_requests;

    it('reports the day’s free-model requests, 50 below $10 of credits bought, and refuses past it', async () => {
      emu.configure({ openrouter: { credits: 0, creditsPurchased: 0 } });
      assert.deepEqual(await allowance(), { limit: 50, remaining: 50, used: 0 });
      assert.equal((await free()).status, 200, 'free models need no credits');
      assert.equal((await chat('/api/v1/chat/completions')).status, 402, 'paid ones do');
      assert.deepEqual(await allowance(), { limit: 50, remaining: 49, used: 1 });
      for (let i = 1; i < 50; i++) {
        if (i % 20 === 0) clock += 60_000;
        assert.equal((await free()).status, 200, `request ${i + 1}`);
      }
      const refused = await free();
      assert.equal(refused.status, 429);
      assert.deepEqual(await refused.json(), {
        error: {
          message:
            'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day',
          code: 429,
          metadata: { provider_name: null },
        },
      });
      clock = Date.UTC(2025, 0, 2, 0, 0, 1);
      assert.deepEqual(await allowance(), { limit: 50, remaining: 50, used: 0 }, 'the UTC day rolled over');
    });

    it('1,000 a day once $10 was ever bought; 20 a minute either way', async () => {
      emu.configure({ openrouter: { credits: 1, creditsPurchased: 10 } });
      assert.equal((await allowance()).limit, 1000);
      for (let i = 0; i < 20; i++) assert.equal((await free()).status, 200);
      const refused = await free();
      assert.equal(refused.status, 429);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /free-models-per-min/);
    });
  });

  describe("Alibaba's Coding Plan", () => {
    const plan = (extra: Record<string, unknown> = {}) =>
      chat('/coding/v1/chat/completions', { model: 'qwen3-coder-plus', ...extra });

    it('serves chat until the 5-hour window is spent, then refuses as DashScope compatible mode does', async () => {
      emu.configure({ quotas: { 'coding-plan': { requestsPer5h: 3 } } });
      for (let i = 0; i < 3; i++) assert.equal((await plan()).status, 200);
      const refused = await plan();
      assert.equal(refused.status, 429);
      const body = (await refused.json()) as { error: Record<string, unknown>; request_id: string };
      assert.deepEqual(body.error, {
        message: 'Allocated quota exceeded, please increase your quota limit.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      });
      assert.match(body.request_id, /^req_emu/);
      clock += 5 * 3_600_000;
      assert.equal((await plan()).status, 200, 'the oldest requests left the window');
    });

    it('the week resets Monday 00:00 UTC+8 (Sunday 16:00 UTC)', async () => {
      emu.configure({ quotas: { 'coding-plan': { requestsPerWeek: 2 } } });
      // 2025-01-05 is a Sunday.
      clock = Date.UTC(2025, 0, 5, 15, 0, 0);
      assert.equal((await plan()).status, 200);
      assert.equal((await plan()).status, 200);
      assert.equal((await plan()).status, 429);
      clock = Date.UTC(2025, 0, 5, 16, 0, 0);
      assert.equal((await plan()).status, 200, 'a new plan week');
    });

    it('thinks first on Qwen3.5 and later unless enable_thinking is false, and refuses what Alibaba refuses about thinking', async () => {
      const stream = { stream: true, max_tokens: 500 };
      const thinking = await (await plan({ model: 'qwen3.7-plus', ...stream })).text();
      assert.match(thinking, /"reasoning_content"/);
      const direct = await (await plan({ model: 'qwen3.7-plus', enable_thinking: false, ...stream })).text();
      assert.doesNotMatch(direct, /"reasoning_content"/);
      assert.doesNotMatch(await (await plan(stream)).text(), /"reasoning_content"/, 'a coder model does not think');

      const unstreamed = await plan({ model: 'qwen3.7-plus' });
      assert.equal(unstreamed.status, 400);
      assert.deepEqual(((await unstreamed.json()) as { error: unknown }).error, {
        message: 'parameter.enable_thinking must be set to false for non-streaming calls',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_parameter_error',
      });
      assert.equal((await plan({ model: 'qwen3.7-plus', enable_thinking: false })).status, 200);
      const thinkingOnly = await plan({ model: 'qwen3-235b-a22b-thinking-2507', enable_thinking: false, ...stream });
      assert.equal(thinkingOnly.status, 400);
      assert.match(
        ((await thinkingOnly.json()) as { error: { message: string } }).error.message,
        /The value of the enable_thinking parameter is restricted to True/,
      );
    });

    it('a Model Studio key is refused with DashScope’s 401', async () => {
      const res = await chat('/coding/v1/chat/completions', {}, { ...bearer, authorization: 'Bearer sk-wrong' });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    });
  });

  describe("Z.ai's GLM Coding Plan quota endpoint", () => {
    it('reports the 5-hour token window with counts, or only a share on newer accounts', async () => {
      emu.configure({ zai: { level: 'pro', tokensPer5h: 1000 } });
      assert.equal((await chat('/api/coding/paas/v4/chat/completions', { model: 'glm-5.1' })).status, 200);
      const quota = (await (await get('/api/monitor/usage/quota/limit')).json()) as {
        code: number;
        success: boolean;
        data: { level: string; limits: Record<string, unknown>[] };
      };
      assert.equal(quota.code, 200);
      assert.equal(quota.success, true);
      assert.equal(quota.data.level, 'pro');
      const tokens = quota.data.limits.find((limit) => limit.type === 'TOKENS_LIMIT');
      assert.equal(tokens?.unit, 3);
      assert.equal(tokens?.number, 5);
      assert.equal(tokens?.usage, 1000);
      assert.ok((tokens?.currentValue as number) > 0, 'the chat request counted');
      assert.equal(tokens?.nextResetTime, clock + 5 * 3_600_000);
      emu.configure({ zai: { percentageOnly: true, tokensPer5h: 1000 } });
      const newer = (await (await get('/api/monitor/usage/quota/limit')).json()) as {
        data: { limits: Record<string, unknown>[] };
      };
      const share = newer.data.limits.find((limit) => limit.type === 'TOKENS_LIMIT');
      assert.deepEqual(Object.keys(share ?? {}).sort(), ['nextResetTime', 'number', 'percentage', 'type', 'unit']);
    });
  });

  describe('LiteLLM', () => {
    it('reports spend and budget of the key', async () => {
      emu.configure({
        litellm: { spend: 3.5, maxBudget: 20, budgetResetAt: '2025-02-01T00:00:00Z', budgetDuration: '30d' },
      });
      const body = (await (await get('/key/info')).json()) as { key: string; info: Record<string, unknown> };
      assert.match(body.key, /^[0-9a-f]{64}$/);
      assert.equal(body.info.spend, 3.5);
      assert.equal(body.info.max_budget, 20);
      assert.equal(body.info.budget_reset_at, '2025-02-01T00:00:00Z');
      assert.ok(!JSON.stringify(body).includes(KEY));
    });
  });

  describe('quotas', () => {
    it('OpenAI: a per-minute limit answers rate_limit_exceeded with x-ratelimit headers and retry-after', async () => {
      emu.configure({ requestsPerMinute: 2 });
      const first = await chat();
      assert.equal(first.headers.get('x-ratelimit-limit-requests'), '2');
      assert.equal(first.headers.get('x-ratelimit-remaining-requests'), '1');
      assert.equal(first.headers.get('x-ratelimit-reset-requests'), '30s');
      assert.equal((await chat()).headers.get('x-ratelimit-remaining-requests'), '0');
      const refused = await chat();
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '30');
      assert.equal(refused.headers.get('x-ratelimit-remaining-requests'), '0');
      const body = (await refused.json()) as { error: { message: string; type: string; param: unknown; code: string } };
      assert.equal(body.error.code, 'rate_limit_exceeded');
      assert.equal(body.error.type, 'requests');
      assert.equal(body.error.param, null);
      assert.match(
        body.error.message,
        /^Rate limit reached for emulator-chat .* on requests per min \(RPM\): Limit 2, Used 2, Requested 1\./,
      );
      assert.equal((await get('/v1/models')).status, 200, 'listing models is not a generation request');
      clock += 30_000;
      assert.equal((await chat()).status, 200, 'a new minute');
    });

    it('OpenAI: a per-day limit answers insufficient_quota until the UTC day rolls over', async () => {
      emu.configure({ requestsPerDay: 1 });
      assert.equal((await chat()).status, 200);
      const refused = await chat();
      assert.equal(refused.status, 429);
      assert.deepEqual(await refused.json(), {
        error: {
          message:
            'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        },
      });
      clock += 60 * 60_000;
      assert.equal((await chat()).status, 429, 'same day');
      clock = Date.UTC(2025, 0, 2, 0, 0, 1);
      assert.equal((await chat()).status, 200, 'next day');
      assert.equal((await chat()).status, 429);
      emu.resetQuota();
      assert.equal((await chat()).status, 200, 'after resetQuota()');
    });

    it('Anthropic: rate_limit_error with retry-after, and the spend cap without it', async () => {
      const message = () =>
        post(
          '/v1/messages',
          { model: 'claude-emulator', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] },
          anthropicHeaders,
        );
      emu.configure({ requestsPerMinute: 1 });
      assert.equal((await message()).status, 200);
      const limited = await message();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '30');
      assert.equal(limited.headers.get('anthropic-ratelimit-requests-limit'), '1');
      assert.equal(limited.headers.get('anthropic-ratelimit-requests-remaining'), '0');
      assert.equal(limited.headers.get('anthropic-ratelimit-requests-reset'), '2025-01-01T12:01:00Z');
      const limitedBody = (await limited.json()) as { type: string; error: { type: string }; request_id: string };
      assert.equal(limitedBody.type, 'error');
      assert.equal(limitedBody.error.type, 'rate_limit_error');
      assert.equal(limitedBody.request_id, limited.headers.get('request-id'));

      emu.configure({ requestsPerMinute: undefined, requestsPerDay: 1 });
      emu.resetQuota();
      assert.equal((await message()).status, 200);
      const capped = await message();
      assert.equal(capped.status, 429);
      assert.equal(capped.headers.get('retry-after'), null);
      const cappedBody = (await capped.json()) as { error: { type: string; details: { error_code: string } } };
      assert.equal(cappedBody.error.type, 'rate_limit_error');
      assert.equal(cappedBody.error.details.error_code, 'enforced_spend_limit_reached');
    });

    it('DashScope: RateQuota per minute, AllocationQuota per day, native and compatible-mode bodies', async () => {
      emu.configure({ quotaStyle: 'dashscope', requestsPerMinute: 1 });
      await chat();
      const minute = await chat();
      assert.equal(minute.status, 429);
      const minuteBody = (await minute.json()) as Record<string, unknown>;
      assert.match(String(minuteBody.request_id), /^req_/);
      assert.deepEqual(
        { ...minuteBody, request_id: 'x' },
        {
          code: 'Throttling.RateQuota',
          message: 'Requests rate limit exceeded, please try again later.',
          request_id: 'x',
        },
      );

      emu.configure({ requestsPerMinute: undefined, requestsPerDay: 1 });
      emu.resetQuota();
      await chat();
      const day = (await (await chat()).json()) as Record<string, unknown>;
      assert.equal(day.code, 'Throttling.AllocationQuota');
      assert.equal(day.message, 'Allocated quota exceeded, please increase your quota limit.');

      emu.configure({ quotaStyle: undefined });
      await chat('/compatible-mode/v1/chat/completions');
      const compatible = await chat('/compatible-mode/v1/chat/completions');
      assert.equal(compatible.status, 429);
      const compatibleBody = (await compatible.json()) as { error: Record<string, unknown>; request_id: string };
      assert.deepEqual(compatibleBody.error, {
        message: 'Allocated quota exceeded, please increase your quota limit.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      });
    });

    it('DashScope free tier: Free allocated quota exceeded', async () => {
      emu.configure({ quotaStyle: 'dashscope-free', requestsPerDay: 0 });
      const res = await chat();
      assert.equal(res.status, 429);
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['code', 'message', 'request_id']);
      assert.equal(body.code, 'Throttling.AllocationQuota');
      assert.equal(body.message, 'Free allocated quota exceeded.');
    });

    it('DeepSeek: 429 Rate Limit Reached per minute, 402 per day, no rate-limit headers', async () => {
      emu.configure({ requestsPerMinute: 0 });
      const minute = await chat('/chat/completions');
      assert.equal(minute.status, 429);
      assert.equal(((await minute.json()) as { error: { message: string } }).error.message, 'Rate Limit Reached');
      assert.equal(minute.headers.get('x-ratelimit-limit-requests'), null);
      emu.configure({ requestsPerMinute: undefined, requestsPerDay: 0 });
      const day = await chat('/chat/completions');
      assert.equal(day.status, 402);
      assert.equal(((await day.json()) as { error: { message: string } }).error.message, 'Insufficient Balance');
    });

    it('OpenRouter: free-models-per-min and -per-day with X-RateLimit headers', async () => {
      emu.configure({ requestsPerMinute: 0 });
      const minute = await chat('/api/v1/chat/completions');
      assert.equal(minute.status, 429);
      assert.equal(minute.headers.get('x-ratelimit-limit'), '0');
      assert.equal(minute.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(minute.headers.get('x-ratelimit-reset'), String(Date.UTC(2025, 0, 1, 12, 1, 0)));
      const minuteBody = (await minute.json()) as { error: { code: number; message: string } };
      assert.equal(minuteBody.error.code, 429);
      assert.match(minuteBody.error.message, /^Rate limit exceeded: free-models-per-min\./);
      emu.configure({ requestsPerMinute: undefined, requestsPerDay: 50 });
      for (let i = 0; i < 50; i++) await (await chat('/api/v1/chat/completions')).text();
      const day = await chat('/api/v1/chat/completions');
      assert.equal(day.headers.get('x-ratelimit-limit'), '50');
      assert.equal(day.headers.get('x-ratelimit-reset'), String(Date.UTC(2025, 0, 2)));
      assert.equal(
        ((await day.json()) as { error: { message: string } }).error.message,
        'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day',
      );
    });

    it('keeps each backend on its own quota', async () => {
      emu.configure({ quotas: { dashscope: { requestsPerDay: 0, quotaStyle: 'dashscope-free' } } });
      assert.equal((await chat('/compatible-mode/v1/chat/completions')).status, 429);
      assert.equal((await chat('/chat/completions')).status, 200, 'DeepSeek still answers');
      assert.equal((await chat()).status, 200, 'OpenAI still answers');
    });

    it('never limits Ollama', async () => {
      emu.configure({ requestsPerDay: 0 });
      assert.equal(
        (await post('/api/generate', { model: 'emulator-coder', prompt: 'x', stream: false }, {})).status,
        200,
      );
    });
  });

  describe('faults', () => {
    afterEach(() => emu.clearFaults());

    it('reset: the client read fails mid-stream', async () => {
      emu.fault({ kind: 'reset', path: '/v1/chat/completions', afterChunks: 2 });
      const res = await chat('/v1/chat/completions', { stream: true });
      assert.equal(res.status, 200);
      await assert.rejects(res.text());
      const record = emu.requests.at(-1);
      assert.equal(record?.status, 200);
      assert.equal((await chat()).status, 200, 'only the next request');
    });

    it('reset: a non-streaming request loses its connection before headers', async () => {
      emu.fault({ kind: 'reset', path: '/v1/completions' });
      await assert.rejects(post('/v1/completions', { prompt: 'x' }));
      assert.equal(emu.requests.at(-1)?.status, undefined);
    });

    it('malformed-sse: one data line is not JSON, the stream goes on', async () => {
      emu.fault({ kind: 'malformed-sse', afterChunks: 1 });
      const text = await (await chat('/v1/chat/completions', { stream: true })).text();
      const dataLines = text.split('\n').filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]');
      const broken = dataLines.filter((line) => {
        try {
          JSON.parse(line.slice(6));
          return false;
        } catch {
          return true;
        }
      });
      assert.equal(broken.length, 1);
      assert.ok(text.endsWith('data: [DONE]\n\n'));
    });

    it('truncate: the stream ends cleanly, without its usage chunk or [DONE]', async () => {
      emu.fault({ kind: 'truncate', path: '/v1/chat/completions', afterChunks: 2 });
      const text = await (
        await chat('/v1/chat/completions', { stream: true, stream_options: { include_usage: true } })
      ).text();
      const dataLines = text.split('\n').filter((line) => line.startsWith('data: '));
      assert.equal(dataLines.length, 2);
      assert.ok(!text.includes('[DONE]'));
      assert.ok(!text.includes('"usage"'));
    });

    it('truncate: a non-streaming answer ends early', async () => {
      emu.fault({ kind: 'truncate', path: '/v1/chat/completions' });
      const res = await chat();
      assert.equal(res.status, 200);
      await assert.rejects(res.json());
    });

    it('malformed-sse on Ollama: one NDJSON line is not JSON', async () => {
      emu.fault({ kind: 'malformed-sse', path: '/api/generate', afterChunks: 1 });
      const lines = (await (await post('/api/generate', { model: 'emulator-coder', prompt: 'x' }, {})).text())
        .split('\n')
        .filter(Boolean);
      assert.equal(lines.filter((line) => !line.endsWith('}')).length, 1);
    });

    it('stall: headers arrive, then no body within 200 ms, until the client gives up', async () => {
      emu.fault({ kind: 'stall', path: '/v1/chat/completions' });
      const controller = new AbortController();
      const res = await fetch(`${emu.url}/v1/chat/completions`, {
        method: 'POST',
        headers: bearer,
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: true }),
        signal: controller.signal,
      });
      assert.equal(res.status, 200);
      assert.ok(res.body);
      const reader = res.body.getReader();
      const read = reader.read().then(
        () => 'body' as const,
        () => 'aborted' as const,
      );
      const outcome = await Promise.race([
        read,
        new Promise<'quiet'>((resolve) => setTimeout(() => resolve('quiet'), 200)),
      ]);
      assert.equal(outcome, 'quiet');
      controller.abort();
      assert.equal(await read, 'aborted');
      const record = emu.requests.at(-1);
      await until(() => record?.aborted === true, 'the server to see the client go');
    });

    it('server-error: each backend answers 5xx with its own body', async () => {
      const cases: {
        path: string;
        status: number;
        send: () => Promise<Response>;
        check: (res: Response) => Promise<void>;
      }[] = [
        {
          path: '/v1/chat/completions',
          status: 500,
          send: () => chat(),
          check: async (res) =>
            assert.equal(((await res.json()) as { error: { type: string } }).error.type, 'server_error'),
        },
        {
          path: '/v1/chat/completions',
          status: 502,
          send: () => chat(),
          check: async (res) => {
            assert.equal(res.headers.get('content-type'), 'text/html');
            assert.match(await res.text(), /502 Bad Gateway/);
          },
        },
        {
          path: '/v1/chat/completions',
          status: 503,
          send: () => chat(),
          check: async (res) =>
            assert.match(((await res.json()) as { error: { message: string } }).error.message, /overloaded/),
        },
        {
          path: '/v1/messages',
          status: 529,
          send: () =>
            post(
              '/v1/messages',
              { model: 'c', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] },
              anthropicHeaders,
            ),
          check: async (res) =>
            assert.deepEqual(((await res.json()) as { error: unknown }).error, {
              type: 'overloaded_error',
              message: 'Overloaded',
            }),
        },
        {
          path: '/v1/messages',
          status: 500,
          send: () =>
            post(
              '/v1/messages',
              { model: 'c', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] },
              anthropicHeaders,
            ),
          check: async (res) =>
            assert.equal(((await res.json()) as { error: { type: string } }).error.type, 'api_error'),
        },
        {
          path: '/api/generate',
          status: 500,
          send: () => post('/api/generate', { model: 'emulator-coder', prompt: 'x' }, {}),
          check: async (res) => assert.equal(typeof ((await res.json()) as { error: unknown }).error, 'string'),
        },
        {
          path: '/api/v1/chat/completions',
          status: 502,
          send: () => chat('/api/v1/chat/completions'),
          check: async (res) => assert.equal(((await res.json()) as { error: { code: number } }).error.code, 502),
        },
        {
          path: '/chat/completions',
          status: 503,
          send: () => chat('/chat/completions'),
          check: async (res) =>
            assert.equal(((await res.json()) as { error: { message: string } }).error.message, 'Server Overloaded'),
        },
      ];
      for (const { path, status, send, check } of cases) {
        emu.fault({ kind: 'server-error', status, path });
        const res = await send();
        assert.equal(res.status, status, `${path} ${status}`);
        await check(res);
      }
    });

    it('error-event: OpenAI-style data error and an Ollama error line', async () => {
      emu.fault({ kind: 'error-event', path: '/v1/chat/completions', afterChunks: 1 });
      const events = jsonEvents(await (await chat('/v1/chat/completions', { stream: true })).text());
      assert.equal(events.length, 2);
      assert.equal((events[1] as { error: { type: string } }).error.type, 'server_error');
      emu.fault({ kind: 'error-event', path: '/api/chat', afterChunks: 1 });
      const lines = ndjson(
        await (
          await post('/api/chat', { model: 'emulator-chat', messages: [{ role: 'user', content: 'x' }] }, {})
        ).text(),
      );
      assert.equal(typeof lines.at(-1)?.error, 'string');
    });

    it('slow-headers: nothing arrives before the delay; the fault is used up', async () => {
      emu.fault({ kind: 'slow-headers', delayMs: 60_000, path: '/v1/models' });
      await assert.rejects(fetch(`${emu.url}/v1/models`, { headers: bearer, signal: AbortSignal.timeout(100) }));
      assert.equal((await get('/v1/models')).status, 200);
    });

    it('applies to the next N matching requests only', async () => {
      emu.fault({ kind: 'server-error', status: 503, path: /^\/v1\/(chat\/)?completions$/, times: 2 });
      assert.equal((await get('/v1/models')).status, 200, 'another path is untouched');
      assert.equal((await chat()).status, 503);
      assert.equal((await post('/v1/completions', { prompt: 'x' })).status, 503);
      assert.equal((await chat()).status, 200);
    });

    it('is consumed only by requests that pass auth', async () => {
      emu.fault({ kind: 'server-error', path: '/v1/chat/completions' });
      assert.equal((await chat('/v1/chat/completions', {}, { authorization: 'Bearer nope' })).status, 401);
      assert.equal((await chat()).status, 500);
    });
  });

  describe('hostile usage counts', () => {
    afterEach(() => emu.configure({ reportUsage: undefined }));

    it('reportUsage replaces each usage object the emulator reports, and says which it is', async () => {
      const seen: string[] = [];
      emu.configure({
        reportUsage: (usage, where) => {
          seen.push(where);
          if (where === 'openai') return { ...usage, prompt_tokens: '1000' };
          if (where === 'anthropic-start') return { ...usage, input_tokens: -5 };
          if (where === 'ollama') return { ...usage, prompt_eval_count: undefined, eval_count: 1.5 };
          return usage;
        },
      });
      const openai = jsonEvents(
        await (await chat('/v1/chat/completions', { stream: true, stream_options: { include_usage: true } })).text(),
      );
      const usage = (openai.at(-1) as { usage: Record<string, unknown> }).usage;
      assert.equal(usage.prompt_tokens, '1000');
      assert.equal(typeof usage.completion_tokens, 'number');

      const anthropic = await post(
        '/v1/messages',
        { model: 'claude-x', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], stream: true },
        { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
      );
      const start = (await anthropic.text()).split('\n').find((line) => line.includes('"message_start"'));
      assert.ok(start);
      assert.equal(JSON.parse(start.slice('data: '.length)).message.usage.input_tokens, -5);

      const lines = ndjson(
        await (await post('/api/generate', { model: 'emulator-coder', prompt: 'x', stream: false }, {})).text(),
      );
      assert.equal(lines.at(-1)?.eval_count, 1.5);
      assert.equal('prompt_eval_count' in (lines.at(-1) ?? {}), false);
      assert.deepEqual(seen, ['openai', 'anthropic-start', 'anthropic-delta', 'ollama']);
    });
  });
});

describe('emulator lifecycle', () => {
  const watched = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];
  const census = () => {
    const counts: Record<string, number> = {};
    for (const type of process.getActiveResourcesInfo())
      if (watched.includes(type)) counts[type] = (counts[type] ?? 0) + 1;
    return counts;
  };

  it('close() ends stalled streams and slow headers and leaves no open handles', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const baseline = census();
    const emu = await startEmulator();
    emu.fault({ kind: 'stall', path: '/v1/chat/completions' });
    emu.fault({ kind: 'slow-headers', delayMs: 600_000, path: '/v1/models' });
    const stalled = await fetch(`${emu.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ messages: [], stream: true }),
    });
    assert.ok(stalled.body);
    const pendingRead = stalled.body
      .getReader()
      .read()
      .catch((error: unknown) => error);
    const pendingHeaders = fetch(`${emu.url}/v1/models`).catch((error: unknown) => error);
    await until(() => emu.requests.length === 2, 'both requests to arrive');

    await emu.close();
    assert.ok((await pendingRead) instanceof Error, 'the stalled read fails once the emulator closes');
    assert.ok((await pendingHeaders) instanceof Error, 'the slow request fails once the emulator closes');
    await until(
      () => watched.every((type) => (census()[type] ?? 0) <= (baseline[type] ?? 0)),
      `no handles beyond ${JSON.stringify(baseline)} (now ${JSON.stringify(census())})`,
    );
  });

  it('gives the same answers from a fresh emulator', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const emu = await startEmulator({ now: () => NOON_AND_30S });
      try {
        const res = await fetch(`${emu.url}/v1/chat/completions`, {
          method: 'POST',
          body: JSON.stringify({ messages: [{ role: 'user', content: 'same' }] }),
        });
        answers.push(await res.text());
      } finally {
        await emu.close();
      }
    }
    assert.equal(answers[0], answers[1]);
  });
});
