import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, eventually } from './helpers';

type Api = Awaited<ReturnType<typeof activateSwitchboard>>;

const today = () => new Date().toISOString().slice(0, 10);

/** Opens `content` in an editor with the cursor at the end of `line`. */
async function openAt(content: string, line: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'javascript', content });
  const editor = await vscode.window.showTextDocument(document);
  const end = document.lineAt(line).range.end;
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/**
 * Asks for ghost text until the ledger counts one more shown suggestion: on a loaded machine the
 * first trigger can come before the new editor has focus, and VS Code then ignores it.
 */
async function triggerUntilShown(api: Api, shownBefore: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    try {
      await eventually(
        () => api.meter.acceptanceOf('emulator', today())?.shown ?? 0,
        (shown) => shown > shownBefore,
        'the suggestion to be shown',
        5_000,
      );
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

describe('what a completion is worth', () => {
  before(async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the usage ledger to open');
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('accepting ghost text in the editor records it shown and accepted, and the tooltip shows the rate', async () => {
    const api = await activateSwitchboard();
    const before = api.meter.acceptanceOf('emulator', today());
    assert.ok(before);
    const editor = await openAt('// accept whole\nfunction add(a, b) {\n}\n', 1);
    await triggerUntilShown(api, before.shown);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await eventually(
      () => editor.document.getText(),
      (text) => text.includes('return a + b;'),
      'the suggestion to be inserted',
    );
    const after = await eventually(
      () => api.meter.acceptanceOf('emulator', today()),
      (figures) => (figures?.accepted ?? 0) > before.accepted,
      'the accept to be recorded',
    );
    assert.equal(after?.acceptedWhole, before.acceptedWhole + 1);
    assert.ok((after?.shown ?? 0) >= before.shown + 1);
    assert.ok((after?.acceptanceRate ?? 0) > 0);
    assert.equal(after?.costPerAccepted.kind, 'known', 'the emulator entry has a price: a cost per accepted');
    const tooltip = await eventually(
      () => (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
      (text) => text.includes('suggestions accepted') || text.includes('suggestion accepted'),
      'the tooltip to show the acceptance figures',
    );
    assert.match(tooltip, /Completion on Emulator \(demo\) today: \d+ of \d+ suggestions? accepted \(\d+%\)/);
    // Markdown-escaped: "\\< \\$0.0001".
    assert.match(tooltip, /requests? and (\\< )?\\\$[\d.]+ per accepted/);
  });

  it('accepting the next word records a partial accept', async () => {
    const api = await activateSwitchboard();
    const before = api.meter.acceptanceOf('emulator', today());
    assert.ok(before);
    const editor = await openAt('// accept a word\nconst greeting =', 1);
    await triggerUntilShown(api, before.shown);
    // What the editor's edits were, for the failure message.
    const changes: string[] = [];
    const watch = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === editor.document)
        changes.push(JSON.stringify(event.contentChanges.map((c) => [c.rangeOffset, c.rangeLength, c.text])));
    });
    // VS Code takes the leading space (and may take the quote) as a word of its own.
    for (let word = 0; word < 4 && !editor.document.lineAt(1).text.includes('Hello'); word++) {
      const length = editor.document.lineAt(1).text.length;
      await vscode.commands.executeCommand('editor.action.inlineSuggest.acceptNextWord');
      await eventually(
        () => editor.document.lineAt(1).text.length,
        (now) => now > length,
        `word ${word + 1} to be inserted`,
      );
    }
    const after = await eventually(
      () => api.meter.acceptanceOf('emulator', today()),
      (figures) => (figures?.acceptedPartial ?? 0) > before.acceptedPartial,
      `the partial accept to be recorded (edits: ${changes.join(' ')})`,
    ).finally(() => watch.dispose());
    assert.equal(after?.acceptedWhole, before.acceptedWhole, 'a word is not a whole accept');
    const line = editor.document.lineAt(1).text;
    assert.ok(line.includes('Hello'), line);
    assert.ok("const greeting = 'Hello from the Switchboard emulator';".startsWith(line), `a part, not all: ${line}`);
  });
});
