import assert from 'node:assert/strict';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateSwitchboard, eventually } from './helpers';
import { openLink } from '../../../src/chat/editorActions';
import { EditorContextSource } from '../../../src/chat/editorContextSource';

type Api = Awaited<ReturnType<typeof activateSwitchboard>>;

async function itemsAt(api: Api, document: vscode.TextDocument, position: vscode.Position) {
  const source = new vscode.CancellationTokenSource();
  const result = await api.inlineCompletionProvider.provideInlineCompletionItems(
    document,
    position,
    { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined },
    source.token,
  );
  return (Array.isArray(result) ? result : (result?.items ?? [])) as vscode.InlineCompletionItem[];
}

describe('files that may hold secrets', () => {
  let emulatorUrl: string;
  let folder: vscode.WorkspaceFolder;
  const sent = async () =>
    (await (await fetch(`${emulatorUrl}/_emulator/requests`)).json()) as { path: string; body: { prompt?: string } }[];

  before(async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the usage ledger to open');
    const providers = vscode.workspace.getConfiguration('switchboard').get<{ baseUrl: string }[]>('providers') ?? [];
    emulatorUrl = new URL(providers[0]?.baseUrl ?? '').origin;
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the integration workspace is open');
    folder = first;
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('sends no completion request from a .env file, and the tooltip says why', async () => {
    const api = await activateSwitchboard();
    const envFile = vscode.Uri.joinPath(folder.uri, '.env.local');
    await vscode.workspace.fs.writeFile(
      envFile,
      new TextEncoder().encode('DATABASE_URL=postgres://app:hunter2@db/app\nSTRIPE_SECRET_KEY=sk_live_\n'),
    );
    let document = await vscode.workspace.openTextDocument(envFile);
    // Whatever language the editor gives it, the file name is what excludes it.
    if (document.languageId === 'plaintext')
      document = await vscode.languages.setTextDocumentLanguage(document, 'javascript');
    await vscode.window.showTextDocument(document);
    const before = (await sent()).length;
    const requests = api.meter.today('emulator')?.requests ?? 0;
    assert.deepEqual(await itemsAt(api, document, new vscode.Position(1, 'STRIPE_SECRET_KEY=sk_live_'.length)), []);
    assert.equal((await sent()).length, before, 'nothing reached the server');
    assert.equal(api.meter.today('emulator')?.requests ?? 0, requests);
    await eventually(
      () => (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
      (tooltip) => tooltip.includes('off for this file') && tooltip.includes('completion.exclude'),
      'the tooltip to say completion is off for this file and why',
    );
  });

  it('sends no completion request from a file whose link leads to a .env file', async () => {
    const api = await activateSwitchboard();
    const linkedSrc = join(folder.uri.fsPath, 'linked-current');
    try {
      await writeFile(join(folder.uri.fsPath, '.env'), 'export const STRIPE_SECRET_KEY = "never_sent_current";\n');
      await mkdir(linkedSrc, { recursive: true });
      await symlink(join('..', '.env'), join(linkedSrc, 'config.js'), 'file').catch(() => undefined);
      const document = await vscode.workspace.openTextDocument(
        vscode.Uri.joinPath(folder.uri, 'linked-current', 'config.js'),
      );
      assert.equal(document.languageId, 'javascript');
      await vscode.window.showTextDocument(document);
      const before = (await sent()).length;
      assert.deepEqual(await itemsAt(api, document, new vscode.Position(1, 0)), []);
      for (const request of (await sent()).slice(before))
        assert.doesNotMatch(JSON.stringify(request.body), /never_sent_current/, 'nothing of the .env was sent');
      // Completion is off here, and the status bar says why, naming where the link leads.
      await eventually(
        () => api.statusBarItem.text,
        (text) => text.includes('off for this file'),
        'the status bar to say completion is off for this file',
      );
      assert.match(
        (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
        /it leads to .*\.env, which matches .* in switchboard\.completion\.exclude/,
      );
    } finally {
      await rm(linkedSrc, { recursive: true, force: true });
    }
  });

  it('never uses the user settings.json or a .env file as a snippet for another file', async () => {
    const api = await activateSwitchboard();
    // The user's own settings.json, opened the way a user opens it.
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    const settings = await eventually(
      () => vscode.window.activeTextEditor?.document,
      (document) => document?.uri.path.endsWith('/settings.json') === true,
      'the user settings.json to open',
    );
    assert.ok(settings);
    const envFile = vscode.Uri.joinPath(folder.uri, '.env');
    await vscode.workspace.fs.writeFile(envFile, new TextEncoder().encode('NEVER_SENT_ENV=1\n'));
    const env = await vscode.languages.setTextDocumentLanguage(
      await vscode.workspace.openTextDocument(envFile),
      'jsonc',
    );
    await vscode.window.showTextDocument(env);
    // Another file of the same language as settings.json, where a snippet would be offered.
    const other = vscode.Uri.joinPath(folder.uri, 'tsconfig.jsonc');
    await vscode.workspace.fs.writeFile(other, new TextEncoder().encode('{\n  "compilerOptions": {\n    \n  }\n}\n'));
    const document = await vscode.workspace.openTextDocument(other);
    await vscode.window.showTextDocument(document);
    const paths = api.completionContext.snippetsFor(document).map((snippet) => snippet.path);
    assert.ok(!paths.some((path) => path.endsWith('settings.json')), `no settings.json snippet in ${paths.join(', ')}`);
    assert.ok(!paths.some((path) => path.endsWith('.env')), 'no .env snippet');

    const already = (await sent()).length;
    await itemsAt(api, document, new vscode.Position(2, 4));
    for (const request of (await sent()).slice(already)) {
      const body = JSON.stringify(request.body);
      assert.doesNotMatch(body, /switchboard\.providers|NEVER_SENT_ENV/, 'nothing of settings.json or .env was sent');
    }
  });

  it('does not follow an import through a link that leads outside the workspace', async () => {
    const api = await activateSwitchboard();
    const outside = join(folder.uri.fsPath, '..', 'outside-linked');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'helper.js'), 'export function linkedHelper() { return "never sent linked"; }\n');
    await symlink(outside, join(folder.uri.fsPath, 'vendor'), 'dir').catch(() => undefined);
    const main = vscode.Uri.joinPath(folder.uri, 'linked.js');
    await vscode.workspace.fs.writeFile(
      main,
      new TextEncoder().encode(
        "import { linkedHelper } from './vendor/helper';\n\nexport const value = linkedHelper(\n",
      ),
    );
    const document = await vscode.workspace.openTextDocument(main);
    await vscode.window.showTextDocument(document);
    await api.completionContext.imports.refresh(document);
    assert.deepEqual(api.completionContext.imports.filesOf(document), [], 'the linked file is not followed');
    const already = (await sent()).length;
    await itemsAt(api, document, new vscode.Position(2, 'export const value = linkedHelper('.length));
    for (const request of (await sent()).slice(already))
      assert.doesNotMatch(JSON.stringify(request.body), /never sent linked/);
  });

  it('does not follow an import to a file whose link leads to a secrets file inside the workspace', async () => {
    const api = await activateSwitchboard();
    // A repository can ship `src/settings.js -> ../.env`: the import names an ordinary module,
    // the text it reaches is the .env the user filled in after cloning.
    const linkedSrc = join(folder.uri.fsPath, 'linked-src');
    try {
      await writeFile(join(folder.uri.fsPath, '.env'), 'STRIPE_SECRET_KEY=never_sent_linked_env\n');
      await mkdir(linkedSrc, { recursive: true });
      await symlink(join('..', '.env'), join(linkedSrc, 'settings.js'), 'file').catch(() => undefined);
      const main = vscode.Uri.joinPath(folder.uri, 'linked-src', 'main.js');
      await vscode.workspace.fs.writeFile(
        main,
        new TextEncoder().encode(
          "import { STRIPE_SECRET_KEY } from './settings';\n\nexport const key = STRIPE_SECRET_KEY;\n",
        ),
      );
      const document = await vscode.workspace.openTextDocument(main);
      await vscode.window.showTextDocument(document);
      await api.completionContext.imports.refresh(document);
      const already = (await sent()).length;
      await itemsAt(api, document, new vscode.Position(2, 'export const key = '.length));
      const bodies = (await sent()).slice(already).map((request) => JSON.stringify(request.body));
      assert.ok(bodies.length > 0, 'a completion request went out for main.js');
      for (const body of bodies)
        assert.doesNotMatch(body, /never_sent_linked_env/, 'nothing of the linked .env was sent');
      assert.deepEqual(api.completionContext.imports.filesOf(document), [], 'the linked .env is not followed');
      // Nor is it a snippet once it was open in a tab (go to definition lands in it).
      await vscode.window.showTextDocument(
        await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'linked-src', 'settings.js')),
      );
      await vscode.window.showTextDocument(document);
      const snippets = api.completionContext.snippetsFor(document);
      assert.ok(!snippets.some((snippet) => snippet.text.includes('never_sent_linked_env')), 'no snippet of the .env');
    } finally {
      await rm(linkedSrc, { recursive: true, force: true });
    }
  });

  it('does not make a file linked to a secrets file an automatic chat chip', async () => {
    await activateSwitchboard();
    const linkedSrc = join(folder.uri.fsPath, 'linked-chip');
    const source = new EditorContextSource();
    try {
      await writeFile(join(folder.uri.fsPath, '.env'), 'STRIPE_SECRET_KEY=never_sent_linked_chip\n');
      await mkdir(linkedSrc, { recursive: true });
      await symlink(join('..', '.env'), join(linkedSrc, 'config.js'), 'file').catch(() => undefined);
      await writeFile(join(linkedSrc, 'plain.js'), 'export const plain = 1;\n');
      const chips = () => source.tracker.items().map((item) => item.block);
      await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'linked-chip', 'plain.js'));
      await eventually(chips, (blocks) => blocks.some((block) => block.includes('plain = 1')), 'plain.js as a chip');
      // A chat answer's link, or go to definition, brings the linked file to the front.
      await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'linked-chip', 'config.js'));
      const after = await eventually(
        chips,
        (blocks) => !blocks.some((block) => block.includes('plain = 1')),
        'the chips to follow the editor',
      );
      assert.ok(!after.some((block) => block.includes('never_sent_linked_chip')), 'no chip of the linked .env');
    } finally {
      source.dispose();
      await rm(linkedSrc, { recursive: true, force: true });
    }
  });

  it('does not open a chat link through a link that leads outside the workspace', async () => {
    const outside = join(folder.uri.fsPath, '..', 'outside-linked');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'notes.txt'), 'outside the workspace\n');
    await symlink(outside, join(folder.uri.fsPath, 'vendor'), 'dir').catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const status = await openLink('vendor/notes.txt');
    assert.match(status, /does not exist in the workspace/);
    assert.equal(vscode.window.activeTextEditor, undefined, 'nothing was opened');
    // A file really inside still opens.
    assert.match(await openLink('add.js'), /^Opened/);
  });
});
