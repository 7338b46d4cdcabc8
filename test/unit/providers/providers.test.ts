/**
 * Every protocol through the one Provider interface, against the emulator over real sockets:
 * chat streams with usage, FIM where the backend has it, faults become the right kind, and a
 * cancelled stream leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanHoleFillAnswer } from '../../../src/core/providers/holeFillPrompt';
import { PRESETS } from '../../../src/core/providers/presets';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { createProvider } from '../../../src/backends/providerRuntime';
import { DEFAULT_MODELS } from '../../emulator/options';
import { startEmulator, type Emulator } from '../../emulator/server';

const KEY = 'sk-emu-PLANTEDKEY-0123456789abcdefghij';

function provider(
  entry: Record<string, unknown>,
  key: string | undefined = KEY,
  qwenCredentialsFile?: string,
): Provider {
  const { providers, problems } = parseProviders([{ id: 'p', ...entry }]);
  assert.deepEqual(problems, []);
  assert.ok(providers[0]);
  return createProvider(providers[0], key, { qwenCredentialsFile });
}

async function collect(p: Provider, content = 'hello') {
  let text = '';
  let reasoning = '';
  let usage;
  const events: string[] = [];
  for await (const event of p.chat({ messages: [{ role: 'user', content }], maxTokens: 200 })) {
    if (events.at(-1) !== event.type) events.push(event.type);
    if (event.type === 'text') text += event.text;
    else if (event.type === 'thinking') reasoning += event.text;
    else if (event.type === 'done') usage = event.usage;
  }
  return { text, reasoning, usage, events };
}

/** The chat requests the emulator saw since `from`, each as its status and one field of its body. */
function chatSent(emulator: Emulator, from: number, field: string): unknown[][] {
  return emulator.requests
    .slice(from)
    .filter((request) => request.path.endsWith('/chat/completions'))
    .map((request) => [request.status, (request.body as Record<string, unknown>)[field]]);
}

