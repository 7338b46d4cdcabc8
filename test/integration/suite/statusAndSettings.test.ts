import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, eventually } from './helpers';

describe('status bar and settings', () => {
  afterEach(async () => {
    await vscode.workspace
      .getConfiguration('switchboard')
      .update('completion.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows the completion backend named in the user settings', async () => {
    const { statusBarItem } = await activateSwitchboard();
    assert.equal(statusBarItem.name, 'Switchboard');
    assert.equal(statusBarItem.command, 'switchboard.switchProvider');
    assert.match(statusBarItem.text, /Emulator \(demo\)/);
    const tooltip = statusBarItem.tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /emulator-coder/);
  });

  it('the toggle command turns completion off in the settings and the status bar follows', async () => {
    const { statusBarItem } = await activateSwitchboard();
    await vscode.commands.executeCommand('switchboard.toggleInlineCompletion');
    assert.equal(vscode.workspace.getConfiguration('switchboard').get('completion.enabled'), false);
    await eventually(
      () => statusBarItem.text,
      (text) => text.startsWith('$(circle-slash)'),
      'the status bar to show completion off',
    );
    await vscode.commands.executeCommand('switchboard.toggleInlineCompletion');
    await eventually(
      () => statusBarItem.text,
      (text) => text.startsWith('$(plug)'),
      'the status bar to show completion on',
    );
  });

  it('reads a provider added to the settings at run time', async () => {
    const { statusBarItem } = await activateSwitchboard();
    const config = vscode.workspace.getConfiguration('switchboard');
    const original = config.get<unknown[]>('providers') ?? [];
    try {
      await config.update(
        'providers',
        [...original, { id: 'second', preset: 'ollama', name: 'Second Backend' }],
        vscode.ConfigurationTarget.Global,
      );
      await config.update('completion.provider', 'second', vscode.ConfigurationTarget.Global);
      await eventually(
        () => statusBarItem.text,
        (text) => text.includes('Second Backend'),
        'the status bar to name the new backend',
      );
    } finally {
      await config.update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
      await config.update('providers', original, vscode.ConfigurationTarget.Global);
    }
    await eventually(
      () => statusBarItem.text,
      (text) => text.includes('Emulator (demo)'),
      'the status bar to return to the emulator',
    );
  });
});
