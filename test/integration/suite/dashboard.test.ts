import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import {
  activateSwitchboard,
  activateWithLedger,
  completeNewFunction,
  emulatorBackend,
  eventually,
  restoreSettingsAfterEach,
  setUserSettings,
  statusBarText,
} from './helpers';

const TITLE = 'Switchboard Usage';

/** The dashboard's editor tabs. A webview panel's tab input carries its view type, with a prefix VS Code adds. */
function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) =>
        tab.label === TITLE &&
        tab.input instanceof vscode.TabInputWebview &&
        tab.input.viewType.endsWith('switchboard.dashboard'),
    );
}

describe('usage dashboard', () => {
  afterEach(async () => {
    await vscode.window.tabGroups.close(dashboardTabs());
  });

  it('opens a webview panel titled "Switchboard Usage"', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    await vscode.commands.executeCommand('switchboard.openDashboard');
    await eventually(
      () => dashboardTabs().map((tab) => ({ label: tab.label, active: tab.isActive })),
      (tabs) => tabs.length === 1 && tabs[0]?.active === true,
      'one active dashboard tab',
    );
  });

  it('keeps a single panel when the command runs again, and reopens after it is closed', async () => {
    await activateSwitchboard();
    await vscode.commands.executeCommand('switchboard.openDashboard');
    await eventually(
      () => dashboardTabs().length,
      (count) => count === 1,
      'the dashboard tab',
    );
    // Another editor in front, then the command again: the same panel comes back to the front.
    const other = await vscode.workspace.openTextDocument({ content: 'x' });
    await vscode.window.showTextDocument(other);
    await vscode.commands.executeCommand('switchboard.openDashboard');
    const tabs = await eventually(
      () => dashboardTabs().map((tab) => tab.isActive),
      (active) => active.length === 1 && active[0] === true,
      'the one dashboard tab to be active again',
    );
    assert.deepEqual(tabs, [true]);

    await vscode.window.tabGroups.close(dashboardTabs());
    await eventually(
      () => dashboardTabs().length,
      (count) => count === 0,
      'the dashboard to close',
    );
    await vscode.commands.executeCommand('switchboard.openDashboard');
    await eventually(
      () => dashboardTabs().length,
      (count) => count === 1,
      'the dashboard to open again',
    );
    // The unsaved editor would otherwise stay open, and in front once later tests close theirs.
    await vscode.window.showTextDocument(other);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers to save an export in the home folder, not at the root of the disk', async () => {
    await activateWithLedger();
    const window = vscode.window as { showSaveDialog: unknown };
    const ask = window.showSaveDialog;
    let offered: vscode.Uri | undefined;
    window.showSaveDialog = async (options: vscode.SaveDialogOptions) => {
      offered = options.defaultUri;
      return undefined;
    };
    try {
      await vscode.commands.executeCommand('switchboard.exportUsage');
    } finally {
      window.showSaveDialog = ask;
    }
    assert.ok(offered, 'the save dialog was offered a file name');
    assert.equal(dirname(offered.fsPath), homedir(), offered.fsPath);
    assert.match(offered.fsPath, /switchboard-usage-\d{4}-\d\d-\d\d\.csv$/);
  });
});

describe('usage of a backend that is removed later', () => {
  const start = restoreSettingsAfterEach(['completion.provider']);

  it('is recorded with the name the user gave it, so it still reads as that once the entry is gone', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [...start.providers, emulatorBackend(start.emulatorBaseUrl, 'named-removed', 'Work DeepSeek')],
      'completion.provider': 'named-removed',
    });
    await statusBarText(api, (text) => text.includes('Work DeepSeek'), 'the named backend in use');
    const from = Date.now();
    await completeNewFunction(api, 'namedRemoved');
    const names = await eventually(
      async () => {
        const found: (string | undefined)[] = [];
        // Read loosely: the field is what this test is about.
        for await (const record of api.meter.records({ from }))
          if (record.backend === 'named-removed') found.push((record as { backendName?: string }).backendName);
        return found;
      },
      (found) => found.length > 0,
      'the request in the ledger',
    );
    assert.deepEqual([...new Set(names)], ['Work DeepSeek']);
  });
});
