import assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import * as vscode from 'vscode';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { Provider } from '../../../src/core/providers/types';
import { parseProviders, type ProviderConfig } from '../../../src/core/settings/providerSettings';
import { createProvider } from '../../../src/backends/providerRuntime';
import { participantHandler, PARTICIPANT_ID } from '../../../src/chat/vscodeChat/chatParticipant';
import { forgetEditorChatModels, NO_MODELS, VsCodeLmProvider } from '../../../src/chat/vscodeChat/vscodeLmProvider';
import { activateSwitchboard, eventually, EXTENSION_ID } from './helpers';
import { chatRequest, recordingStream } from './participantRequest';

type Api = Awaited<ReturnType<typeof activateSwitchboard>>;

const config = () => vscode.workspace.getConfiguration('switchboard');

/** Whether this VS Code takes other extensions' language models (1.104 and later). */
const takesModelProviders = () =>
  typeof (vscode.lm as unknown as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider ===
  'function';

/** The ledger's records since `from`, for one backend. */
async function recordsSince(api: Api, from: number, backend: string) {
  const found = [];
  for await (const record of api.meter.records({ from })) if (record.backend === backend) found.push(record);
  return found;
}

function configOf(entry: Record<string, unknown>): ProviderConfig {
  const { providers, problems } = parseProviders([entry]);
  assert.deepEqual(problems, []);
  assert.ok(providers[0]);
  return providers[0];
}

describe('Switchboard inside VS Code chat', () => {
  let original: unknown[];
  let emulator: ProviderConfig;

  before(async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the usage ledger to open');
    original = config().get<unknown[]>('providers') ?? [];
    emulator = configOf(original[0] as Record<string, unknown>);
  });
  afterEach(async () => {
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
  });

  it('declares the @switchboard participant and the "switchboard" model vendor up front', async () => {
    await activateSwitchboard();
    const contributes = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
        contributes: {
          chatParticipants?: { id: string; name: string }[];
          languageModelChatProviders?: { vendor: string }[];
        };
      }
    ).contributes;
    assert.deepEqual(
      contributes.chatParticipants?.map((participant) => [participant.id, participant.name]),
      [[PARTICIPANT_ID, 'switchboard']],
    );
    assert.deepEqual(
      contributes.languageModelChatProviders?.map((provider) => provider.vendor),
      ['switchboard'],
    );
    // Both supported versions have the participant API, so @switchboard is registered on both.
    assert.equal(typeof vscode.chat.createChatParticipant, 'function');
  });

  it('lists the backends as language models where VS Code takes them (1.104+), and stays out where it does not', async function () {
    const api = await activateSwitchboard();
    if (!takesModelProviders()) {
      // VS Code 1.100: no provider API. Activation went ahead, nothing claims the vendor, and
      // Switchboard's own features still answer.
      assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
      assert.deepEqual(await vscode.lm.selectChatModels({ vendor: 'switchboard' }), []);
      const content = 'function subtract(a, b) {\n}\n';
      const document = await vscode.workspace.openTextDocument({ language: 'javascript', content });
      const source = new vscode.CancellationTokenSource();
      const result = await api.inlineCompletionProvider.provideInlineCompletionItems(
        document,
        new vscode.Position(0, 'function subtract(a, b) {'.length),
        { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined },
        source.token,
      );
      const items = Array.isArray(result) ? result : (result?.items ?? []);
      assert.ok(items.length > 0, 'inline completion still works');
      return;
    }
    const models = await eventually(
      async () => vscode.lm.selectChatModels({ vendor: 'switchboard' }),
      (found) => found.length > 0,
      'the emulator backend among VS Code’s language models',
    );
    const model = models.find((candidate) => candidate.id === 'emulator/emulator-chat');
    assert.ok(model, `models: ${models.map((candidate) => candidate.id).join(', ')}`);
    assert.equal(model.name, 'Emulator (demo) · emulator-chat');
    assert.equal(model.family, 'emulator-chat');
    assert.equal(model.version, 'emulator');
    assert.ok(model.maxInputTokens > 0);
    assert.equal(await model.countTokens('abcdefgh'), 2, 'an estimate: about four characters a token');

    const from = Date.now();
    const source = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('hi')], {}, source.token);
    let text = '';
    for await (const chunk of response.text) text += chunk;
    assert.match(text, /^You asked:/);
    const records = await eventually(
      () => recordsSince(api, from, 'emulator'),
      (found) => found.some((record) => record.feature === 'chat'),
      'the request in the usage ledger',
    );
    assert.ok(
      records.some(
        (record) => record.feature === 'chat' && record.outcome === 'ok' && record.model === 'emulator-chat',
      ),
    );

    // A new backend in settings shows up as a new model; one that cannot be reached fails in plain words.
    await config().update(
      'providers',
      [
        ...original,
        { id: 'second', name: 'Second', preset: 'custom', baseUrl: emulator.baseUrl, chatModel: 'emulator-chat' },
        { id: 'dead', name: 'Dead', preset: 'custom', baseUrl: 'http://127.0.0.1:9/v1', chatModel: 'nothing' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const after = await eventually(
      async () => vscode.lm.selectChatModels({ vendor: 'switchboard' }),
      (found) => ['second/emulator-chat', 'dead/nothing'].every((id) => found.some((candidate) => candidate.id === id)),
      'the new backends among the models',
    );
    const dead = after.find((candidate) => candidate.id === 'dead/nothing');
    assert.ok(dead);
    await assert.rejects(async () => {
      const failing = await dead.sendRequest([vscode.LanguageModelChatMessage.User('hi')], {}, source.token);
      for await (const _chunk of failing.text) void _chunk;
    }, /Could not reach http:\/\/127\.0\.0\.1:9/);
    const failures = await eventually(
      () => recordsSince(api, from, 'dead'),
      (found) => found.length > 0,
      'the failed request in the usage ledger',
    );
    assert.deepEqual(
      failures.map((record) => [record.feature, record.outcome]),
      [['chat', 'network']],
    );
  });

  it('@switchboard answers from the chat backend in markdown, with the conversation so far, and meters it', async () => {
    const api = await activateSwitchboard();
    const provider = createProvider(emulator, undefined);
    const backends = { configFor: () => emulator, providerFor: async (): Promise<Provider> => provider };
    const handler = participantHandler(backends, api.meter);
    const history = [
      { prompt: 'first question', participant: PARTICIPANT_ID, references: [], toolReferences: [] },
      {
        response: [new vscode.ChatResponseMarkdownPart('first answer')],
        result: {},
        participant: PARTICIPANT_ID,
      },
    ] as unknown as vscode.ChatContext['history'];
    const { stream, markdown, progress } = recordingStream();
    const from = Date.now();
    const source = new vscode.CancellationTokenSource();
    const result = await handler(chatRequest('what is a closure'), { history }, stream, source.token);
    assert.equal(result?.errorDetails, undefined);
    assert.match(markdown.join(''), /^You asked: "what is a closure"/);
    assert.ok(markdown.length > 1, 'streamed in pieces');
    assert.deepEqual(progress, ['Asking Emulator (demo) (emulator-chat)…']);
    const [record] = await recordsSince(api, from, 'emulator');
    assert.equal(record?.feature, 'chat');
    assert.equal(record?.outcome, 'ok');
    // The emulator counts what it was sent (about four characters a token, messages joined by a
    // line break): the earlier turns went along with the new prompt.
    const sent = 'first question\nfirst answer\nwhat is a closure';
    assert.equal(record?.inputTokens, Math.ceil(sent.length / 4));
    assert.equal(record?.reported, true);

    // A failure is a message in the answer, not a thrown stack.
    const broken = configOf({ id: 'broken', preset: 'custom', baseUrl: 'http://127.0.0.1:9/v1' });
    const failing = participantHandler(
      { configFor: () => broken, providerFor: async () => createProvider(broken, undefined) },
      api.meter,
    );
    const failed = await failing(chatRequest('hello'), { history: [] }, recordingStream().stream, source.token);
    // Called by its id: the entry has no name.
    assert.match(failed?.errorDetails?.message ?? '', /^broken: Could not reach/);
    assert.doesNotMatch(failed?.errorDetails?.message ?? '', /\n\s+at /, 'no stack trace');

    // Cancelled before it starts: no answer, no error shown.
    const cancelled = new vscode.CancellationTokenSource();
    cancelled.cancel();
    const stopped = await handler(
      chatRequest('never mind'),
      { history: [] },
      recordingStream().stream,
      cancelled.token,
    );
    assert.equal(stopped?.errorDetails, undefined);
    assert.equal(stopped?.metadata?.cancelled, true);
  });

  it('@switchboard says why a budget held the question, and sends nothing', async () => {
    const api = await activateSwitchboard();
    let asked = 0;
    const provider = createProvider(emulator, undefined);
    const backends = {
      configFor: () => emulator,
      providerFor: async (): Promise<Provider> => {
        asked += 1;
        return provider;
      },
    };
    const reason =
      "Fallbacks have spent $0.05 of today's $0.05 fallback budget: none goes to a paid backend again before 00:00 UTC.";
    const handler = participantHandler(backends, api.meter, async (config) =>
      config.id === emulator.id ? reason : undefined,
    );
    const { stream, markdown } = recordingStream();
    const result = await handler(
      chatRequest('still there?'),
      { history: [] },
      stream,
      new vscode.CancellationTokenSource().token,
    );
    assert.equal(result?.errorDetails?.message, `Not sent: ${reason}`);
    assert.deepEqual(markdown, [], 'no answer');
    assert.equal(asked, 0, 'the backend was never asked');
  });

  it('@switchboard sends the files and selections the user attached, and names what it could not read', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace is open');
    const file = vscode.Uri.joinPath(folder.uri, 'attached-answer.ts');
    await vscode.workspace.fs.writeFile(file, Buffer.from('export const answer = 42;\nexport const other = 1;\n'));
    try {
      const api = await activateSwitchboard();
      const provider = createProvider(emulator, undefined);
      const handler = participantHandler(
        { configFor: () => emulator, providerFor: async (): Promise<Provider> => provider },
        api.meter,
      );
      const ask = async (references: unknown[]) => {
        const { stream, markdown, progress } = recordingStream();
        const request = { ...chatRequest('what does this export'), references } as unknown as vscode.ChatRequest;
        const result = await handler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
        assert.equal(result?.errorDetails, undefined);
        return { answer: markdown.join(''), progress };
      };
      // The emulator echoes the start of the last message: the file came first, in a fence.
      const whole = await ask([{ id: 'vscode.file', value: file }]);
      assert.match(whole.answer, /^You asked: "File attached-answer\.ts:\n```typescript\nexport const answer = 42;/);
      const line = await ask([
        { id: 'vscode.selection', value: new vscode.Location(file, new vscode.Range(1, 0, 1, 24)) },
        { id: 'some.extension.variable', value: { opaque: true } },
      ]);
      assert.match(
        line.answer,
        /^You asked: "Selection from attached-answer\.ts, line 2:\n```typescript\nexport const other = 1;/,
      );
      assert.deepEqual(line.progress[0], 'Not sent (not readable as text here): some.extension.variable');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  it('@switchboard never sends a .env that VS Code attached by itself as the current file; one the user attached goes', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace is open');
    const envFile = vscode.Uri.joinPath(folder.uri, '.env.participant');
    await vscode.workspace.fs.writeFile(envFile, Buffer.from('STRIPE_SECRET_KEY=sk_live_never_implicit\n'));
    // A repository's `participant-config.js -> .env.participant`: in front, it is the .env.
    const linked = vscode.Uri.joinPath(folder.uri, 'participant-config.js');
    await symlink('.env.participant', linked.fsPath, 'file').catch(() => undefined);
    const sent = async () =>
      (await (await fetch(`${new URL(emulator.baseUrl).origin}/_emulator/requests`)).json()) as { body: unknown }[];
    try {
      const api = await activateSwitchboard();
      const provider = createProvider(emulator, undefined);
      const handler = participantHandler(
        { configFor: () => emulator, providerFor: async (): Promise<Provider> => provider },
        api.meter,
      );
      const ask = async (references: unknown[]) => {
        const { stream, progress } = recordingStream();
        const request = { ...chatRequest('what is in my config'), references } as unknown as vscode.ChatRequest;
        const before = (await sent()).length;
        const result = await handler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
        assert.equal(result?.errorDetails, undefined);
        return { body: JSON.stringify((await sent()).slice(before)), progress };
      };
      // What VS Code's chat adds on its own for the editor in front (ids as VS Code 1.100 and 1.104 name them).
      const whole = new vscode.Range(0, 0, 1, 0);
      for (const implicit of [
        { id: 'vscode.implicit.viewport', value: new vscode.Location(envFile, whole) },
        { id: 'vscode.implicit.selection', value: new vscode.Location(envFile, new vscode.Range(0, 0, 0, 30)) },
        { id: 'vscode.implicit.file', value: envFile },
        { id: 'vscode.implicit.file', value: linked },
      ]) {
        const { body, progress } = await ask([implicit]);
        assert.doesNotMatch(body, /sk_live_never_implicit/, `${implicit.id}: the secret did not leave`);
        const name = implicit.value === linked ? 'participant-config.js' : '.env.participant';
        assert.ok(
          progress.some((line) => line.includes(name) && line.includes('completion.exclude')),
          `${implicit.id}: the progress line says what was left out and why: ${progress.join(' | ')}`,
        );
      }
      // Attached by hand (#file:.env), it is the user's choice, as "Add files…" in the chat view.
      const chosen = await ask([{ id: 'vscode.file', value: envFile }]);
      assert.match(chosen.body, /sk_live_never_implicit/, chosen.progress.join(' | '));
    } finally {
      await vscode.workspace.fs.delete(linked).then(undefined, () => undefined);
      await vscode.workspace.fs.delete(envFile);
    }
  });

  it('"VS Code language models": a spent Copilot quota, a rate limit and a refused consent keep their kind', async () => {
    // What reaches Switchboard when the model's extension fails, as VS Code's extension host hands
    // it over: a LanguageModelError keeps its code; any other error crosses as a plain Error that
    // keeps its name (Copilot names its quota and rate-limit errors, and blocks an extension that
    // sends too fast with LanguageModelError.Blocked).
    const crossed = (name: string, message: string) => Object.assign(new Error(message), { name });
    const cases: { error: Error; atStart?: boolean; kind: string }[] = [
      {
        error: crossed('ChatQuotaExceeded', 'You have exceeded your premium request allowance.'),
        kind: 'quota-exhausted',
      },
      { error: crossed('ChatRateLimited', 'Sorry, you have been rate-limited.'), kind: 'rate-limited' },
      {
        error: vscode.LanguageModelError.Blocked('The extension has been temporarily blocked. Please try again later.'),
        kind: 'rate-limited',
      },
      { error: vscode.LanguageModelError.NoPermissions('The user did not consent.'), atStart: true, kind: 'auth' },
      { error: crossed('Error', 'Response contained no choices.'), kind: 'server' },
    ];
    const lm = vscode.lm as { selectChatModels: typeof vscode.lm.selectChatModels };
    const selectChatModels = lm.selectChatModels;
    const editor = new VsCodeLmProvider(configOf({ id: 'editor', preset: 'vscode-lm', chatModel: 'copilot/gpt-4.1' }));
    try {
      for (const { error, atStart, kind } of cases) {
        const failing = async function* (): AsyncGenerator<string> {
          yield* [];
          throw error;
        };
        const model = {
          vendor: 'copilot',
          id: 'gpt-4.1',
          family: 'gpt-4.1',
          name: 'GPT-4.1',
          version: 'gpt-4.1',
          maxInputTokens: 128_000,
          countTokens: async () => 1,
          sendRequest: async () => {
            if (atStart) throw error;
            return { text: failing(), stream: failing() };
          },
        } as unknown as vscode.LanguageModelChat;
        lm.selectChatModels = async () => [model];
        forgetEditorChatModels();
        await assert.rejects(
          async () => {
            for await (const _event of editor.chat({ messages: [{ role: 'user', content: 'hi' }] })) void _event;
          },
          (thrown: unknown) => {
            assert.ok(ProviderError.is(thrown), String(thrown));
            assert.equal(thrown.kind, kind, `${error.name}: ${error.message}`);
            assert.ok(thrown.message.includes(error.message.slice(0, 20)), 'the model’s own words are kept');
            return true;
          },
        );
      }
    } finally {
      lm.selectChatModels = selectChatModels;
      forgetEditorChatModels();
    }
  });

  it('"VS Code language models" never routes to Switchboard’s own models, and says why it cannot answer', async () => {
    const api = await activateSwitchboard();
    const editor = new VsCodeLmProvider(configOf({ id: 'editor', preset: 'vscode-lm' }));
    // This host has no chat extension, so the only models are Switchboard's own (on 1.104).
    const all = await vscode.lm.selectChatModels();
    assert.ok(all.every((model) => model.vendor === 'switchboard'));
    assert.equal(
      all.length > 0,
      takesModelProviders(),
      'Switchboard’s models are there exactly where VS Code takes them',
    );
    assert.deepEqual(await editor.listModels(), [], 'and never offered back to Switchboard');
    const probe = await editor.probe();
    assert.equal(probe.ok, false);
    assert.equal(probe.detail, NO_MODELS);
    await assert.rejects(
      async () => {
        for await (const _event of editor.chat({ messages: [{ role: 'user', content: 'hi' }] })) void _event;
      },
      (error: unknown) => ProviderError.is(error, 'model-not-found') && error.message === NO_MODELS,
    );

    // Through the extension's own path: a completion on that backend fails with the same kind, in the ledger.
    await config().update(
      'providers',
      [...original, { id: 'editor', preset: 'vscode-lm' }],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', 'editor', vscode.ConfigurationTarget.Global);
    await eventually(
      // Called by its id, with the preset beside it in the tooltip.
      () => (api.statusBarItem.tooltip as vscode.MarkdownString).value,
      (text) => text.includes('Completion: editor (VS Code language models)'),
      'the status bar to show the editor’s models',
    );
    const from = Date.now();
    const document = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: 'const editorModels =\n',
    });
    const source = new vscode.CancellationTokenSource();
    await api.inlineCompletionProvider.provideInlineCompletionItems(
      document,
      new vscode.Position(0, 'const editorModels ='.length),
      { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined },
      source.token,
    );
    const records = await eventually(
      () => recordsSince(api, from, 'editor'),
      (found) => found.length > 0,
      'the failed request in the ledger',
    );
    assert.ok(
      records.every((record) => record.outcome === 'model-not-found'),
      JSON.stringify(records),
    );
  });
});
