import * as vscode from 'vscode';
import { setCompletionEnabled } from './completion/spendToggles';
import type { Backends } from './backends/backends';
import type { LimitMonitor } from './usage/limitMonitor';
import { chooseFeatures, pickBackend } from './backends/switchPicker';
import { addProvider } from './backends/addProviderWizard';
import { removeProvider } from './backends/removeProvider';
import { chooseModel } from './backends/modelChoice';
import { createClient } from './backends/backends';
import { testFailureText } from './core/providers/presets';
import { formatTotalCost, plural } from './core/usage/formatMoney';
import type { Totals } from './core/usage/rollups';
import type { UsageMeter } from './usage/usageMeter';
import { setPrice } from './usage/setPriceCommand';
import { askExportTarget } from './usage/exportDialog';
import type { KeyStore } from './backends/keyStore';
import { savedOrSaid } from './backends/settingsWrite';

export const CHAT_VIEW_ID = 'switchboard.chatView';

export function registerCommands(
  backends: Backends,
  keys: KeyStore,
  meter: UsageMeter,
  limits: LimitMonitor,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.switchProvider', (options?: unknown) =>
      switchProvider(backends, keys, limits, afterLimitOf(options)),
    ),
    vscode.commands.registerCommand('switchboard.addProvider', (presetId?: unknown) =>
      addProvider(backends, keys, typeof presetId === 'string' ? { presetId } : {}),
    ),
    vscode.commands.registerCommand('switchboard.removeProvider', (providerId?: unknown) =>
      removeProvider(
        backends,
        keys,
        async () => (await pickBackend(backends, keys, limits, 'Remove which backend?', { nothingTo: 'remove' }))?.id,
        typeof providerId === 'string' ? providerId : undefined,
      ),
    ),
    vscode.commands.registerCommand('switchboard.chooseModel', (providerId?: unknown) =>
      chooseModel(
        backends,
        keys,
        () =>
          pickBackend(backends, keys, limits, 'Choose a model for which backend?', { nothingTo: 'choose a model for' }),
        typeof providerId === 'string' ? providerId : undefined,
      ),
    ),
    vscode.commands.registerCommand('switchboard.setApiKey', (providerId?: string) =>
      setApiKey(backends, keys, providerId),
    ),
    vscode.commands.registerCommand('switchboard.openChat', () =>
      vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`),
    ),
    vscode.commands.registerCommand('switchboard.showUsage', () => showUsage(backends, meter)),
    vscode.commands.registerCommand('switchboard.toggleInlineCompletion', () => toggleCompletion(backends)),
    vscode.commands.registerCommand('switchboard.exportUsage', () => exportUsageFile(meter)),
    vscode.commands.registerCommand('switchboard.setPrice', (providerId?: unknown, model?: unknown) =>
      setPrice(
        backends,
        typeof providerId === 'string' ? providerId : undefined,
        typeof model === 'string' ? model : undefined,
      ),
    ),
  ];
}

/** The backend that ran out, when the picker was opened from its limit notification. */
function afterLimitOf(options: unknown): string | undefined {
  const id = (options as { afterLimitOf?: unknown } | undefined)?.afterLimitOf;
  return typeof id === 'string' ? id : undefined;
}

async function switchProvider(
  backends: Backends,
  keys: KeyStore,
  limits: LimitMonitor,
  afterLimit?: string,
): Promise<void> {
  void limits.refreshBalances();
  const provider = await pickBackend(backends, keys, limits, 'Switch to which backend?', {
    includeDetected: true,
    allowAdd: true,
    offerPrices: true,
  });
  if (!provider) return;
  const features = await chooseFeatures(provider);
  if (!features) return;
  // After a limit, a pick is a fallback: a paid one is confirmed first and counts toward the fallback budget.
  if (afterLimit && !(await limits.guardPickedFallback(afterLimit, provider, features))) return;
  const what = `The switch of ${features.join(' and ')} to ${provider.name}`;
  if (!(await savedOrSaid(what, () => backends.choose(provider.id, features)))) return;
  void vscode.window.setStatusBarMessage(`Switchboard: ${features.join(' and ')} now use ${provider.name}`, 4000);
}

async function setApiKey(backends: Backends, keys: KeyStore, providerId?: string): Promise<void> {
  const provider =
    backends.current().providers.find((candidate) => candidate.id === providerId) ??
    (await pickBackend(backends, keys, undefined, 'Set the API key for which backend?', { allowAdd: true }));
  if (!provider) return;
  const key = await vscode.window.showInputBox({
    title: `API key for ${provider.name}`,
    prompt:
      'Stored in VS Code secret storage on this machine, never in settings. Leave empty to remove the stored key.',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await keys.delete(provider.id);
    void vscode.window.showInformationMessage(`Switchboard: removed the stored key for ${provider.name}.`);
    return;
  }
  await keys.set(provider, key.trim());
  // Say what the key does, not only that it was stored: a typo shows now, not at the first request.
  const probe = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Switchboard: testing the key with ${provider.name}…` },
    () => createClient(provider, key.trim()).probe(),
  );
  backends.noteTest(provider, probe.ok ? undefined : (probe.detail ?? 'it did not answer'));
  if (probe.ok) {
    void vscode.window.showInformationMessage(
      `Switchboard: key saved for ${provider.name}, and it works: ${probe.detail ?? 'the server answered'} in ${Math.round(probe.latencyMs)} ms.`,
    );
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `Switchboard: key saved for ${provider.name}, but the connection test failed.`,
    { modal: true, detail: testFailureText(provider.preset, probe) },
    'Change Key',
  );
  if (choice === 'Change Key') await setApiKey(backends, keys, provider.id);
}

