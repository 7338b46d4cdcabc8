import * as vscode from 'vscode';
import { createClient, type Backends, type Feature } from './backends';
import { PRESETS, type Preset } from '../core/providers/presets';
import { parseProviders, type ProviderConfig } from '../core/settings/providerSettings';
import type { LimitState } from '../core/usage/limits';
import { describeReading } from '../core/usage/switchAdvice';
import { adoptDetected, type DetectedBackend } from './detection';
import { loadProviderRuntime } from './lazyRuntime';
import type { LimitMonitor } from '../usage/limitMonitor';
import type { KeyStore } from './keyStore';
import { SECTION } from './settings';
import { chooseEditorModel, detectEditorModels } from '../chat/vscodeChat/editorModelsChoice';

interface BackendPick extends vscode.QuickPickItem {
  provider?: ProviderConfig;
  detected?: DetectedBackend;
  add?: true;
}

/** "$1.00 / $5.00 per 1M", "free", or "price unknown"; loads the price data, so only on a user's pick. */
function priceText(config: ProviderConfig): string {
  const override = config.prices[config.chatModel] ?? config.prices['*'];
  if (override) return `$${override.inputPerMTok} / $${override.outputPerMTok} per 1M`;
  try {
    const price = loadProviderRuntime().pricePerMTok(config.preset.id, config.chatModel, config.preset.local === true);
    if (!price) return 'price unknown';
    if (price.input === 0 && price.output === 0) return 'free';
    return `$${price.input} / $${price.output} per 1M`;
  } catch {
    return 'price unknown';
  }
}

function healthText(state: LimitState | undefined): string {
  if (!state) return '';
  if (state.failure) return `$(error) ${state.failure.kind.replace(/-/g, ' ')}`;
  const closest = state.readings.reduce<(typeof state.readings)[number] | undefined>(
    (top, r) => (!top || r.fraction > top.fraction ? r : top),
    undefined,
  );
  if (!closest) return '';
  const icon = state.level === 'exhausted' ? '$(error) ' : state.level === 'warning' ? '$(warning) ' : '';
  return `${icon}${describeReading(closest)}`;
}

/**
 * Every configured backend with its health (key, limits, last failure), price and the features it
 * serves; what was found on this machine; and "Add provider…".
 */
