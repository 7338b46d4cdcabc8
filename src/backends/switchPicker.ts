import * as vscode from 'vscode';
import type { Backends, Feature } from './backends';
import type { ProviderConfig } from '../core/settings/providerSettings';
import type { LimitState } from '../core/usage/limits';
import { closestReading, describeReading } from '../core/usage/switchAdvice';
import { nameWithHost } from '../core/net/serverLabel';
import { needsPrice, type PerMTokLookup } from '../core/usage/backendPrice';
import { backendCost } from '../core/usage/costClass';
import { formatPrice } from '../core/usage/formatMoney';
import { adoptPicked, type DetectedBackend } from './detection';
import { loadProviderRuntime } from './lazyRuntime';
import { backendDetail } from '../core/settings/backendLabel';
import type { LimitMonitor } from '../usage/limitMonitor';
import type { KeyStore } from './keyStore';
import { detectEditorModels } from '../chat/vscodeChat/editorModelsChoice';
import { addProvider } from './addProviderWizard';
import type { MigrationRoute } from '../core/detection/qwenMigration';
import { addRoute, currentRoutes, offerQwenRoutes } from './qwenMigration';
import { sayNoBackendYet } from './noBackendYet';

interface BackendPick extends vscode.QuickPickItem {
  provider?: ProviderConfig;
  detected?: DetectedBackend;
  add?: true;
  route?: MigrationRoute;
  /** "Set price…" for this backend's model. */
  setPrice?: { provider: ProviderConfig; model: string };
}

/** The price data loads only on a user's pick. */
const lookup: PerMTokLookup = (presetId, model, local, baseUrl) =>
  loadProviderRuntime().pricePerMTok(presetId, model, local, baseUrl);

/**
 * How a backend is paid for (for chat, its class from the same rule the paid-fallback guard uses),
 * marked distinctly: "$(calendar) included in plan", "$(gift) free", "$(vm) local, free",
 * "$(credit-card) $1.00 / $5.00 per 1M" (or ¥ for a yuan price list), or "$(credit-card) price unknown".
 */
function priceText(config: ProviderConfig): string {
  const { costClass, price } = backendCost(config, 'chat', lookup);
  if (costClass === 'plan') return '$(calendar) included in plan';
  if (costClass === 'local') return '$(vm) local, free';
  if (costClass === 'free') return '$(gift) free';
  return `$(credit-card) ${formatPrice(price)}`;
}

function healthText(state: LimitState | undefined): string {
  if (!state) return '';
  if (state.failure) return `$(error) ${state.failure.kind.replace(/-/g, ' ')}`;
  const closest = closestReading(state);
  if (!closest) return '';
  const icon = state.level === 'exhausted' ? '$(error) ' : state.level === 'warning' ? '$(warning) ' : '';
  return `${icon}${describeReading(closest)}`;
}

/**
 * Every configured backend with its health (key, limits, last failure), price and the features it
 * serves; what was found on this machine; "Set price…" for unpriced models (`offerPrices`); and
 * "Add provider…". With nothing to list, says so
 * (`nothingTo` the action, as in "there is none to remove") and offers Add Provider instead.
 */
