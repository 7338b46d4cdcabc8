import { homedir } from 'node:os';
import { sep } from 'node:path';
import * as vscode from 'vscode';
import type { Backends } from './backends';
import { migrationNotice, migrationRoutes, routeRegions, type MigrationRoute } from '../core/detection/qwenMigration';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { adoptPicked, type DetectedBackend } from './detection';
import { savedOrSaid } from './settingsWrite';
import type { KeyStore } from './keyStore';
import { addProvider } from './addProviderWizard';
// A cycle with switchPicker, which offers these routes too; only functions cross it, called later.
import { chooseFeatures } from './switchPicker';

/** The routes to offer now: the three Qwen Code recommends, and Ollama when it was found running. */
export function currentRoutes(backends: Backends): MigrationRoute[] {
  const detected = backends.detected();
  // A vendor's key found in the environment or in Qwen Code's files (no address of its own): that
  // route needs no key typed. The first found is the one addRoute adopts.
  const places = new Map<string, string>();
  for (const found of detected) {
    const place = keyPlace(found);
    if (place && !places.has(found.entry.preset)) places.set(found.entry.preset, place);
  }
  return migrationRoutes(
    detected.some((found) => found.entry.preset === 'ollama'),
    places,
  );
}

/** Where a detected vendor key is, as the user knows the place; undefined for none or a server of its own. */
function keyPlace(found: DetectedBackend): string | undefined {
  if (found.entry.baseUrl) return undefined;
  if (found.entry.apiKeyEnv) return `$${found.entry.apiKeyEnv}`;
  const source = found.keySource;
  if (!source) return undefined;
  const file = source.file.startsWith(homedir() + sep) ? `~${source.file.slice(homedir().length)}` : source.file;
  return source.kind === 'env-file' ? `${source.variable} in ${file}` : file;
}

/**
 * The Qwen Code notice: a modal, so it stays until answered, with one button per route and one
 * line each on what it costs. A route opens Add Provider at its preset (Ollama is adopted as
 * found). From the notice the new backend is then put to work; from the picker, the picker's
 * caller asks what it serves.
 */
export async function offerQwenRoutes(
  backends: Backends,
  keys: KeyStore,
  options: { chooseFeatures: boolean } = { chooseFeatures: true },
): Promise<ProviderConfig | undefined> {
  const routes = currentRoutes(backends);
  const { message, detail } = migrationNotice(routes);
  const choice = await vscode.window.showWarningMessage(
    message,
    { modal: true, detail },
    ...routes.map((r) => r.label),
  );
  const route = routes.find((candidate) => candidate.label === choice);
  const config = route && (await addRoute(backends, keys, route));
  if (!config || !options.chooseFeatures) return config;
  const features = await chooseFeatures(config);
  if (features)
    await savedOrSaid(`The switch of ${features.join(' and ')} to ${config.name}`, () =>
      backends.choose(config.id, features),
    );
  return config;
}

/** Adds the route's backend; undefined when the user stopped on the way. */
export async function addRoute(
  backends: Backends,
  keys: KeyStore,
  route: MigrationRoute,
): Promise<ProviderConfig | undefined> {
  const found = backends
    .detected()
    .find(
      (candidate) =>
        candidate.entry.preset === route.presetId &&
        (route.id === 'ollama' || (route.keyPlace !== undefined && keyPlace(candidate) !== undefined)),
    );
  if (route.id !== 'ollama' && !found) {
    const presetId = await regionPresetOf(route);
    return presetId === undefined ? undefined : addProvider(backends, keys, { presetId });
  }
  if (!found) return undefined;
  const id = await adoptPicked(found, keys);
  return id === undefined ? undefined : backends.current().providers.find((provider) => provider.id === id);
}

/** The preset of the region the user's account is in; undefined when they stopped. */
async function regionPresetOf(route: MigrationRoute): Promise<string | undefined> {
  const regions = routeRegions(route);
  if (!regions.length) return route.presetId;
  const picked = await vscode.window.showQuickPick(
    regions.map((region) => ({ label: region.label, detail: region.detail, presetId: region.presetId })),
    {
      title: `${route.label.replace(/…$/, '')}: which region is your Alibaba Cloud account in?`,
      placeHolder: 'A key works only in its own region',
      matchOnDetail: true,
    },
  );
  return picked?.presetId;
}