describe('every protocol through one interface', () => {
  let emulator: Emulator;
  let scratch: string;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY });
    scratch = mkdtempSync(join(tmpdir(), 'sb-providers-'));
  });
  after(async () => {
    await emulator.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Qwen Code's OAuth login, valid for an hour, pointing at the emulator: the credentials file's path. */
  const writeQwenCredentials = () => {
    const file = join(scratch, 'oauth_creds.json');
    writeFileSync(
      file,
      JSON.stringify({
        access_token: KEY,
        refresh_token: 'r-token-abcdef123456',
        token_type: 'Bearer',
        resource_url: emulator.url,
        expiry_date: Date.now() + 3_600_000,
      }),
    );
    return file;
  };

  const cases: { name: string; entry: () => Record<string, unknown>; fimPath: string | RegExp; rawPrompt?: string }[] =
    [
      {
        name: 'OpenAI-compatible, /v1/completions with suffix',
        entry: () => ({
          preset: 'custom',
          baseUrl: emulator.baseUrls.openai,
          chatModel: 'emulator-chat',
          completionModel: 'emulator-coder',
        }),
        fimPath: '/v1/completions',
      },
      {
        name: 'DashScope, FIM over chat',
        entry: () => ({ preset: 'dashscope-intl', baseUrl: emulator.baseUrls.dashscope }),
        fimPath: '/compatible-mode/v1/chat/completions',
      },
      {
        name: 'DashScope China, raw template',
        entry: () => ({ preset: 'dashscope-cn', baseUrl: emulator.baseUrls.dashscope }),
        fimPath: '/compatible-mode/v1/completions',
        rawPrompt: '<|fim_prefix|>function add(a, b) {<|fim_suffix|>\n}<|fim_middle|>',
      },
      {
        name: 'DeepSeek, /beta/completions',
        entry: () => ({
          preset: 'deepseek',
          baseUrl: emulator.baseUrls.openai,
          fimBaseUrl: emulator.baseUrls.deepseekBeta,
        }),
        fimPath: '/beta/completions',
      },
      {
        name: 'Mistral, /v1/fim/completions',
        entry: () => ({ preset: 'mistral', baseUrl: emulator.baseUrls.mistral }),
        fimPath: '/v1/fim/completions',
      },
      {
        name: 'OpenRouter, FIM over chat',
        entry: () => ({ preset: 'openrouter', baseUrl: emulator.baseUrls.openrouter }),
        fimPath: '/api/v1/chat/completions',
      },
      {
        name: 'Gemini, FIM over chat',
        entry: () => ({ preset: 'gemini', baseUrl: emulator.baseUrls.gemini }),
        fimPath: '/v1beta/openai/chat/completions',
      },
      {
        name: 'Anthropic, FIM over chat',
        entry: () => ({ preset: 'anthropic', baseUrl: emulator.baseUrls.anthropic }),
        fimPath: '/v1/messages',
      },
      {
        name: 'Ollama, native /api/generate with suffix',
        entry: () => ({
          preset: 'ollama',
          baseUrl: emulator.baseUrls.ollama,
          chatModel: 'emulator-chat',
          completionModel: 'emulator-coder',
        }),
        fimPath: '/api/generate',
      },
    ];

  for (const testCase of cases) {
    it(`${testCase.name}: streams chat with reported usage`, async () => {
      const { text, usage } = await collect(provider(testCase.entry()), 'what is 2+2?');
      assert.match(text, /You asked: "what is 2\+2\?"/);
      assert.equal(usage?.reported, true, 'the backend reported usage');
      assert.ok((usage?.inputTokens ?? 0) > 0 && (usage?.outputTokens ?? 0) > 0);
    });

    it(`${testCase.name}: fills in the middle on its route`, async () => {
      const before = emulator.count(testCase.fimPath);
      const result = await provider(testCase.entry()).fim({
        prefix: 'function add(a, b) {',
        suffix: '\n}\n',
        maxTokens: 64,
        rawPrompt: testCase.rawPrompt,
      });
      assert.equal(emulator.count(testCase.fimPath), before + 1, `one request to ${String(testCase.fimPath)}`);
      assert.ok(result.text.length > 0, 'some completion text');
      assert.ok(!/<HOLE>|```/.test(result.text), 'no prompt markup or fences leak into the completion');
      assert.ok(result.usage.inputTokens > 0);
    });
  }

  for (const testCase of cases) {
    it(`${testCase.name}: a listener to a streamed FIM answer hears it grow to the whole answer`, async () => {
      const ask = (onText?: (text: string, route?: string) => void) =>
        provider(testCase.entry()).fim({
          prefix: 'function add(a, b) {',
          suffix: '\n}\n',
          maxTokens: 64,
          rawPrompt: testCase.rawPrompt,
          ...(onText && { onText }),
        });
      const whole = await ask();
      const heard: string[] = [];
      const routes = new Set<string | undefined>();
      const streamed = await ask((text, route) => {
        heard.push(text);
        routes.add(route);
      });
      assert.equal(streamed.text, whole.text, 'the same answer, streamed or not');
      assert.ok(heard.length > 1, `heard it grow: ${JSON.stringify(heard)}`);
      assert.deepEqual([...routes], [streamed.route === 'chat' ? 'chat' : undefined]);
      // A chat model's raw answer, fence and all: the listener unwraps it as the whole one is.
      assert.equal(streamed.route === 'chat' ? cleanHoleFillAnswer(heard.at(-1) ?? '') : heard.at(-1), streamed.text);
      assert.equal(streamed.usage.reported, whole.usage.reported);
    });
  }

  for (const testCase of cases) {
    it(`${testCase.name}: a single line (stop at the line break) streams only where a chat model may wrap it`, async () => {
      const before = emulator.requests.length;
      const heard: string[] = [];
      const result = await provider(testCase.entry()).fim({
        prefix: 'const greeting =',
        suffix: '\n',
        maxTokens: 64,
        stop: ['\n'],
        rawPrompt: testCase.rawPrompt,
        onText: (text) => void heard.push(text),
      });
      const sent = emulator.requests.slice(before).find((request) => request.path === testCase.fimPath);
      const body = sent?.body as { stream?: unknown; stop?: unknown; stop_sequences?: unknown; options?: unknown };
      if (result.route === 'chat') {
        // The fence a chat model opens with would end the answer at a line-break stop.
        assert.equal(body.stream, true);
        assert.ok(!JSON.stringify(body.stop ?? body.stop_sequences ?? []).includes('"\\n"'), JSON.stringify(body));
        assert.ok(heard.length > 0);
      } else {
        // Cut at its first line break, a FIM answer has nothing to show before it ends: it comes whole.
        assert.notEqual(body.stream, true, JSON.stringify(body));
        assert.deepEqual(heard, []);
      }
    });
  }

  for (const testCase of cases) {
    it(`${testCase.name}: a listener that has enough stops the stream there, and the server stops writing`, async () => {
      // A model that runs on for a hundred lines, at a pace that leaves time to hang up.
      const running = `  return a + b;\n${'  total = next(total);\n'.repeat(100)}`;
      emulator.configure({ fimResponder: () => running, tokensPerSecond: 400 });
      try {
        const before = emulator.requests.length;
        let heardLast = '';
        const result = await provider(testCase.entry()).fim({
          prefix: 'function add(a, b) {',
          suffix: '\n}\n',
          maxTokens: 2000,
          rawPrompt: testCase.rawPrompt,
          onText: (text) => {
            heardLast = text;
            return text.split('\n').length > 4 ? 'enough' : undefined;
          },
        });
        assert.equal(result.stoppedEarly, true);
        assert.equal(result.text, result.route === 'chat' ? cleanHoleFillAnswer(heardLast) : heardLast);
        assert.match(result.text, /return a \+ b;\n/);
        assert.ok(result.text.split('\n').length < 10, `only what had arrived: ${JSON.stringify(result.text)}`);
        // The server's report comes at the end, which never came: the tokens received are estimated.
        assert.equal(result.usage.reported, false);
        assert.ok(result.usage.outputTokens > 0 && result.usage.outputTokens < 100, JSON.stringify(result.usage));
        const sent = emulator.requests.slice(before).find((request) => request.path === testCase.fimPath);
        assert.ok(sent, `a request to ${String(testCase.fimPath)}`);
        // The connection closed under the server, before it had written the rest.
        for (let waited = 0; !sent.aborted && waited < 100; waited++) await new Promise((r) => setTimeout(r, 20));
        assert.equal(sent.aborted, true, 'the server saw the client go');
        assert.ok(
          sent.generatedTokens < 150,
          `the server stopped generating: ${sent.generatedTokens} tokens of the hundreds the answer runs to`,
        );
      } finally {
        emulator.configure({ fimResponder: undefined, tokensPerSecond: undefined });
      }
    });
  }

  it('Anthropic: a completion that stops at blank lines is answered (whitespace-only stop sequences are refused)', async () => {
    const before = emulator.requests.length;
    const result = await provider({ preset: 'anthropic', baseUrl: emulator.baseUrls.anthropic }).fim({
      prefix: 'function add(a, b) {',
      suffix: '\n}\n',
      maxTokens: 64,
      stop: ['\n\n\n', '</COMPLETION>'],
    });
    assert.match(result.text, /return a \+ b;/);
    const sent = emulator.requests.slice(before).find((request) => request.path === '/v1/messages');
    assert.equal(sent?.status, 200);
    assert.deepEqual((sent?.body as { stop_sequences?: unknown }).stop_sequences, ['</COMPLETION>']);
    assert.deepEqual(result.sent?.stop, ['</COMPLETION>'], 'reported as sent');
  });

  describe("OpenAI's reasoning models (the GPT-5 family, o-series)", () => {
    const openai = (completionModel: string) =>
      provider({ preset: 'openai', baseUrl: emulator.baseUrls.openai, chatModel: completionModel, completionModel });
    const sentBody = (before: number) =>
      emulator.requests.slice(before).find((request) => request.path === '/v1/chat/completions')?.body as Record<
        string,
        unknown
      >;

    for (const [model, effort] of [
      ['gpt-5.4-mini', 'none'],
      ['gpt-5-mini', 'minimal'],
      ['o4-mini', 'low'],
    ] as const) {
      it(`${model}: a completion asks in the parameters the model takes, reasoning "${effort}"`, async () => {
        const before = emulator.requests.length;
        const result = await openai(model).fim({
          prefix: 'function add(a, b) {',
          suffix: '\n}\n',
          maxTokens: 64,
          temperature: 0,
          stop: ['\n\n\n'],
        });
        assert.match(result.text, /return a \+ b;/);
        const body = sentBody(before);
        assert.equal(body.max_completion_tokens, 64);
        for (const refused of ['max_tokens', 'temperature', 'stop']) assert.equal(body[refused], undefined, refused);
        assert.equal(body.reasoning_effort, effort, 'as little reasoning as the model allows: ghost text cannot wait');
        assert.deepEqual(
          result.sent,
          { maxTokens: 64, temperature: undefined, reasoningEffort: effort },
          'reported as sent',
        );
      });
    }

    it("gpt-5.5 in chat: the model's own reasoning, and no parameter it refuses", async () => {
      const before = emulator.requests.length;
      let text = '';
      for await (const event of openai('gpt-5.5').chat({
        messages: [{ role: 'user', content: 'what is 2+2?' }],
        maxTokens: 200,
        temperature: 0.2,
      }))
        if (event.type === 'text') text += event.text;
      assert.match(text, /You asked/);
      const body = sentBody(before);
      assert.equal(body.max_completion_tokens, 200);
      assert.equal(body.reasoning_effort, undefined);
      assert.equal(body.temperature, undefined);
    });

    it('gpt-4.1-mini, not a reasoning model, is asked as before', async () => {
      const before = emulator.requests.length;
      await openai('gpt-4.1-mini').fim({
        prefix: 'const greeting =',
        suffix: '\n',
        maxTokens: 64,
        temperature: 0,
        stop: ['\n\n\n'],
      });
      const body = sentBody(before);
      assert.equal(body.max_tokens, 64);
      assert.equal(body.temperature, 0);
      assert.deepEqual(body.stop, ['\n\n\n']);
      assert.equal(body.reasoning_effort, undefined);
    });
  });

  for (const preset of ['mistral', 'codestral']) {
    it(`${preset}: chat streams without OpenAI's stream_options, which Mistral refuses, and still reads the usage`, async () => {
      const before = emulator.requests.length;
      const { text, usage } = await collect(provider({ preset, baseUrl: emulator.baseUrls.mistral }), 'what is 2+2?');
      assert.match(text, /You asked/);
      assert.equal(usage?.reported, true, 'Mistral reports usage in its last chunk unasked');
      const sent = emulator.requests.slice(before).filter((request) => request.path === '/v1/chat/completions');
      assert.equal(sent.length, 1, 'one request, not a refused one and a retry');
      assert.equal((sent[0]?.body as { stream_options?: unknown }).stream_options, undefined);
    });
  }

  it('a compatible server that refuses stream_options by name is asked again without, once, and from then on', async () => {
    // A gateway in front of Mistral's models, reached through the generic preset.
    const gateway = provider({
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      chatModel: 'mistral-small-latest',
    });
    const before = emulator.requests.length;
    const first = await collect(gateway, 'what is 2+2?');
    const second = await collect(gateway, 'and 3+3?');
    assert.match(first.text, /You asked/);
    assert.match(second.text, /You asked/);
    const sent = emulator.requests.slice(before).filter((request) => request.path === '/v1/chat/completions');
    assert.deepEqual(
      sent.map((request) => [
        request.status,
        (request.body as { stream_options?: unknown }).stream_options !== undefined,
      ]),
      [
        [422, true],
        [200, false],
        [200, false],
      ],
    );
    assert.equal(second.usage?.reported, true);
  });

  for (const preset of ['zhipu', 'zai-coding-plan', 'moonshot']) {
    it(`${preset}: a completion turns the model's thinking off, which would spend its tokens before any answer; chat leaves it on`, async () => {
      const baseUrl = preset === 'zai-coding-plan' ? emulator.baseUrls.zaiCodingPlan : emulator.baseUrls.openai;
      const backend = provider({ preset, baseUrl });
      const before = emulator.requests.length;
      const result = await backend.fim({
        prefix: 'function add(a, b) {',
        suffix: '\n}\n',
        maxTokens: 64,
        temperature: 0,
      });
      assert.match(result.text, /return a \+ b;/);
      await collect(backend, 'what is 2+2?');
      const bodies = emulator.requests
        .slice(before)
        .filter((request) => request.path.endsWith('/chat/completions') && request.status === 200)
        .map((request) => (request.body as { thinking?: unknown }).thinking);
      assert.deepEqual(bodies, [{ type: 'disabled' }, undefined]);
      assert.equal(result.sent?.reasoningEffort, 'none');
    });
  }

  // Qwen models that think unless told not to: on Alibaba's endpoints by a field of their own; on
  // llama.cpp's server and vLLM (a hybrid Qwen3 with no FIM template, filled over chat) by its
  // template; on LM Studio by `reasoning_effort`.
  for (const { preset, model, field, off } of [
    { preset: 'dashscope-intl', model: 'qwen3.7-plus', field: 'enable_thinking', off: false },
    { preset: 'coding-plan-intl', model: 'qwen3.7-plus', field: 'enable_thinking', off: false },
    {
      preset: 'llamacpp',
      model: 'Qwen3-8B-Q4_K_M.gguf',
      field: 'chat_template_kwargs',
      off: { enable_thinking: false },
    },
    { preset: 'vllm', model: 'Qwen/Qwen3-8B', field: 'chat_template_kwargs', off: { enable_thinking: false } },
    // LM Studio reads neither `enable_thinking` nor the template's kwargs, but `reasoning_effort`.
    { preset: 'lmstudio', model: 'qwen/qwen3.5-9b', field: 'reasoning_effort', off: 'none' },
  ]) {
    it(`${preset}: a completion on ${model}, which thinks by default, turns its thinking off and gets the answer; chat leaves it on`, async () => {
      const baseUrl =
        preset === 'coding-plan-intl'
          ? emulator.baseUrls.codingPlan
          : preset === 'dashscope-intl'
            ? emulator.baseUrls.dashscope
            : emulator.openaiBaseUrl;
      const backend = provider({ preset, baseUrl, chatModel: model, completionModel: model });
      const before = emulator.requests.length;
      const result = await backend.fim({
        prefix: 'function add(a, b) {',
        suffix: '\n}\n',
        maxTokens: 64,
        temperature: 0,
      });
      assert.match(result.text, /return a \+ b;/, 'the reasoning would have spent all 64 tokens');
      await collect(backend, 'what is 2+2?');
      assert.deepEqual(chatSent(emulator, before, field), [
        [200, off],
        [200, undefined],
      ]);
      assert.equal(result.sent?.reasoningEffort, 'none');
    });
  }

  it('chat says before the text that a model is thinking, and hands on its reasoning apart from the answer; a model that does not think says nothing of it', async () => {
    const plan = (chatModel: string) =>
      provider({ preset: 'coding-plan-intl', baseUrl: emulator.baseUrls.codingPlan, chatModel });
    const thinker = await collect(plan('qwen3.7-plus'), 'what is 2+2?');
    assert.deepEqual(thinker.events, ['thinking', 'text', 'done']);
    // The backend's own count of the reasoning among the output tokens.
    assert.ok((thinker.usage?.reasoningTokens ?? 0) > 50, JSON.stringify(thinker.usage));
    assert.ok((thinker.usage?.reasoningTokens ?? 0) < (thinker.usage?.outputTokens ?? 0));
    assert.match(thinker.text, /You asked/);
    assert.doesNotMatch(thinker.text, /Let me read the code/, 'the reasoning is not part of the answer');
    assert.match(thinker.reasoning, /^The user wants the code.*Let me read the code/, 'it is passed on, for counting');
    assert.deepEqual((await collect(plan('qwen3-coder-plus'), 'what is 2+2?')).events, ['text', 'done']);
  });

  it('a reasoning model whose server writes its reasoning into the answer as <think>…</think>: chat gets the answer alone, and says it was thinking', async () => {
    const vllm = provider({
      preset: 'vllm',
      baseUrl: emulator.baseUrls.openai,
      chatModel: 'deepseek-r1-distill-qwen-7b',
    });
    const { text, reasoning, events, usage } = await collect(vllm, 'what is 2+2?');
    assert.deepEqual(events, ['thinking', 'text', 'done']);
    assert.match(text, /^You asked/);
    assert.doesNotMatch(text, /think>|Let me read the code/);
    assert.match(reasoning, /Let me read the code/, 'the reasoning is passed on, for counting');
    assert.doesNotMatch(reasoning, /think>|You asked/);
    assert.ok((usage?.outputTokens ?? 0) > 100, 'the reasoning is billed, and counted');
  });

  it('a chat answer that merely opens with a <think> tag it never closes is shown whole, not lost', async () => {
    const answer = '<think> is not an HTML element; some models wrap their reasoning in it.';
    emulator.configure({ chatResponder: (question) => (question.includes('<think>') ? answer : undefined) });
    try {
      const plain = provider({ preset: 'custom', baseUrl: emulator.baseUrls.openai, chatModel: 'emulator-chat' });
      const { text, events } = await collect(plain, 'What is the <think> tag?');
      assert.equal(text, answer);
      assert.deepEqual(events, ['thinking', 'text', 'done']);
    } finally {
      emulator.configure({ chatResponder: undefined });
    }
  });

  it('a completion over chat from such a model is the code after the reasoning, not the reasoning', async () => {
    const gateway = provider({ preset: 'openai', baseUrl: emulator.baseUrls.openai, completionModel: 'qwq-32b' });
    // The engine judges a streamed answer as it comes, and may show its first lines early.
    const heard: string[] = [];
    const result = await gateway.fim({
      prefix: 'function add(a, b) {',
      suffix: '\n}\n',
      maxTokens: 400,
      onText: (text) => void heard.push(text),
    });
    assert.match(result.text, /return a \+ b;/);
    assert.ok(heard.length > 0);
    for (const text of [result.text, ...heard]) assert.doesNotMatch(text, /think>|Let me read the code/);
  });

  it('openrouter: a completion on a reasoning model asks for no reasoning and gets the answer; chat keeps it, and says it is thinking', async () => {
    const router = provider({
      preset: 'openrouter',
      baseUrl: emulator.baseUrls.openrouter,
      chatModel: 'z-ai/glm-4.5-air',
      completionModel: 'z-ai/glm-4.5-air',
    });
    const before = emulator.requests.length;
    const result = await router.fim({ prefix: 'function add(a, b) {', suffix: '\n}\n', maxTokens: 64, temperature: 0 });
    assert.match(result.text, /return a \+ b;/, 'the reasoning would have spent all 64 tokens');
    const chat = await collect(router, 'what is 2+2?');
    assert.deepEqual(chat.events, ['thinking', 'text', 'done'], 'OpenRouter streams the reasoning as `reasoning`');
    assert.deepEqual(chatSent(emulator, before, 'reasoning'), [
      [200, { effort: 'none' }],
      [200, undefined],
    ]);
  });

  it('ollama: a completion over chat on a thinking model sends think false; chat leaves it on', async () => {
    emulator.configure({ models: [...DEFAULT_MODELS, 'qwen3.5:4b'] });
    const ollama = provider({
      preset: 'ollama',
      baseUrl: emulator.baseUrls.ollama,
      chatModel: 'qwen3.5:4b',
      completionModel: 'qwen3.5:4b',
    });
    const before = emulator.requests.length;
    try {
      const result = await ollama.fim({
        prefix: 'function add(a, b) {',
        suffix: '\n}\n',
        maxTokens: 64,
        temperature: 0,
      });
      assert.match(result.text, /return a \+ b;/, 'the thinking would have spent all 64 tokens');
      assert.equal(result.route, 'chat', 'a model whose template takes no suffix is asked over chat');
      assert.equal(result.sent?.reasoningEffort, 'none');
      const chat = await collect(ollama, 'what is 2+2?');
      assert.deepEqual(chat.events, ['thinking', 'text', 'done'], 'chat keeps the thinking, and says so');
    } finally {
      emulator.configure({ models: undefined });
    }
    const sent = emulator.requests
      .slice(before)
      .filter((request) => request.path === '/api/chat')
      .map((request) => [request.status, (request.body as Record<string, unknown>).think]);
    assert.deepEqual(sent, [
      [200, false],
      [200, undefined],
    ]);
  });

  it('gemini: a completion asks each model for the least thinking it takes, and gets the answer; chat leaves it be', async () => {
    // Gemini thinks unseen within max_tokens: at its default a completion's 64 tokens go on thinking.
    for (const [model, effort] of [
      ['gemini-3.5-flash-lite', 'minimal'],
      ['gemini-2.5-flash', 'none'],
      ['gemini-2.5-pro', 'low'],
    ] as const) {
      const gemini = provider({
        preset: 'gemini',
        baseUrl: emulator.baseUrls.gemini,
        chatModel: model,
        completionModel: model,
      });
      const before = emulator.requests.length;
      const result = await gemini.fim({
        prefix: 'function add(a, b) {',
        suffix: '\n}\n',
        maxTokens: 64,
        temperature: 0,
      });
      assert.match(result.text, /return a \+ b;/, `${model}: the thinking would have spent all 64 tokens`);
      assert.equal(result.sent?.reasoningEffort, effort, model);
      await collect(gemini, 'what is 2+2?');
      assert.deepEqual(chatSent(emulator, before, 'reasoning_effort'), [
        [200, effort],
        [200, undefined],
      ]);
    }
  });

  it('gemini: a model that refuses the least level is asked at the next, once and from then on', async () => {
    const gemini = provider({
      preset: 'gemini',
      baseUrl: emulator.baseUrls.gemini,
      completionModel: 'gemini-3.8-flash',
    });
    const before = emulator.requests.length;
    const ask = () => gemini.fim({ prefix: 'function add(a, b) {', suffix: '\n}\n', maxTokens: 64, temperature: 0 });
    const first = await ask();
    assert.match(first.text, /return a \+ b;/);
    assert.equal(first.sent?.reasoningEffort, 'low', 'the request page shows the level that was taken');
    await ask();
    assert.deepEqual(chatSent(emulator, before, 'reasoning_effort'), [
      [400, 'minimal'],
      [200, 'low'],
      [200, 'low'],
    ]);
  });

  it("gemini: errors in Google's list-wrapped shape keep their kind and words through the SDK", async () => {
    const wrongKey = provider({ preset: 'gemini', baseUrl: emulator.baseUrls.gemini }, 'AIza-wrong-key-000000000000');
    await assert.rejects(collect(wrongKey), (error: unknown) => {
      assert.ok(ProviderError.is(error, 'auth'), String(error));
      assert.match(error.message, /API key not valid/);
      return true;
    });
    emulator.resetQuota();
    emulator.configure({ quotas: { gemini: { requestsPerDay: 1 } } });
    try {
      const gemini = provider({ preset: 'gemini', baseUrl: emulator.baseUrls.gemini });
      await collect(gemini);
      const askedAt = Date.now();
      await assert.rejects(collect(gemini), (error: unknown) => {
        assert.ok(ProviderError.is(error, 'quota-exhausted'), String(error));
        assert.match(error.message, /You exceeded your current quota/);
        assert.equal(error.retryable, false);
        // The day's requests come back at midnight Pacific, within a day.
        assert.ok(
          (error.resetAt ?? 0) > askedAt && (error.resetAt ?? 0) <= askedAt + 86_400_000,
          String(error.resetAt),
        );
        return true;
      });
    } finally {
      emulator.configure({ quotas: undefined });
      emulator.resetQuota();
    }
  });

  it("zai-coding-plan: a spent 5-hour window (429 1308) is a spent quota in Z.ai's words, and a busy one (1302) a rate limit", async () => {
    emulator.resetQuota();
    // The emulator's clock stands still: two requests either side of a minute's turn share no window.
    const now = Date.now();
    emulator.configure({ quotas: { zai: { requestsPer5h: 1 } }, now: () => now });
    try {
      const plan = provider({ preset: 'zai-coding-plan', baseUrl: emulator.baseUrls.zaiCodingPlan });
      await collect(plan);
      await assert.rejects(collect(plan), (error: unknown) => {
        assert.ok(ProviderError.is(error, 'quota-exhausted'), String(error));
        assert.equal(error.code, '1308');
        assert.equal(error.retryable, false, 'retrying does not bring a spent window back');
        assert.match(error.message, /5 小时的使用上限/);
        return true;
      });
      emulator.resetQuota();
      emulator.configure({ quotas: { zai: { requestsPerMinute: 1 } } });
      await collect(plan);
      await assert.rejects(collect(plan), (error: unknown) => {
        assert.ok(ProviderError.is(error, 'rate-limited'), String(error));
        assert.equal(error.code, '1302');
        return true;
      });
    } finally {
      emulator.configure({ quotas: undefined, now: undefined });
      emulator.resetQuota();
    }
  });

  it('dashscope: a thinking-only model refuses enable_thinking false; it is asked again without, once and from then on', async () => {
    const backend = provider({
      preset: 'dashscope-intl',
      baseUrl: emulator.baseUrls.dashscope,
      completionModel: 'qwen3-235b-a22b-thinking-2507',
    });
    const before = emulator.requests.length;
    const ask = () => backend.fim({ prefix: 'function add(a, b) {', suffix: '\n}\n', maxTokens: 64, temperature: 0 });
    const first = await ask();
    await ask();
    assert.deepEqual(chatSent(emulator, before, 'enable_thinking'), [
      [400, false],
      [200, undefined],
      [200, undefined],
    ]);
    assert.equal(first.sent?.reasoningEffort, undefined, 'the request page does not claim the thinking was off');
  });

  it("moonshot's kimi-k2.6: a completion refused for its temperature is asked again at the model's own, once and from then on", async () => {
    const kimi = provider({ preset: 'moonshot', baseUrl: emulator.baseUrls.openai });
    const before = emulator.requests.length;
    const ask = () => kimi.fim({ prefix: 'function add(a, b) {', suffix: '\n}\n', maxTokens: 64, temperature: 0 });
    assert.match((await ask()).text, /return a \+ b;/);
    assert.match((await ask()).text, /return a \+ b;/);
    const sent = emulator.requests.slice(before).filter((request) => request.path === '/v1/chat/completions');
    assert.deepEqual(
      sent.map((request) => [request.status, (request.body as { temperature?: unknown }).temperature]),
      [
        [400, 0],
        [200, undefined],
        [200, undefined],
      ],
    );
  });

  it('Ollama streams /api/generate to a listener, with the counts of its last line', async () => {
    const heard: string[] = [];
    const result = await provider({
      preset: 'ollama',
      baseUrl: emulator.baseUrls.ollama,
      chatModel: 'emulator-chat',
      completionModel: 'emulator-coder',
    }).fim({ prefix: 'function add(a, b) {', suffix: '\n}\n', maxTokens: 64, onText: (text) => void heard.push(text) });
    assert.ok(heard.length > 1, JSON.stringify(heard));
    assert.equal(heard.at(-1), result.text);
    assert.equal((emulator.requests.at(-1)?.body as { stream?: unknown }).stream, true);
    assert.equal(result.usage.reported, true);
    assert.ok(result.usage.outputTokens > 0);
  });

  it('Mistral streams its FIM endpoint to a listener, with the usage of its last chunk', async () => {
    const heard: string[] = [];
    const result = await provider({ preset: 'mistral', baseUrl: emulator.baseUrls.mistral }).fim({
      prefix: 'function add(a, b) {',
      suffix: '\n}\n',
      maxTokens: 64,
      onText: (text) => void heard.push(text),
    });
    assert.ok(heard.length > 1, JSON.stringify(heard));
    assert.equal(heard.at(-1), result.text);
    const sent = emulator.requests.at(-1);
    assert.equal(sent?.path, '/v1/fim/completions');
    assert.equal((sent?.body as { stream?: unknown }).stream, true);
    assert.equal(result.usage.reported, true);
    assert.equal(result.route, 'mistral-fim');
  });

  it("Ollama: an error line in the middle of a streamed answer is the server's error, not an answer", async () => {
    emulator.fault({ kind: 'error-event', path: '/api/generate' });
    await assert.rejects(
      provider({
        preset: 'ollama',
        baseUrl: emulator.baseUrls.ollama,
        chatModel: 'emulator-chat',
        completionModel: 'emulator-coder',
      }).fim({ prefix: 'function add(a, b) {', suffix: '\n}\n', maxTokens: 64, onText: () => {} }),
      (error: unknown) => ProviderError.is(error, 'server'),
    );
  });

  it('Qwen Code OAuth: uses the token from oauth_creds.json against resource_url', async () => {
    const file = writeQwenCredentials();
    const { text } = await collect(provider({ preset: 'qwen-oauth' }, undefined, file), 'hi qwen');
    assert.match(text, /You asked: "hi qwen"/);
  });

  it('Qwen Code OAuth: an exhausted free allocation says the tier ended and names alternatives', async () => {
    const file = writeQwenCredentials();
    emulator.configure({ quotas: { openai: { requestsPerDay: 0, quotaStyle: 'dashscope-free' } } });
    try {
      await assert.rejects(collect(provider({ preset: 'qwen-oauth' }, undefined, file)), (error: unknown) => {
        assert.ok(ProviderError.is(error, 'quota-exhausted'), String(error));
        assert.equal(error.retryable, false);
        assert.match(error.message, /ended on 2026-04-15/);
        assert.match(error.message, /Model Studio|OpenRouter|Ollama/);
        return true;
      });
    } finally {
      emulator.configure({ quotas: undefined });
      emulator.resetQuota();
    }
  });

  it('every preset in the catalogue answers chat and FIM through the same interface', async () => {
    for (const preset of PRESETS.filter((p) => p.protocol !== 'qwen-oauth' && p.protocol !== 'vscode-lm')) {
      const baseUrl =
        preset.protocol === 'anthropic'
          ? emulator.baseUrls.anthropic
          : preset.protocol === 'ollama'
            ? emulator.baseUrls.ollama
            : preset.fimRoute === 'mistral-fim'
              ? emulator.baseUrls.mistral
              : emulator.baseUrls.openai;
      const entry = {
        preset: preset.id,
        baseUrl,
        ...(preset.fimRoute === 'deepseek-beta' && { fimBaseUrl: emulator.baseUrls.deepseekBeta }),
        // Ollama's native API answers only for a model it has pulled.
        ...(preset.protocol === 'ollama' && { chatModel: 'emulator-chat', completionModel: 'emulator-coder' }),
      };
      const { text } = await collect(provider(entry), `preset ${preset.id}`);
      assert.match(text, new RegExp(`You asked: "preset ${preset.id}"`), preset.id);
      const rawPrompt =
        preset.fimRoute === 'raw-template' ? '<|fim_prefix|>const x =<|fim_suffix|><|fim_middle|>' : undefined;
      const result = await provider(entry).fim({ prefix: 'const greeting =', suffix: '', rawPrompt });
      assert.ok(result.text.length > 0, `${preset.id} completed over ${result.route}`);
    }
  });

  it('lists models and probes health on each protocol', async () => {
    for (const testCase of cases) {
      const p = provider(testCase.entry());
      const probe = await p.probe();
      assert.equal(probe.ok, true, `${testCase.name}: ${probe.detail}`);
      assert.ok((await p.listModels()).length > 0, testCase.name);
    }
  });
});

describe('faults become the right kind, never an unhandled rejection', () => {
  let emulator: Emulator;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  before(async () => {
    emulator = await startEmulator({ tokensPerSecond: 0 });
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await emulator.close();
    assert.deepEqual(unhandled, []);
  });

  const openai = () =>
    provider({ preset: 'custom', baseUrl: emulator.baseUrls.openai, chatModel: 'emulator-chat' }, undefined);
  const anthropic = () => provider({ preset: 'anthropic', baseUrl: emulator.baseUrls.anthropic }, KEY);

  const expectKind = async (p: Provider, kind: string, timeoutMs?: number) => {
    await assert.rejects(
      (async () => {
        for await (const _ of p.chat({
          messages: [{ role: 'user', content: 'x' }],
          timeoutMs,
          idleTimeoutMs: timeoutMs,
        }))
          void _;
      })(),
      (error: unknown) => {
        assert.ok(error instanceof ProviderError, `a ProviderError, got ${String(error)}`);
        assert.equal(error.kind, kind, error.message);
        return true;
      },
    );
  };

  it('connection reset mid-stream → network, and the server did see the request (it may bill it)', async () => {
    emulator.fault({ kind: 'reset', afterChunks: 2, path: '/v1/chat/completions' });
    await expectKind(openai(), 'network');
    emulator.fault({ kind: 'reset', afterChunks: 2, path: '/v1/chat/completions' });
    await assert.rejects(
      (async () => {
        for await (const _ of openai().chat({ messages: [{ role: 'user', content: 'x' }] })) void _;
      })(),
      (error: unknown) => error instanceof ProviderError && error.notSent !== true,
    );
  });

  it('malformed SSE → server', async () => {
    emulator.fault({ kind: 'malformed-sse', afterChunks: 1, path: '/v1/chat/completions' });
    await expectKind(openai(), 'server');
  });

  it('a stalled stream → timeout', async () => {
    emulator.fault({ kind: 'stall', afterChunks: 1, path: '/v1/chat/completions' });
    await expectKind(openai(), 'timeout', 300);
  });

  it('slow headers past the deadline → timeout', async () => {
    emulator.fault({ kind: 'slow-headers', delayMs: 2_000, path: '/v1/chat/completions' });
    await expectKind(openai(), 'timeout', 200);
  });

  it('HTTP 500 that persists → server (after retries)', async () => {
    emulator.fault({ kind: 'server-error', status: 500, path: '/v1/chat/completions', times: 10 });
    try {
      await expectKind(openai(), 'server');
    } finally {
      emulator.clearFaults();
    }
  });

  it('one 503 then success: the retry policy recovers', async () => {
    emulator.fault({ kind: 'server-error', status: 503, path: '/v1/chat/completions', times: 1 });
    const { text } = await collect(openai());
    assert.match(text, /You asked/);
  });

  it('one 500 then success: the failed attempt is told to the caller, for the ledger', async () => {
    emulator.fault({ kind: 'server-error', status: 500, path: '/v1/chat/completions', times: 1 });
    const retried: ProviderError[] = [];
    let text = '';
    const request = {
      messages: [{ role: 'user' as const, content: 'hello' }],
      onRetry: (e: ProviderError) => retried.push(e),
    };
    for await (const event of openai().chat(request)) if (event.type === 'text') text += event.text;
    assert.match(text, /You asked/);
    assert.deepEqual(
      retried.map((error) => [error.kind, error.status, error.notSent ?? false]),
      [['server', 500, false]],
    );
  });

  it('attempts that never went out (connection refused) are not told as requests', async () => {
    const retried: ProviderError[] = [];
    const unreachable = provider({
      preset: 'custom',
      baseUrl: 'http://127.0.0.1:9/v1',
      completionModel: 'emulator-coder',
    });
    await assert.rejects(
      unreachable.fim({ prefix: 'const a =', suffix: '', onRetry: (error) => retried.push(error) }),
      (error: unknown) => ProviderError.is(error, 'network'),
    );
    assert.deepEqual(retried, []);
  });

  it('a completion whose first attempt got a 503 tells that attempt, on a chat route and a FIM route alike', async () => {
    const routes = [
      {
        entry: { preset: 'dashscope-intl', baseUrl: emulator.baseUrls.dashscope },
        path: '/compatible-mode/v1/chat/completions',
      },
      {
        entry: {
          preset: 'custom',
          baseUrl: emulator.baseUrls.openai,
          chatModel: 'emulator-chat',
          completionModel: 'emulator-chat',
        },
        path: '/v1/completions',
      },
    ];
    for (const { entry, path } of routes) {
      emulator.fault({ kind: 'server-error', status: 503, path, times: 1 });
      const retried: ProviderError[] = [];
      const result = await provider(entry).fim({
        prefix: 'function add(a, b) {',
        suffix: '\n}',
        onRetry: (error) => retried.push(error),
      });
      emulator.clearFaults();
      assert.ok(result.text.length > 0, path);
      assert.deepEqual(
        retried.map((error) => error.status),
        [503],
        path,
      );
    }
  });

  it('Anthropic overloaded error event mid-stream → overloaded', async () => {
    emulator.fault({ kind: 'error-event', afterChunks: 2, path: '/v1/messages' });
    await expectKind(anthropic(), 'overloaded');
  });

  it('cancelling mid-stream stops the request on the server and leaves no timer behind', async () => {
    emulator.configure({ tokensPerSecond: 20 });
    try {
      const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const controller = new AbortController();
      let received = 0;
      await assert.rejects(
        (async () => {
          for await (const event of anthropic().chat({
            messages: [{ role: 'user', content: 'long please' }],
            signal: controller.signal,
          })) {
            if (event.type === 'text' && ++received === 2) controller.abort();
          }
        })(),
        (error: unknown) => ProviderError.is(error, 'cancelled'),
      );
      // The server learns of the abort when the socket closes: wait for it (bounded), do not time it.
      for (let i = 0; i < 500 && emulator.requests.at(-1)?.aborted !== true; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(emulator.requests.at(-1)?.aborted, true, 'the server saw the client go away');
      const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      assert.ok(timersAfter <= timersBefore, `timers before ${timersBefore}, after ${timersAfter}`);
    } finally {
      emulator.configure({ tokensPerSecond: 0 });
    }
  });
});