export async function pickBackend(
  backends: Backends,
  keys: KeyStore,
  limits: LimitMonitor | undefined,
  placeHolder: string,
  options: { includeDetected?: boolean; allowAdd?: boolean } = {},
): Promise<ProviderConfig | undefined> {
  const { providers } = backends.current();
  const detected = options.includeDetected ? [...backends.detected(), ...(await detectEditorModels(providers))] : [];
  const completion = backends.configFor('completion')?.id;
  const chat = backends.configFor('chat')?.id;
  const items: BackendPick[] = await Promise.all(
    providers.map(async (provider) => {
      const roles = [provider.id === completion && 'completion', provider.id === chat && 'chat']
        .filter(Boolean)
        .join(' + ');
      const keyState = provider.preset.requiresKey
        ? (await keys.has(provider.id, provider.apiKeyEnv))
          ? '$(key) key set'
          : '$(circle-slash) no key'
        : 'no key needed';
      const health = healthText(limits?.stateOf(provider.id));
      return {
        label: provider.name,
        description: [roles && `$(check) ${roles}`, priceText(provider)].filter(Boolean).join(' · '),
        detail: [keyState, health, `chat ${provider.chatModel}`, `completion ${provider.completionModel}`]
          .filter(Boolean)
          .join(' · '),
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
  if (options.allowAdd) {
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(add) Add provider…', detail: 'Pick a preset, enter the key, test the connection', add: true },
    );
  }
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder,
    matchOnDetail: true,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.add) return addProvider(backends, keys);
  if (!picked.detected) return picked.provider;
  if (picked.detected.discontinued) {
    const choice = await vscode.window.showWarningMessage(
      picked.detected.discontinued,
      { modal: true },
      'Add It Anyway',
    );
    if (choice !== 'Add It Anyway') return undefined;
  }
  const id = await adoptDetected(picked.detected, (providerId, key) => keys.set(providerId, key));
  return backends.current().providers.find((provider) => provider.id === id);
}

/** Preset → base URL where it varies → key into secret storage → test connection → added. */
export async function addProvider(backends: Backends, keys: KeyStore): Promise<ProviderConfig | undefined> {
  const presetPick = await vscode.window.showQuickPick(
    PRESETS.filter((preset) => !preset.discontinued).map((preset) => ({
      label: preset.name,
      description: preset.local ? 'local' : preset.apiKeyEnv ? `$${preset.apiKeyEnv}` : '',
      detail: preset.baseUrl || 'The models VS Code already offers, such as a signed-in Copilot’s',
      preset,
    })),
    { title: 'Add provider (1/3): which backend?', matchOnDetail: true },
  );
  if (!presetPick) return undefined;
  const preset: Preset = presetPick.preset;
  let baseUrl: string | undefined;
  if (preset.local || preset.id === 'custom' || preset.id === 'litellm') {
    baseUrl = await vscode.window.showInputBox({
      title: `Add provider (2/3): where does ${preset.name} run?`,
      value: preset.baseUrl,
      ignoreFocusOut: true,
      validateInput: (value) => (/^https?:\/\/[^\s]+$/.test(value) ? undefined : 'An http:// or https:// URL'),
    });
    if (baseUrl === undefined) return undefined;
  }
  const editorModel = preset.protocol === 'vscode-lm' ? await chooseEditorModel() : undefined;
  if (preset.protocol === 'vscode-lm' && editorModel === undefined) return undefined;
  const ids = new Set(backends.current().providers.map((provider) => provider.id));
  let id = preset.id;
  for (let n = 2; ids.has(id); n++) id = `${preset.id}-${n}`;
  const entry: Record<string, unknown> = {
    id,
    preset: preset.id,
    ...(baseUrl && baseUrl !== preset.baseUrl && { baseUrl }),
    ...(editorModel && editorModel !== preset.chatModel && { chatModel: editorModel, completionModel: editorModel }),
  };
  const { providers, problems } = parseProviders([entry]);
  const config = providers[0];
  if (!config) {
    void vscode.window.showErrorMessage(`Switchboard: ${problems[0]?.message ?? 'that entry is not valid'}`);
    return undefined;
  }

  let key: string | undefined;
  if (preset.requiresKey) {
    key = await vscode.window.showInputBox({
      title: `Add provider (3/3): API key for ${preset.name}`,
      prompt: `Kept in VS Code's secret storage, never in settings.${preset.apiKeyEnv ? ` Leave empty to use $${preset.apiKeyEnv}.` : ''}`,
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return undefined;
    key = key.trim() || undefined;
  }

  const probe = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Switchboard: testing ${preset.name}…` },
    async () => createClient(config, key ?? (config.apiKeyEnv ? process.env[config.apiKeyEnv] : undefined)).probe(),
  );
  if (!probe.ok) {
    const choice = await vscode.window.showWarningMessage(
      `Switchboard: ${preset.name} did not answer: ${probe.detail ?? 'no detail'}`,
      'Add Anyway',
    );
    if (choice !== 'Add Anyway') return undefined;
  }
  if (key) await keys.set(id, key);
  const settings = vscode.workspace.getConfiguration(SECTION);
  await settings.update(
    'providers',
    [...(settings.get<unknown[]>('providers') ?? []), entry],
    vscode.ConfigurationTarget.Global,
  );
  void vscode.window.setStatusBarMessage(
    `Switchboard: added ${preset.name}${probe.ok ? ` (answered in ${Math.round(probe.latencyMs)} ms)` : ''}`,
    5000,
  );
  return backends.current().providers.find((provider) => provider.id === id);
}

export async function chooseFeatures(provider: ProviderConfig): Promise<Feature[] | undefined> {
  const scopes: (vscode.QuickPickItem & { features: Feature[] })[] = [
    { label: 'Completion and chat', features: ['completion', 'chat'] },
    { label: 'Completion only', features: ['completion'] },
    { label: 'Chat only', features: ['chat'] },
  ];
  return (await vscode.window.showQuickPick(scopes, { placeHolder: `Use ${provider.name} for…` }))?.features;
}
