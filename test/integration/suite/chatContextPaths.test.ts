import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EditorContextSource } from '../../../src/chat/editorContextSource';
import { eventually } from './helpers';

describe('chat context names files without absolute paths', () => {
  const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));

  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('the editor in front, from outside the workspace or untitled with a path, goes by its file name', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace is open');
    const outsideDir = vscode.Uri.joinPath(folder.uri, '..', 'alice-chat-notes');
    const outside = vscode.Uri.joinPath(outsideDir, 'taxReturn.py');
    await write(outside, 'refund_cents = 12_000\n');
    const source = new EditorContextSource();
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(outside));
      const onDisk = await eventually(
        () => source.tracker.items().find((item) => item.kind === 'file'),
        (item) => item?.block.includes('refund_cents') === true,
        'the chip for the file in front',
      );
      assert.match(onDisk?.block ?? '', /^File taxReturn\.py:\n```python\n/);
      assert.doesNotMatch(onDisk?.block ?? '', /alice-chat-notes/, 'no folder of the absolute path');

      // "New File…" with a name: an untitled document that already has a path.
      const untitled = vscode.Uri.joinPath(outsideDir, 'draftLetter.md').with({ scheme: 'untitled' });
      const draft = await vscode.workspace.openTextDocument(untitled);
      const editor = await vscode.window.showTextDocument(draft);
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'Dear landlord,\n'));
      const unsaved = await eventually(
        () => source.tracker.items().find((item) => item.kind === 'file'),
        (item) => item?.block.includes('Dear landlord') === true,
        'the chip for the untitled file',
      );
      assert.match(unsaved?.block ?? '', /^File draftLetter\.md:\n/);
      assert.doesNotMatch(unsaved?.block ?? '', /alice-chat-notes/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      source.dispose();
      await vscode.workspace.fs.delete(outsideDir, { recursive: true });
    }
  });
});
