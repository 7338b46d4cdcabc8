/**
 * "Suggest Inline Completions Here" run from the palette where no suggestion can come: it says why
 * and what brings suggestions back, instead of doing nothing without a word.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, clearUserSettings, setUserSettings } from './helpers';
import { messagesOf } from './commandSaying';

const triggerSaying = (): Promise<string[]> => messagesOf('switchboard.triggerCompletion');

describe('asking for suggestions where none can come', () => {
  afterEach(async () => {
    await clearUserSettings(['completion.enabled']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('with no editor open, says to open a file', async () => {
    await activateSwitchboard();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const said = await triggerSaying();
    assert.equal(said.length, 1, JSON.stringify(said));
    assert.match(said[0]!, /open a file/);
  });

  it('with completion off, says so and how to turn it on', async () => {
    await activateSwitchboard();
    await setUserSettings({ 'completion.enabled': false });
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'const a = ' });
    await vscode.window.showTextDocument(document);
    const said = await triggerSaying();
    assert.equal(said.length, 1, JSON.stringify(said));
    assert.match(said[0]!, /inline completion is off\. "Switchboard: Toggle Inline Completion" turns it on/);
  });

  it('says nothing when completion is on in an open file', async () => {
    await activateSwitchboard();
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'const a = ' });
    await vscode.window.showTextDocument(document);
    assert.deepEqual(await triggerSaying(), []);
  });
});
