import * as vscode from 'vscode';
import type { Backends, Feature } from './backends';
import type { ProviderConfig } from './core/settings/providerSettings';
import { adoptDetected, type DetectedBackend } from './detection';
import { formatMicros } from './core/usage/formatMoney';
import type { Totals } from './core/usage/rollups';
import type { UsageMeter } from './usage';
import type { KeyStore } from './secrets';
import { SECTION } from './settings';

export const CHAT_VIEW_ID = 'switchboard.chatView';

export function registerCommands(backends: Backends, keys: KeyStore, meter: UsageMeter): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.switchProvider', () => switchProvider(backends, keys)),
    vscode.commands.registerCommand('switchboard.setApiKey', (providerId?: string) => setApiKey(backends, keys, providerId)),
    vscode.commands.registerCommand('switchboard.openChat', () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`)),
    vscode.commands.registerCommand('switchboard.showUsage', () => showUsage(backends, meter)),
    vscode.commands.registerCommand('switchboard.toggleInlineCompletion', () => toggleCompletion(backends)),
    vscode.commands.registerCommand('switchboard.exportUsage', () => exportUsageFile(meter)),
  ];
}

interface ProviderPick extends vscode.QuickPickItem {
  provider?: ProviderConfig;
  detected?: DetectedBackend;
}

async function pickProvider(
  backends: Backends,
  keys: KeyStore,
  placeHolder: string,
  includeDetected = false,
): Promise<ProviderConfig | undefined> {
  const { providers } = backends.current();
  const detected = includeDetected ? backends.detected() : [];
  if (providers.length === 0 && detected.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'Switchboard has no providers yet and found none on this machine. Add one under "switchboard.providers" in your user settings.',
      'Open Settings',
    );
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${extensionId()}`);
    return undefined;
  }
  const completion = backends.configFor('completion')?.id;
  const chat = backends.configFor('chat')?.id;
  const items: ProviderPick[] = await Promise.all(
    providers.map(async (provider) => {
      const roles = [provider.id === completion && 'completion', provider.id === chat && 'chat'].filter(Boolean).join(' + ');
      const keyState = provider.preset.requiresKey ? ((await keys.has(provider.id, provider.apiKeyEnv)) ? 'key set' : 'no key') : 'no key needed';
      return {
        label: provider.name,
        description: roles ? `$(check) ${roles}` : undefined,
        detail: `${provider.id} · chat ${provider.chatModel} · completion ${provider.completionModel} · ${keyState}`,
        provider,
      };
    }),
  );
  if (detected.length) {
    items.push({ label: 'Found on this machine', kind: vscode.QuickPickItemKind.Separator });
    for (const candidate of detected) {
      items.push({
        label: `$(search) ${candidate.entry.name}`,
        description: candidate.discontinued ? '$(warning) free tier ended' : 'add',
        detail: candidate.detail,
        detected: candidate,
      });
    }
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
  if (!picked?.detected) return picked?.provider;
  if (picked.detected.discontinued) {
    const choice = await vscode.window.showWarningMessage(picked.detected.discontinued, { modal: true }, 'Add It Anyway');
    if (choice !== 'Add It Anyway') return undefined;
  }
  const id = await adoptDetected(picked.detected, (providerId, key) => keys.set(providerId, key));
  return backends.current().providers.find((provider) => provider.id === id);
}

async function switchProvider(backends: Backends, keys: KeyStore): Promise<void> {
  const provider = await pickProvider(backends, keys, 'Switch to which backend?', true);
  if (!provider) return;
  const scopes: (vscode.QuickPickItem & { features: Feature[] })[] = [
    { label: 'Completion and chat', features: ['completion', 'chat'] },
    { label: 'Completion only', features: ['completion'] },
    { label: 'Chat only', features: ['chat'] },
  ];
  const scope = await vscode.window.showQuickPick(scopes, { placeHolder: `Use ${provider.name} for…` });
  if (!scope) return;
  await backends.choose(provider.id, scope.features);
  void vscode.window.setStatusBarMessage(`Switchboard: ${scope.label.toLowerCase()} now use ${provider.name}`, 4000);
}

async function setApiKey(backends: Backends, keys: KeyStore, providerId?: string): Promise<void> {
  const provider =
    backends.current().providers.find((candidate) => candidate.id === providerId) ??
    (await pickProvider(backends, keys, 'Set the API key for which backend?'));
  if (!provider) return;
  const key = await vscode.window.showInputBox({
    title: `API key for ${provider.name}`,
    prompt: 'Stored in VS Code secret storage on this machine, never in settings. Leave empty to remove the stored key.',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await keys.delete(provider.id);
    void vscode.window.showInformationMessage(`Switchboard: removed the stored key for ${provider.name}.`);
    return;
  }
  await keys.set(provider.id, key.trim());
  void vscode.window.showInformationMessage(`Switchboard: key saved for ${provider.name}.`);
}

/** Today's and this month's requests and cost per backend, from the ledger of every window. */
async function showUsage(backends: Backends, meter: UsageMeter): Promise<void> {
  if (!meter.ready) {
    void vscode.window.showInformationMessage('Switchboard: the usage ledger is still opening; try again in a moment.');
    return;
  }
  const line = (totals: Totals | undefined) => {
    if (!totals || totals.requests === 0) return 'no requests';
    const cost = totals.unpricedRequests === totals.requests ? 'price unknown' : `${formatMicros(totals.costMicros)}${totals.unpricedRequests ? ` + ${totals.unpricedRequests} unpriced` : ''}`;
    return `${totals.requests} requests · ${(totals.inputTokens + totals.outputTokens).toLocaleString('en-US')} tokens · ${cost}`;
  };
  const items: vscode.QuickPickItem[] = [
    { label: 'All backends', description: `today: ${line(meter.today())}`, detail: `this month: ${line(meter.month())}` },
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
    void vscode.window.showInformationMessage('Switchboard: the usage ledger is still opening; try again in a moment.');
    return;
  }
  const target = await vscode.window.showSaveDialog({
    title: 'Export Switchboard usage',
    defaultUri: vscode.Uri.file(`switchboard-usage-${new Date().toISOString().slice(0, 10)}.csv`),
    filters: { CSV: ['csv'], JSON: ['json'] },
  });
  if (!target) return;
  const format = target.fsPath.toLowerCase().endsWith('.json') ? 'json' : 'csv';
  try {
    const count = await meter.export(target.fsPath, format);
    void vscode.window.showInformationMessage(`Switchboard: exported ${count} requests to ${target.fsPath}.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Switchboard: the export failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function toggleCompletion(backends: Backends): Promise<void> {
  const enabled = !backends.current().completionEnabled;
  await vscode.workspace.getConfiguration(SECTION).update('completion.enabled', enabled, vscode.ConfigurationTarget.Global);
  void vscode.window.setStatusBarMessage(`Switchboard: inline completion ${enabled ? 'on' : 'off'}`, 3000);
}

function extensionId(): string {
  return 'switchboard-dev.switchboard';
}
