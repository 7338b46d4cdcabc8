import * as vscode from 'vscode';
import { savedOrSaid, userProviderList } from './settingsWrite';
import { createClient, type Backends } from './backends';
import type { Provider } from '../core/providers/types';
import { modelChoices } from '../core/settings/modelChoices';
import type { ProviderConfig } from '../core/settings/providerSettings';
import type { KeyStore } from './keyStore';
import { SECTION } from './settings';

export type ModelRole = 'chat' | 'completion';

interface ModelPick extends vscode.QuickPickItem {
  model?: string;
  typeIn?: true;
}

/** Model lists can be long (OpenRouter's has hundreds); the pick filters them as the user types. */
const MAX_LISTED = 1_000;

/** The backend's own model list (empty when it has none or it fails), fetched once per wizard. */
export async function listModelIds(client: Provider, config: ProviderConfig): Promise<string[]> {
  const listed = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Switchboard: listing ${config.name}'s models…` },
    () => client.listModels().catch(() => []),
  );
  return [...new Set(listed.map((model) => model.id).filter(Boolean))].sort().slice(0, MAX_LISTED);
}

/**
 * The model for `role`, picked from `ids` (the current one first), or typed in. Resolves the
 * current model without asking when the list is empty; undefined on cancel.
 */
export async function pickModel(
  ids: readonly string[],
  config: ProviderConfig,
  role: ModelRole,
  title: string,
): Promise<string | undefined> {
  const current = role === 'chat' ? config.chatModel : config.completionModel;
  const others = ids.filter((id) => id !== current);
  if (others.length === 0) return current;
  const items: ModelPick[] = [
    ...modelChoices(ids, current).map(({ model, note }) => ({ label: model, description: note, model })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(edit) Type a model id…', typeIn: true },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: `${ids.length} models offered by ${config.name}; type to filter`,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (!picked.typeIn) return picked.model;
  const typed = await vscode.window.showInputBox({ title, value: current, ignoreFocusOut: true });
  return typed?.trim() || undefined;
}

/** Writes a model into the user-settings entry `id` (the only place backends are configured). */
export async function setModel(id: string, role: ModelRole, model: string): Promise<boolean> {
  const settings = vscode.workspace.getConfiguration(SECTION);
  const user = userProviderList(settings) ?? [];
  let found = false;
  const updated = user.map((entry) => {
    if (!entry || typeof entry !== 'object' || (entry as { id?: unknown }).id !== id) return entry;
    found = true;
    return { ...entry, [`${role}Model`]: model };
  });
  if (found) await settings.update('providers', updated, vscode.ConfigurationTarget.Global);
  return found;
}

/** "Choose Model…": a backend, a role, then a model from its list. */
export async function chooseModel(
  backends: Backends,
  keys: KeyStore,
  pickBackend: () => Promise<ProviderConfig | undefined>,
  providerId?: string,
): Promise<void> {
  const config = backends.current().providers.find((provider) => provider.id === providerId) ?? (await pickBackend());
  if (!config) return;
  const role = await vscode.window.showQuickPick(
    [
      { label: 'Chat model', description: config.chatModel, role: 'chat' as const },
      { label: 'Completion model', description: config.completionModel, role: 'completion' as const },
    ],
    { title: `Choose a model for ${config.name}` },
  );
  if (!role) return;
  const client = createClient(config, await keys.get(config));
  const ids = await listModelIds(client, config);
  const model = await pickModel(ids, config, role.role, `${config.name}: ${role.label.toLowerCase()}`);
  if (!model || model === (role.role === 'chat' ? config.chatModel : config.completionModel)) return;
  let found = false;
  const what = `${model} for ${role.role} on ${config.name}`;
  if (!(await savedOrSaid(what, async () => void (found = await setModel(config.id, role.role, model))))) return;
  if (found) {
    void vscode.window.showInformationMessage(`Switchboard: ${config.name} now uses ${model} for ${role.role}.`);
  } else {
    void vscode.window.showWarningMessage(
      `Switchboard: ${config.name} is not in your user settings (it was found on this machine); add it first, then choose its model.`,
    );
  }
}
