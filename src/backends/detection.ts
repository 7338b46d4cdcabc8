import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { savedOrSaid } from './settingsWrite';
import { adoptedEntry, type DetectedEntry } from '../core/detection/adoptedEntry';
import { detectEnvKeys } from '../core/detection/envKeys';
import { detectLocalServers } from '../core/detection/localServers';
import { importQwenCode, readImportedKey, type KeySource } from '../core/detection/qwenCodeImport';
import { findPreset } from '../core/providers/presets';
import type { KeyStore } from './keyStore';
import { log } from '../log';

/** A backend found on this machine that is not configured yet: one pick away in the switcher. */
export interface DetectedBackend {
  entry: DetectedEntry;
  /** The models a server listed, for choosing the entry's models when it is adopted. */
  models?: string[];
  /** Where it was found, shown in the picker. */
  detail: string;
  keySource?: KeySource;
  discontinued?: string;
}

/**
 * Looks for local servers, keys in the environment and an existing Qwen Code setup in the user's
 * home. Runs after activation, never blocking it, and never throws: detection is a convenience.
 * Nothing in the workspace is read: a cloned repository must not decide where a key is sent.
 */
export async function detectBackends(): Promise<DetectedBackend[]> {
  const [servers, qwen] = await Promise.all([
    detectLocalServers().catch(() => []),
    importQwenCode({ home: homedir() }).catch(() => ({ found: false, entries: [], notes: [] })),
  ]);
  const found: DetectedBackend[] = [];
  for (const server of servers) {
    const preset = findPreset(server.presetId);
    if (!preset) continue;
    const models = server.models.length
      ? `${server.models.length} model${server.models.length === 1 ? '' : 's'}`
      : 'no model loaded';
    found.push({
      entry: { id: server.presetId, preset: server.presetId, name: preset.name, baseUrl: server.baseUrl },
      models: server.models,
      detail: `running at ${server.baseUrl} · ${models}`,
    });
  }
  for (const key of detectEnvKeys(process.env)) {
    const preset = findPreset(key.presetId);
    if (!preset) continue;
    found.push({
      entry: {
        id: key.presetId,
        preset: key.presetId,
        name: preset.name,
        apiKeyEnv: key.envVar,
        ...(key.baseUrl && { baseUrl: key.baseUrl }),
      },
      detail: `key in $${key.envVar}`,
    });
  }
  for (const entry of qwen.entries) {
    found.push({
      entry: {
        id: entry.id,
        preset: entry.preset,
        name: entry.name,
        baseUrl: entry.baseUrl,
        apiKeyEnv: entry.apiKeyEnv,
        chatModel: entry.chatModel,
      },
      detail: entry.discontinued
        ? 'Qwen Code login (free tier ended)'
        : `from your Qwen Code setup${entry.baseUrl ? ` · ${entry.baseUrl}` : ''}${keyPlace(entry.keySource)}`,
      keySource: entry.keySource,
      discontinued: entry.discontinued,
    });
  }
  for (const note of qwen.notes) log().info(`Qwen Code import: ${note}`);
  return found;
}

function keyPlace(source: KeySource | undefined): string {
  if (!source) return '';
  return source.kind === 'env-file' ? ` · key ${source.variable} in ${source.file}` : ` · key in ${source.file}`;
}

/**
 * Adds a detected backend to the user's settings. A key that Qwen Code kept in a file is copied
 * into secret storage only now, when the user picked it. Rejects as VS Code's settings write does.
 */
export async function adoptDetected(
  detected: DetectedBackend,
  keys: Pick<KeyStore, 'set' | 'delete'>,
): Promise<string> {
  const { config, current, entry } = adoption(detected);
  await config.update('providers', [...current, entry], vscode.ConfigurationTarget.Global);
  await keepImportedKey(detected, entry.id, keys);
  return entry.id;
}

/**
 * `adoptDetected` for a pick the user made: when VS Code refuses the settings write, says what was
 * not added and where to fix it, keeps no key, and resolves undefined.
 */
export async function adoptPicked(
  detected: DetectedBackend,
  keys: Pick<KeyStore, 'set' | 'delete'>,
): Promise<string | undefined> {
  const { config, current, entry } = adoption(detected);
  const write = () => config.update('providers', [...current, entry], vscode.ConfigurationTarget.Global);
  if (!(await savedOrSaid(`The addition of ${entry.name} (found on this machine)`, write))) return undefined;
  await keepImportedKey(detected, entry.id, keys);
  return entry.id;
}

function adoption(detected: DetectedBackend) {
  const config = vscode.workspace.getConfiguration('switchboard');
  const current = config.get<{ id?: unknown }[]>('providers') ?? [];
  const entry = adoptedEntry(detected.entry, new Set(current.map((configured) => configured.id)), detected.models);
  return { config, current, entry };
}

async function keepImportedKey(
  detected: DetectedBackend,
  id: string,
  keys: Pick<KeyStore, 'set' | 'delete'>,
): Promise<void> {
  const holder = { id, baseUrl: detected.entry.baseUrl ?? findPreset(detected.entry.preset)?.baseUrl ?? '' };
  const key = detected.keySource ? await readImportedKey(detected.keySource) : undefined;
  // Without a key of its own, a key a removed entry of the same id left behind is not its key.
  if (key) await keys.set(holder, key);
  else await keys.delete(id);
}