/** Today's and this month's requests and cost per backend, from the ledger of every window. */
async function showUsage(backends: Backends, meter: UsageMeter): Promise<void> {
  if (!meter.ready) {
    if (meter.unavailable) void vscode.window.showWarningMessage(meter.notReadyText());
    else void vscode.window.showInformationMessage(meter.notReadyText());
    return;
  }
  const line = (totals: Totals | undefined) => {
    if (!totals || totals.requests === 0) return 'no requests';
    const cost = formatTotalCost(
      totals.cost,
      totals.requests,
      totals.unpricedRequests,
      totals.planRequests,
      totals.unservedRequests,
    );
    // Requests the model never ran are no spend: said beside the count, never as "$0.00" in the cost.
    const refused = totals.unservedRequests
      ? ` (${totals.unservedRequests.toLocaleString('en-US')} refused or not sent)`
      : '';
    // The cost first: a picker row is cut at its end when the backend's name is long.
    return `${cost} · ${plural(totals.requests, 'request')}${refused} · ${(totals.inputTokens + totals.outputTokens).toLocaleString('en-US')} tokens`;
  };
  const items: vscode.QuickPickItem[] = [
    {
      label: 'All backends',
      description: `today: ${line(meter.today())}`,
      detail: `this month: ${line(meter.month())}`,
    },
    ...backends.current().providers.map((provider) => ({
      label: provider.name,
      description: `today: ${line(meter.today(provider.id))}`,
      detail: `this month: ${line(meter.month(provider.id))}`,
    })),
  ];
  await vscode.window.showQuickPick(items, {
    title: 'Switchboard usage (days are UTC)',
    placeHolder: 'Requests, tokens and cost recorded by every window on this machine',
    matchOnDescription: true,
  });
}

async function exportUsageFile(meter: UsageMeter): Promise<void> {
  if (!meter.ready) {
    if (meter.unavailable) void vscode.window.showWarningMessage(meter.notReadyText());
    else void vscode.window.showInformationMessage(meter.notReadyText());
    return;
  }
  const target = await askExportTarget();
  if (!target) return;
  const format = target.fsPath.toLowerCase().endsWith('.json') ? 'json' : 'csv';
  try {
    const count = await meter.export(target.fsPath, format);
    void vscode.window.showInformationMessage(`Switchboard: exported ${plural(count, 'request')} to ${target.fsPath}.`);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Switchboard: the export failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function toggleCompletion(backends: Backends): Promise<void> {
  const enabled = !backends.current().completionEnabled;
  if (!(await savedOrSaid(`Inline completion ${enabled ? 'on' : 'off'}`, () => setCompletionEnabled(enabled)))) return;
  void vscode.window.setStatusBarMessage(`Switchboard: inline completion ${enabled ? 'on' : 'off'}`, 3000);
}
