import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, EXTENSION_ID, metric } from './helpers';

describe('Switchboard in a real extension host', () => {
  it('activates and reports how long activation took', async () => {
    const api = await activateSwitchboard();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs > 0);
    metric('extension.activate_ms', api.activationMs);
  });

  it('registers every command it contributes', async () => {
    await activateSwitchboard();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 5);
    for (const command of [
      'switchboard.switchProvider',
      'switchboard.setApiKey',
      'switchboard.openChat',
      'switchboard.showUsage',
      'switchboard.toggleInlineCompletion',
    ]) {
      assert.ok(contributed.includes(command), `${command} is contributed`);
    }
    for (const command of contributed) assert.ok(registered.has(command), `${command} is registered`);
  });

  it('does not load the SDK bundle during activation', async () => {
    await activateSwitchboard();
    const runtimeLoaded = Object.keys(require.cache).some((file) => file.endsWith('providerRuntime.js'));
    // Other tests may have triggered a request already; this one runs first in its file order.
    assert.equal(runtimeLoaded, false, 'providerRuntime.js was required at activation');
  });
});
