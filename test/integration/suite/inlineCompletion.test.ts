import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, eventually, itemsAt } from './helpers';

const config = () => vscode.workspace.getConfiguration('switchboard');
const KEY_VARIABLE = 'SWITCHBOARD_INTEGRATION_KEY';
/** Coding Plan keys have a form of their own (`sk-sp-…`); a key of another form is not sent there. */
const PLAN_KEY_VARIABLE = 'SWITCHBOARD_INTEGRATION_PLAN_KEY';

describe('inline completion provider', () => {
  let original: unknown[];
  let emulatorUrl: string;

  before(async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the usage ledger to open');
    original = config().get<unknown[]>('providers') ?? [];
    emulatorUrl = new URL((original[0] as { baseUrl: string }).baseUrl).origin;
    // Cloud presets need a key; the emulator takes any.
    process.env[KEY_VARIABLE] = 'sk-integration-test';
    process.env[PLAN_KEY_VARIABLE] = 'sk-sp-integration-0123456789';
  });
  afterEach(async () => {
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
  });

  it('answers for a real document with the emulator completion at the cursor, and records it in the ledger', async () => {
    const api = await activateSwitchboard();
    const before = api.meter.today('emulator')?.requests ?? 0;
    const document = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: 'function add(a, b) {\n}\n',
    });
    const position = new vscode.Position(0, 'function add(a, b) {'.length);
    const [item, ...rest] = await itemsAt(api, document, position);
    assert.equal(rest.length, 0);
    assert.equal(item?.insertText, '\n  return a + b;');
    assert.ok(item?.range?.isEqual(new vscode.Range(position, position)), 'an empty range at the cursor');
    const today = api.meter.today('emulator');
    assert.equal(today?.requests, before + 1, 'one completion request recorded');
    assert.ok((today?.cost.USD ?? 0) > 0, 'priced from the configured price');
    assert.equal(today?.unpricedRequests, 0);

    // The same place again: answered without a request.
    const [again] = await itemsAt(api, document, position);
    assert.equal(again?.insertText, '\n  return a + b;');
    assert.equal(api.meter.today('emulator')?.requests, before + 1, 'no second request');
  });

  // Every FIM protocol of the provider layer, each against the emulator's real wire format.
  const protocols: { name: string; entry: (url: string) => Record<string, unknown> }[] = [
    {
      name: 'OpenAI-compatible /completions with suffix',
      entry: (url) => ({ preset: 'custom', baseUrl: `${url}/v1`, completionModel: 'emulator-coder' }),
    },
    {
      name: 'a raw Qwen template for a base model (vLLM)',
      entry: (url) => ({ preset: 'vllm', baseUrl: `${url}/v1`, completionModel: 'Qwen/Qwen2.5-Coder-7B' }),
    },
    {
      name: 'a hole-filling chat prompt for a chat-only model (OpenAI)',
      entry: (url) => ({
        preset: 'openai',
        baseUrl: `${url}/v1`,
        completionModel: 'gpt-4.1-mini',
        apiKeyEnv: KEY_VARIABLE,
      }),
    },
    {
      name: 'Anthropic Messages',
      entry: (url) => ({
        preset: 'anthropic',
        baseUrl: url,
        completionModel: 'claude-haiku-4-5',
        apiKeyEnv: KEY_VARIABLE,
      }),
    },
    {
      // Qwen3.5 and later think unless told not to; the reasoning would spend the completion's tokens.
      name: 'a hole-filling chat prompt for a Qwen model that thinks by default (Alibaba Coding Plan)',
      entry: (url) => ({
        preset: 'coding-plan-intl',
        baseUrl: `${url}/coding/v1`,
        completionModel: 'qwen3.7-plus',
        apiKeyEnv: PLAN_KEY_VARIABLE,
      }),
    },
    {
      name: 'Ollama /api/generate with suffix',
      entry: (url) => ({ preset: 'ollama', baseUrl: url, completionModel: 'emulator-coder' }),
    },
  ];
  for (const [index, protocol] of protocols.entries()) {
    it(`completes over ${protocol.name}`, async () => {
      const api = await activateSwitchboard();
      const id = `protocol-${index}`;
      await config().update(
        'providers',
        [...original, { id, name: protocol.name, ...protocol.entry(emulatorUrl) }],
        vscode.ConfigurationTarget.Global,
      );
      await config().update('completion.provider', id, vscode.ConfigurationTarget.Global);
      await eventually(
        // The item's text shortens a long name; its accessible label carries it whole.
        () => api.statusBarItem.accessibilityInformation?.label ?? '',
        (text) => text.includes(protocol.name),
        'the status bar to show the new backend',
      );
      // A fresh file per protocol, so the answer cannot come from another backend's cache.
      const content = `// ${id}\nfunction add(a, b) {\n}\n`;
      const document = await vscode.workspace.openTextDocument({ language: 'javascript', content });
      const position = new vscode.Position(1, 'function add(a, b) {'.length);
      const [item] = await itemsAt(api, document, position);
      assert.equal(
        item?.insertText,
        '\n  return a + b;',
        'fences, echoes and control tokens are gone, the line break is kept',
      );
      assert.ok(item?.range?.isEqual(new vscode.Range(position, position)));
      assert.equal(api.meter.today(id)?.requests, 1, 'the request is in the ledger under this backend');
    });
  }

  it('records a failed request with its kind and shows the failure in the status bar', async () => {
    const api = await activateSwitchboard();
    // Nothing listens on the discard port: the connection is refused.
    await config().update(
      'providers',
      [
        ...original,
        {
          id: 'unreachable',
          name: 'Unreachable Server',
          preset: 'custom',
          baseUrl: 'http://127.0.0.1:9/v1',
          completionModel: 'emulator-coder',
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', 'unreachable', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.accessibilityInformation?.label ?? '',
      (text) => text.includes('Unreachable Server'),
      'the status bar to show the new backend',
    );
    const document = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: '// unreachable\nconst greeting =',
    });
    assert.deepEqual(await itemsAt(api, document, new vscode.Position(1, 'const greeting ='.length)), []);
    const today = api.meter.today('unreachable');
    assert.equal(today?.requests, 1);
    assert.equal(today?.failedRequests, 1, 'recorded as a failure, not as an answer');
    const failure = [] as string[];
    for await (const record of api.meter.records()) if (record.backend === 'unreachable') failure.push(record.outcome);
    assert.deepEqual(failure, ['network']);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('$(warning)'),
      'the status bar to warn',
    );
    // The warning's tooltip leads to the request that failed, in words: the backend's name, what
    // happened and what helps, not its id and the client's error text.
    const failed = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    assert.match(
      failed,
      /Last completion request failed: Could not reach Unreachable Server\. [^\n]*a local server may not be running[^\n]*\(\[details\]\(command:switchboard\.showLastCompletion\)\)/,
    );
    assert.doesNotMatch(failed, /\(unreachable\)|Network error/);
    await vscode.commands.executeCommand('switchboard.showLastCompletion');
    const page = await eventually(
      () =>
        vscode.workspace.textDocuments.find((open) => open.uri.scheme === 'switchboard-completion')?.getText() ?? '',
      (text) => text.includes('Unreachable Server'),
      'the page to show the failed request',
    );
    assert.match(page, /\*\*Outcome:\*\* network: /);
    assert.match(page, /\*\*Route:\*\* not known \(the request failed\)/);
    assert.doesNotMatch(page, /## Answer/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a completion model Ollama has not pulled: the status bar and the last request say how to pull it', async () => {
    const api = await activateSwitchboard();
    await config().update(
      'providers',
      [
        ...original,
        // The emulator's Ollama has only its own models: this one answers 404, as on a fresh install.
        { id: 'unpulled', name: 'Fresh Ollama', preset: 'ollama', baseUrl: emulatorUrl },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', 'unpulled', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.accessibilityInformation?.label ?? '',
      (text) => text.includes('Fresh Ollama'),
      'the status bar to show the new backend',
    );
    const document = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: '// unpulled\nconst a =',
    });
    assert.deepEqual(await itemsAt(api, document, new vscode.Position(1, 'const a ='.length)), []);
    const tooltip = await eventually(
      () => (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
      (text) => text.includes('Last completion request failed'),
      'the tooltip to show the failure',
    );
    const pull =
      /Run \\`ollama pull qwen2\.5-coder:1\.5b-base\\` or choose another model \(Switchboard: Choose Model…\)/;
    assert.match(tooltip, pull);
    await vscode.commands.executeCommand('switchboard.showLastCompletion');
    const page = await eventually(
      () =>
        vscode.workspace.textDocuments.find((open) => open.uri.scheme === 'switchboard-completion')?.getText() ?? '',
      (text) => text.includes('Fresh Ollama'),
      'the page to show the failed request',
    );
    assert.match(page.replace(/\\(.)/g, '$1'), /\*\*What helps:\*\* Run `ollama pull qwen2\.5-coder:1\.5b-base`/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('replaces the partly typed word, so the item keeps showing while the user types on', async () => {
    const api = await activateSwitchboard();
    const document = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: 'function done() {\n  console.lo\n}\n',
    });
    const position = new vscode.Position(1, '  console.lo'.length);
    const [item] = await itemsAt(api, document, position);
    assert.equal(item?.insertText, "log('done');");
    assert.ok(
      item?.range?.isEqual(new vscode.Range(1, '  console.'.length, 1, position.character)),
      `range ${JSON.stringify(item?.range)}`,
    );
  });

  it('extends the suggestion selected in the suggest widget, over its range', async () => {
    const api = await activateSwitchboard();
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'console.l\n' });
    const position = new vscode.Position(0, 'console.l'.length);
    const range = new vscode.Range(0, 'console.'.length, 0, position.character);
    const [item] = await itemsAt(api, document, position, { selectedCompletionInfo: { range, text: 'log' } });
    assert.equal(item?.insertText, "log('selected');", 'starts with the selected suggestion');
    assert.ok(item?.range?.isEqual(range), 'uses the selected suggestion’s range');
  });

  it('sends nothing in the middle of a word or for a language switched off', async () => {
    const api = await activateSwitchboard();
    const before = api.meter.today('emulator')?.requests ?? 0;
    const midWord = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: 'const totalCount = 1;\n',
    });
    assert.deepEqual(await itemsAt(api, midWord, new vscode.Position(0, 'const total'.length)), []);
    const markdown = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: '# Notes\n\nconst greeting =',
    });
    assert.deepEqual(
      await itemsAt(api, markdown, new vscode.Position(2, 'const greeting ='.length)),
      [],
      'markdown is off by default',
    );
    assert.equal(api.meter.today('emulator')?.requests ?? 0, before);
  });

  it('returns several candidates for an explicit trigger', async () => {
    const api = await activateSwitchboard();
    const document = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: '// candidates\nfunction add(a, b) {\n}\n',
    });
    const before = api.meter.today('emulator')?.requests ?? 0;
    const items = await itemsAt(api, document, new vscode.Position(1, 'function add(a, b) {'.length), {
      triggerKind: vscode.InlineCompletionTriggerKind.Invoke,
    });
    assert.ok(items.length >= 1);
    assert.equal(items[0]?.insertText, '\n  return a + b;');
    assert.equal(api.meter.today('emulator')?.requests, before + 2, 'the default of two requests for a manual trigger');
  });

  it('shows the model the definition from a file the document imports, which the user never opened', async () => {
    const api = await activateSwitchboard();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace is open');
    const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const helper = vscode.Uri.joinPath(folder.uri, 'lib', 'labels.js');
    await write(
      helper,
      'export function formatPriceLabel(amountCents, currencyCode) {\n  return `${(amountCents / 100).toFixed(2)} ${currencyCode}`;\n}\n',
    );
    // Beside the workspace, not in it: an import that climbs out is not followed.
    const outside = vscode.Uri.joinPath(folder.uri, '..', 'outsideSecrets.js');
    await write(outside, 'export const formatPriceLabelSecret = "never sent";\n');
    const checkout = vscode.Uri.joinPath(folder.uri, 'checkout.js');
    await write(
      checkout,
      "import { formatPriceLabel } from './lib/labels';\nimport { formatPriceLabelSecret } from '../outsideSecrets';\n\nexport function describeOrder(order) {\n  const label = formatPriceLabel(\n}\n",
    );
    const document = await vscode.workspace.openTextDocument(checkout);
    await vscode.window.showTextDocument(document);
    await api.completionContext.imports.refresh(document);

    // The emulator runs in the test runner's process; it lists what it was sent over HTTP.
    const sent = async () =>
      (await (await fetch(`${emulatorUrl}/_emulator/requests`)).json()) as {
        path: string;
        body: { prompt?: string };
      }[];
    const already = (await sent()).length;
    await itemsAt(api, document, new vscode.Position(4, '  const label = formatPriceLabel('.length));
    const completion = (await sent()).slice(already).find((request) => request.path === '/v1/completions');
    assert.ok(completion?.body.prompt, 'a completion request went out');
    assert.match(completion.body.prompt, /Snippet from lib\/labels\.js:/, 'the imported file is named in the prompt');
    assert.match(completion.body.prompt, /function formatPriceLabel\(amountCents, currencyCode\)/);
    assert.doesNotMatch(completion.body.prompt, /never sent/, 'nothing from outside the workspace');
    assert.ok(
      !vscode.workspace.textDocuments.some((open) => open.uri.toString() === helper.toString()),
      'the helper was read from disk, not opened in the editor',
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('names a file outside the workspace, and a snippet from another, by file name alone: no absolute path leaves', async () => {
    const api = await activateSwitchboard();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace is open');
    const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    // Beside the workspace, as a file opened from the home directory would be.
    const outsideDir = vscode.Uri.joinPath(folder.uri, '..', 'alice-private-notes');
    const helper = vscode.Uri.joinPath(outsideDir, 'ledgerHelpers.js');
    await write(helper, 'export function roundLedgerAmount(amountCents) {\n  return Math.round(amountCents);\n}\n');
    const budget = vscode.Uri.joinPath(outsideDir, 'householdBudget.js');
    await write(budget, 'const groceriesCents = roundLedgerAmount(4200);\nconst rentCents = roundLedgerAmount(\n');
    try {
      // Looked at first, so it is a recent file of the same language: a snippet candidate.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(helper));
      const document = await vscode.workspace.openTextDocument(budget);
      await vscode.window.showTextDocument(document);
      await eventually(
        () => api.completionContext.snippetsFor(document).length,
        (count) => count > 0,
        'the helper to be offered as context once its real path is known',
      );
      const sent = async () =>
        (await (await fetch(`${emulatorUrl}/_emulator/requests`)).json()) as {
          path: string;
          body: { prompt?: string };
        }[];
      const already = (await sent()).length;
      await itemsAt(api, document, new vscode.Position(1, 'const rentCents = roundLedgerAmount('.length));
      const completion = (await sent()).slice(already).find((request) => request.path === '/v1/completions');
      assert.ok(completion?.body.prompt, 'a completion request went out');
      const { prompt } = completion.body;
      assert.match(prompt, /\/\/ Path: householdBudget\.js\n/, 'the file is named by its file name, extension kept');
      assert.match(prompt, /\/\/ Snippet from ledgerHelpers\.js:\n/, 'so is the snippet from the other file');
      assert.ok(!prompt.includes(outsideDir.fsPath), 'no absolute path');
      assert.doesNotMatch(prompt, /alice-private-notes/, 'not even the folder the files are in');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(outsideDir, { recursive: true });
    }
  });

  it('shows the last request on a read-only page that follows each new one, with no key or header value in it', async () => {
    const api = await activateSwitchboard();
    await config().update(
      'providers',
      [
        ...original,
        {
          id: 'keyed',
          name: 'Keyed Gateway',
          preset: 'custom',
          baseUrl: `${emulatorUrl}/v1`,
          completionModel: 'emulator-coder',
          apiKeyEnv: KEY_VARIABLE,
          headers: { 'X-Team-Token': 'team-secret-123' },
          prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } },
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', 'keyed', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('Keyed Gateway'),
      'the new backend',
    );
    await vscode.commands.executeCommand('switchboard.showLastCompletion');
    const page = () => vscode.workspace.textDocuments.find((open) => open.uri.scheme === 'switchboard-completion');
    await eventually(page, Boolean, 'the page to open');
    assert.equal(page()?.languageId, 'markdown');

    for (const marker of ['first', 'second']) {
      const document = await vscode.workspace.openTextDocument({
        language: 'javascript',
        content: `// ${marker} request\nfunction add(a, b) {\n}\n`,
      });
      await itemsAt(api, document, new vscode.Position(1, 'function add(a, b) {'.length));
      const text = await eventually(
        () => page()?.getText() ?? '',
        (shown) => shown.includes(`// ${marker} request`),
        `the page to show the ${marker} request`,
      );
      assert.match(text, /\*\*Backend:\*\* Keyed Gateway \(id keyed\), model emulator-coder/);
      assert.match(text, /OpenAI-compatible \/completions with a suffix/);
      assert.match(text, /## Answer, as the backend sent it[^\n]*\n\n```\n\n {2}return a \+ b;/);
      assert.match(text, /\*\*cost:\*\* (\\?< )?\$0\.0/, 'priced with the price in the settings');
      assert.doesNotMatch(text, /sk-integration-test|team-secret-123/, 'no key and no header value');
    }
    assert.equal(page()?.isDirty, false, 'never dirty, never asks to be saved');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('completion controls', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('switchboard.snoozeCompletion', 0);
    await config().update('completion.languages', undefined, vscode.ConfigurationTarget.Global);
  });

  it('snooze: no request while snoozed, the status bar says until when, and resume brings it back', async () => {
    const api = await activateSwitchboard();
    await vscode.commands.executeCommand('switchboard.snoozeCompletion', 5);
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('snoozed until'),
      'the status bar to show the snooze',
    );
    const before = api.meter.today('emulator')?.requests ?? 0;
    const document = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: '// snoozed\nconst greeting =',
    });
    const position = new vscode.Position(1, 'const greeting ='.length);
    assert.deepEqual(await itemsAt(api, document, position), []);
    assert.equal(api.meter.today('emulator')?.requests ?? 0, before, 'nothing sent while snoozed');
    await vscode.commands.executeCommand('switchboard.snoozeCompletion', 0);
    await eventually(
      () => api.statusBarItem.text,
      (text) => !text.includes('snoozed'),
      'the snooze to end',
    );
    const [item] = await itemsAt(api, document, position);
    assert.equal(item?.insertText, " 'Hello from the Switchboard emulator';");
  });

  it('switches completion off and on for the active editor’s language', async () => {
    const api = await activateSwitchboard();
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'def add(a, b):' });
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('switchboard.toggleCompletionForLanguage');
    await eventually(
      () => config().get<Record<string, boolean>>('completion.languages')?.python,
      (on) => on === false,
      'python to be switched off',
    );
    await eventually(
      () => api.statusBarItem.text,
      (text) => text.includes('off for python'),
      'the status bar to say so',
    );
    assert.equal(
      config().get<Record<string, boolean>>('completion.languages')?.markdown,
      false,
      'the other defaults survive',
    );
    assert.deepEqual(await itemsAt(api, document, new vscode.Position(0, 'def add(a, b):'.length)), []);
    await vscode.commands.executeCommand('switchboard.toggleCompletionForLanguage');
    await eventually(
      () => config().get<Record<string, boolean>>('completion.languages')?.python,
      (on) => on === true,
      'python to be switched on',
    );
    const [item] = await itemsAt(api, document, new vscode.Position(0, 'def add(a, b):'.length));
    assert.equal(item?.insertText, '\n    return a + b');
  });
});