export async function pickBackend(
  backends: Backends,
  keys: KeyStore,
  limits: LimitMonitor | undefined,
  placeHolder: string,
  options: { includeDetected?: boolean; allowAdd?: boolean; nothingTo?: string; offerPrices?: boolean } = {},
): Promise<ProviderConfig | undefined> {
  const { providers } = backends.current();
  const detected = options.includeDetected ? [...backends.detected(), ...(await detectEditorModels(providers))] : [];
  if (!providers.length && !detected.length && !options.allowAdd) {
    await sayNoBackendYet(options.nothingTo ?? 'pick');
    return undefined;
  }
  const completion = backends.configFor('completion')?.id;
  const chat = backends.configFor('chat')?.id;
  const items: BackendPick[] = await Promise.all(
    providers.map(async (provider) => {
      const roles = [provider.id === completion && 'completion', provider.id === chat && 'chat']
        .filter(Boolean)
        .join(' + ');
      const keyState = await keyStateText(provider, keys);
      const health =
        healthText(limits?.stateOf(provider.id)) ||
        (backends.failedTest(provider.id) !== undefined ? '$(warning) failed its connection test' : '');
      return {
        label: nameWithHost(provider.name, provider.preset.id, provider.baseUrl),
        description: [roles && `$(check) ${roles}`, priceText(provider)].filter(Boolean).join(' · '),
        detail: [
          backendDetail(provider),
          keyState,
          health,
          `chat ${provider.chatModel}`,
          `completion ${provider.completionModel}`,
        ]
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
        label: `$(search) ${nameWithHost(candidate.entry.name, candidate.entry.preset, candidate.entry.baseUrl)}`,
        description: candidate.discontinued ? '$(warning) free tier ended' : 'add',
        detail: candidate.detail,
        detected: candidate,
      });
    }
    // The ended Qwen Code login leads somewhere: the routes Qwen Code itself recommends.
    if (detected.some((candidate) => candidate.discontinued)) {
      items.push({ label: 'Instead of the Qwen Code login', kind: vscode.QuickPickItemKind.Separator });
      for (const route of currentRoutes(backends)) {
        items.push({ label: `$(arrow-right) ${route.label.replace(/…$/, '')}`, detail: route.cost, route });
      }
    }
  }
  // Where backends are weighed for a switch, an unknown price is offered to be set; picking one to
  // remove, re-key or re-model, a "Set price…" row would lead elsewhere.
  const unpriced = (options.offerPrices ? providers : []).flatMap((provider) =>
    [...new Set([provider.chatModel, provider.completionModel])]
      .filter((model) => needsPrice(provider, model, lookup))
      .map((model) => ({ provider, model })),
  );
  if (unpriced.length) {
    items.push({ label: 'Prices', kind: vscode.QuickPickItemKind.Separator });
    for (const target of unpriced) {
      items.push({
        label: `$(tag) Set price…`,
        description: `${target.provider.name} · ${target.model}`,
        detail: 'Its price is unknown, so its spend is not counted. Enter input and output per 1M tokens.',
        setPrice: target,
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
  if (picked.setPrice) {
    await vscode.commands.executeCommand('switchboard.setPrice', picked.setPrice.provider.id, picked.setPrice.model);
    return undefined;
  }
  if (picked.add) return addProvider(backends, keys);
  if (picked.route) return addRoute(backends, keys, picked.route);
  if (!picked.detected) return picked.provider;
  // The login is gone (401): adding it would only fail. Offer where to go instead.
  if (picked.detected.discontinued) return offerQwenRoutes(backends, keys, { chooseFeatures: false });
  const id = await adoptPicked(picked.detected, keys);
  return id === undefined ? undefined : backends.current().providers.find((provider) => provider.id === id);
}

export async function chooseFeatures(provider: ProviderConfig): Promise<Feature[] | undefined> {
  const scopes: (vscode.QuickPickItem & { features: Feature[] })[] = [
    { label: 'Completion and chat', features: ['completion', 'chat'] },
    { label: 'Completion only', features: ['completion'] },
    { label: 'Chat only', features: ['chat'] },
  ];
  return (await vscode.window.showQuickPick(scopes, { placeHolder: `Use ${provider.name} for…` }))?.features;
}

/** Whether the backend has its key, in a few words; a key set for another server is said as such. */
async function keyStateText(provider: ProviderConfig, keys: KeyStore): Promise<string> {
  const found = await keys.lookup(provider);
  if (found.storedFor) return `$(warning) key set for ${found.storedFor}`;
  if (!provider.preset.requiresKey) return 'no key needed';
  return found.key !== undefined ? '$(key) key set' : '$(circle-slash) no key';
}
