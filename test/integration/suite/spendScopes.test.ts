/**
 * A repository cannot raise what the user spends: in the real extension host, workspace values of
 * the settings that cost money count only where they lower spend, and the toggles write where
 * the decision is made without copying a workspace's values into the user's settings.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readCompletionSettings } from '../../../src/backends/settings';
import { languageEnabled } from '../../../src/core/completion/requestPolicy';
import { activateSwitchboard, eventually } from './helpers';

const KEYS = [
  'completion.enabled',
  'completion.languages',
  'completion.promptTokens',
  'completion.maxTokens',
  'completion.maxLines',
  'completion.manualCandidates',
  'completion.debounceMs',
  'completion.maxFileSizeKB',
  'completion.speed',
  'completion.reuse',
];

describe('a repository cannot raise what the user spends', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  const set = (key: string, value: unknown, target: vscode.ConfigurationTarget) => config().update(key, value, target);
  const W = vscode.ConfigurationTarget.Workspace;
  const G = vscode.ConfigurationTarget.Global;

  afterEach(async () => {
    for (const key of KEYS) {
      await set(key, undefined, W);
      await set(key, undefined, G);
    }
  });

  it('workspace values that raise spend are ignored, those that lower it count', async () => {
    const { statusBarItem } = await activateSwitchboard();
    await set('completion.promptTokens', 1_000, G);
    await set('completion.enabled', false, G);
    await set('completion.promptTokens', 30_000, W);
    await set('completion.maxTokens', 2_000, W);
    await set('completion.maxLines', 200, W);
    await set('completion.manualCandidates', 5, W);
    await set('completion.debounceMs', 0, W);
    await set('completion.speed', 'fast', W);
    await set('completion.maxFileSizeKB', 50_000, W);
    await set('completion.languages', { '*': true, plaintext: true, markdown: true }, W);
    await set('completion.enabled', true, W);
    await set('completion.reuse', false, W);
    let settings = readCompletionSettings(0);
    assert.equal(settings.promptTokens, 1_000, "the user's prompt size, not the repository's larger one");
    assert.equal(settings.maxTokens, 128);
    assert.equal(
      settings.maxLines,
      12,
      'a longer answer (read on to the token limit) is not the repository’s to choose',
    );
    assert.equal(settings.manualCandidates, 2);
    assert.equal(settings.debounceMs, undefined, 'the adaptive debounce, not a zero wait');
    assert.equal(settings.speed, 'balanced', 'the default speed, not the dearer one the repository chose');
    assert.equal(settings.maxFileChars, 500_000);
    assert.equal(languageEnabled(settings.languages, 'plaintext'), false, 'a repository cannot switch a language on');
    assert.equal(settings.enabled, false, 'nor completion itself');
    assert.equal(settings.reuse, true, 'nor turn off the reuse that saves requests');
    await eventually(
      () => statusBarItem.text,
      (text) => text.startsWith('$(circle-slash)'),
      'the status bar to show completion off',
    );

    await set('completion.enabled', undefined, G);
    await set('completion.promptTokens', 500, W);
    await set('completion.languages', { python: false }, W);
    await set('completion.debounceMs', 1_200, W);
    await set('completion.speed', 'frugal', W);
    await set('completion.maxLines', 4, W);
    settings = readCompletionSettings(0);
    assert.equal(settings.promptTokens, 500, 'a smaller prompt from the repository counts');
    assert.equal(settings.debounceMs, 1_200, 'a longer wait from the repository counts');
    assert.equal(settings.speed, 'frugal', 'a slower speed from the repository counts');
    assert.equal(settings.maxLines, 4, 'shorter answers from the repository count');
    assert.equal(languageEnabled(settings.languages, 'python'), false, 'a repository can switch a language off');
    assert.equal(languageEnabled(settings.languages, 'javascript'), true);
    assert.equal(settings.enabled, true);
  });

  it('the completion toggle turns completion on where a workspace turned it off, and off in user settings', async () => {
    const { statusBarItem } = await activateSwitchboard();
    await set('completion.enabled', false, W);
    await eventually(
      () => statusBarItem.text,
      (text) => text.startsWith('$(circle-slash)'),
      'completion off',
    );
    await vscode.commands.executeCommand('switchboard.toggleInlineCompletion');
    await eventually(
      () => statusBarItem.text,
      (text) => text.startsWith('$(plug)'),
      'completion on',
    );
    assert.equal(config().inspect('completion.enabled')?.workspaceValue, true, 'changed where it was decided');
    assert.equal(config().inspect('completion.enabled')?.globalValue, undefined, 'the user settings were not touched');
    await vscode.commands.executeCommand('switchboard.toggleInlineCompletion');
    await eventually(
      () => statusBarItem.text,
      (text) => text.startsWith('$(circle-slash)'),
      'completion off again',
    );
    assert.equal(config().inspect('completion.enabled')?.globalValue, false, "off is the user's own choice");
  });

  it("the language toggle never copies a workspace's languages into the user settings", async () => {
    await activateSwitchboard();
    await set('completion.languages', { '*': true, python: false }, W);
    await vscode.commands.executeCommand('switchboard.toggleCompletionForLanguage', 'javascript');
    const user = config().inspect<Record<string, boolean>>('completion.languages')?.globalValue ?? {};
    assert.equal(user.javascript, false);
    assert.equal('python' in user, false, `no workspace entry copied: ${JSON.stringify(user)}`);
    assert.equal(user.plaintext, false, "the user's defaults survive");

    await vscode.commands.executeCommand('switchboard.toggleCompletionForLanguage', 'python');
    const workspace = config().inspect<Record<string, boolean>>('completion.languages')?.workspaceValue ?? {};
    assert.equal(workspace.python, true, 'switched on where the workspace had it off');
    await eventually(
      () => languageEnabled(readCompletionSettings(0).languages, 'python'),
      (on) => on,
      'python to be on',
    );
  });
});
