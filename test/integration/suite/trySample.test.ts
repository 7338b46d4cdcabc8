/**
 * "Try Inline Completion on a Sample" with completion held back by the user's own switches: the
 * sample opens, and a notice says why no ghost text will come and which command brings it back,
 * instead of a pause that shows nothing.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, clearUserSettings, setUserSettings } from './helpers';
import { messagesOf } from './commandSaying';

const trySampleSaying = (): Promise<string[]> => messagesOf('switchboard.tryCompletion');

describe('the sample, with completion held back', () => {
  const keys = ['completion.enabled', 'completion.languages'];
  afterEach(async () => {
    await clearUserSettings(keys);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('says completion is off, and how to turn it on', async () => {
    await activateSwitchboard();
    await setUserSettings({ 'completion.enabled': false });
    const said = await trySampleSaying();
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'javascript', 'the sample opens all the same');
    assert.equal(said.length, 1, JSON.stringify(said));
    assert.match(
      said[0]!,
      /no ghost text: inline completion is off\. "Switchboard: Toggle Inline Completion" turns it on/,
    );
  });

  it('says completion is off for JavaScript', async () => {
    await activateSwitchboard();
    await setUserSettings({ 'completion.languages': { '*': true, javascript: false } });
    const said = await trySampleSaying();
    assert.equal(said.length, 1, JSON.stringify(said));
    assert.match(said[0]!, /inline completion is off for JavaScript/);
  });

  it('says nothing when completion is on', async () => {
    await activateSwitchboard();
    assert.deepEqual(await trySampleSaying(), []);
  });
});
