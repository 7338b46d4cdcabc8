import * as vscode from 'vscode';
import type { Backends, Feature } from './backends';
import type { KeyStore } from './keyStore';
import { SECTION } from './settings';
import { NOT_A_LIST, savedOrSaid, userProviderList } from './settingsWrite';

/**
 * Removes a backend the user no longer wants: its entry leaves user settings and its stored key
 * leaves secret storage (editing settings.json by hand left the key behind, to be used again by
 * any later entry of the same id). Usage history stays. The features it served are not handed to
 * another backend behind the user's back, which could be a paid one: the switch picker opens.
 */
export async function removeProvider(
  backends: Backends,
  keys: KeyStore,
  pick: () => Promise<string | undefined>,
  providerId?: string,
): Promise<void> {
  const id = providerId ?? (await pick());
  if (id === undefined) return;
  const config = backends.current().providers.find((provider) => provider.id === id);
  const settings = vscode.workspace.getConfiguration(SECTION);
  const user = userProviderList(settings);
  if (!user) {
    void vscode.window.showWarningMessage(
      `Switchboard: ${NOT_A_LIST} Nothing was removed; fix it in your user settings first.`,
    );
    return;
  }
  const kept = user.filter((entry) => !isEntryOf(entry, id));
  if (!config || kept.length === user.length) {
    void vscode.window.showWarningMessage(
      `Switchboard: ${config?.name ?? id} is not in your user settings, so it cannot be removed here; edit the settings where it is set.`,
    );
    return;
  }
  const served: Feature[] = (['completion', 'chat'] as const).filter(
    (feature) => backends.configFor(feature)?.id === id,
  );
  const stored = await keys.stored(id);
  const what = [
    'Its entry is removed from your user settings',
    stored ? ', and its stored API key from secret storage' : '',
    '. Its usage history stays.',
    served.length ? ` It serves ${served.join(' and ')}: you choose what does next.` : '',
  ].join('');
  const choice = await vscode.window.showWarningMessage(
    `Remove ${config.name}?`,
    { modal: true, detail: what },
    'Remove',
  );
  if (choice !== 'Remove') return;
  // A role left to its default would fall to the first backend left, paid or not: it is pinned to
  // the removed one, which serves nothing, until the user picks. The key goes only with the entry.
  const written = await savedOrSaid(`The removal of ${config.name}`, async () => {
    for (const feature of served)
      if (settings.inspect<string>(`${feature}.provider`)?.globalValue === undefined)
        await settings.update(`${feature}.provider`, id, vscode.ConfigurationTarget.Global);
    await settings.update('providers', kept, vscode.ConfigurationTarget.Global);
  });
  if (!written) return;
  await keys.delete(id);
  backends.noteTest(config, undefined);
  void vscode.window.setStatusBarMessage(`Switchboard: removed ${config.name}`, 5000);
  if (served.length) await vscode.commands.executeCommand('switchboard.switchProvider');
}

function isEntryOf(entry: unknown, id: string): boolean {
  return typeof entry === 'object' && entry !== null && (entry as { id?: unknown }).id === id;
}
