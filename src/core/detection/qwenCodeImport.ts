/**
 * Turns an existing Qwen Code setup into Switchboard provider entries, resolving it the way Qwen
 * Code does (QwenLM/qwen-code: packages/cli/src/config/settings.ts `findEnvFile`/`loadEnvironment`,
 * packages/core/src/models/modelConfigResolver.ts and constants.ts, docs/users/configuration/auth.md):
 *
 * - `~/.qwen/settings.json` (JSON with comments): `security.auth.selectedType`, `model.name`,
 *   `modelProviders` (auth type → `[{ id, name?, envKey?, baseUrl? }]`), `env`,
 *   `security.auth.apiKey|baseUrl`; v1 files used top-level `selectedAuthType` and `model`.
 * - ONE `.env` file: `~/.qwen/.env`, else `~/.env`. Qwen Code itself first walks up from its
 *   working folder, but Switchboard never reads a workspace's `.qwen/` or `.env`, nor any folder
 *   above it: a cloned repository must not choose the server a key from elsewhere is sent to.
 *   Qwen Code does not merge variables across files.
 * - Precedence per variable: process environment, then that `.env`, then settings.json `env`.
 * - For a model: the `modelProviders` entry whose id is `model.name`, then OPENAI_* variables
 *   (model also QWEN_MODEL), then `security.auth.*` / `model.name`.
 *
 * Secrets are never copied into the result: an entry says where its key lives instead.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isLoopbackUrl } from '../net/loopback';
import { findPreset } from '../providers/presets';
import { QWEN_OAUTH_DISCONTINUED } from '../providers/qwenOAuth';
import { redactSecrets } from '../providers/redact';
import { cleanBaseUrl, presetForBaseUrl } from './envKeys';
import { isRecord } from '../jsonValue';
import { readSmallFile } from '../fsPaths/smallFile';
import { MAX_DOTENV_CHARS, parseDotenv } from './dotenv';
import { MAX_JSONC_CHARS, parseJsonWithComments } from './jsonc';

/** Where an imported key can be read from, with the user's consent, to store it in SecretStorage. */
export type KeySource =
  | { kind: 'env-file'; file: string; variable: string }
  /** `path` is a dotted path inside settings.json, e.g. `env.DASHSCOPE_API_KEY` or `security.auth.apiKey`. */
  | { kind: 'settings-file'; file: string; path: string };

/** A `switchboard.providers` entry, plus where its key lives and whether the backend still works. */
export interface ImportedEntry {
  id: string;
  preset: string;
  name: string;
  chatModel?: string;
  baseUrl?: string;
  /** Set when the key is in the process environment under this name. */
  apiKeyEnv?: string;
  keySource?: KeySource;
  /** Why this backend no longer serves requests, and what to use instead. */
  discontinued?: string;
}

export interface QwenCodeImport {
  found: boolean;
  entries: ImportedEntry[];
  notes: string[];
}

export interface QwenCodeImportOptions {
  /** The user's home folder: the only place Qwen Code's files are read from. */
  home: string;
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  now?: number;
}

/** The variables that hold keys for where Qwen Code sent its users (QwenLM/qwen-code PR #3210). */
const MOVED_TO_KEYS: readonly { envVar: string; presetId: string }[] = [
  { envVar: 'BAILIAN_CODING_PLAN_API_KEY', presetId: 'coding-plan-intl' },
  { envVar: 'DASHSCOPE_API_KEY', presetId: 'dashscope-intl' },
  { envVar: 'OPENROUTER_API_KEY', presetId: 'openrouter' },
];
/** Alibaba's Coding Plan keys look like this; they do not work on Model Studio's pay-as-you-go hosts. */
const CODING_PLAN_KEY_PREFIX = 'sk-sp-';

type AuthType = 'openai' | 'anthropic' | 'gemini';

/** Qwen Code's AUTH_ENV_MAPPINGS for the auth types Switchboard can serve. */
const AUTH_ENV: Record<AuthType, { apiKey: string; baseUrl?: string; model: string[] }> = {
  openai: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL', model: ['OPENAI_MODEL', 'QWEN_MODEL'] },
  anthropic: { apiKey: 'ANTHROPIC_API_KEY', baseUrl: 'ANTHROPIC_BASE_URL', model: ['ANTHROPIC_MODEL'] },
  gemini: { apiKey: 'GEMINI_API_KEY', model: ['GEMINI_MODEL'] },
};

interface ModelProvider {
  id: string;
  name?: string;
  envKey?: string;
  baseUrl?: string;
}

type Lookup =
  | { value: string; source: 'process' }
  | { value: string; source: 'env-file'; file: string }
  | { value: string; source: 'settings'; path: string };

export async function importQwenCode(options: QwenCodeImportOptions): Promise<QwenCodeImport> {
  const processEnv = options.env ?? process.env;
  const now = options.now ?? Date.now();
  const qwenDir = join(options.home, '.qwen');
  const notes: string[] = [];
  const secrets: string[] = [];
  if (!(await isDir(qwenDir))) {
    return { found: false, entries: [], notes };
  }

  const settingsFile = join(qwenDir, 'settings.json');
  const settingsText = await readText(settingsFile, MAX_JSONC_CHARS, notes);
  let settings: Record<string, unknown> = {};
  if (settingsText !== undefined) {
    const parsed = parseJsonWithComments(settingsText);
    if (!parsed.ok) notes.push(`${settingsFile} is not valid JSON${parsed.where}; Switchboard skipped it.`);
    else if (!isRecord(parsed.value))
      notes.push(`${settingsFile} does not hold a JSON object; Switchboard skipped it.`);
    else settings = parsed.value;
  }

  const envFile = await firstFile([join(qwenDir, '.env'), join(options.home, '.env')]);
  const fileEnv = envFile ? parseDotenv((await readText(envFile, MAX_DOTENV_CHARS, notes)) ?? '') : {};
  const settingsEnv = isRecord(settings.env) ? settings.env : {};
  for (const value of [...Object.values(fileEnv), ...Object.values(settingsEnv)])
    if (typeof value === 'string') secrets.push(value);
  const lookup = (variable: string | undefined): Lookup | undefined => {
    if (!variable) return undefined;
    const fromProcess = processEnv[variable];
    if (fromProcess?.trim()) return { value: fromProcess, source: 'process' };
    const fromFile = fileEnv[variable];
    if (fromFile?.trim() && envFile) return { value: fromFile, source: 'env-file', file: envFile };
    const fromSettings = settingsEnv[variable];
    if (typeof fromSettings === 'string' && fromSettings.trim())
      return { value: fromSettings, source: 'settings', path: `env.${variable}` };
    return undefined;
  };
  // Qwen Code resolves $VAR and ${VAR} inside settings values.
  const expand = (value: unknown): string | undefined => {
    if (typeof value !== 'string' || !value.trim()) return undefined;
    return value
      .replace(
        /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
        (whole, a?: string, b?: string) => lookup(a ?? b)?.value ?? whole,
      )
      .trim();
  };

  const auth = pick(settings, 'security', 'auth');
  const selectedType = expand(pick(auth, 'selectedType') ?? settings.selectedAuthType);
  const modelName = expand(typeof settings.model === 'string' ? settings.model : pick(settings, 'model', 'name'));
  const authKey = expand(pick(auth, 'apiKey'));
  if (authKey) secrets.push(authKey);

  const entries: ImportedEntry[] = [];
  const ids = new Set<string>();
  const sameBackend = (a: Omit<ImportedEntry, 'id'>, b: Omit<ImportedEntry, 'id'>) =>
    a.preset === b.preset && a.baseUrl === b.baseUrl && a.chatModel === b.chatModel;
  const addEntry = (entry: Omit<ImportedEntry, 'id'>): boolean => {
    if (entries.some((existing) => sameBackend(existing, entry))) return false;
    let id = `qwen-code-${entry.preset}`;
    for (let n = 2; ids.has(id); n++) id = `qwen-code-${entry.preset}-${n}`;
    ids.add(id);
    entries.push({ id, ...entry });
    return true;
  };

  // --- Qwen OAuth ---
  const credsFile = join(qwenDir, 'oauth_creds.json');
  const credsText = await readText(credsFile, MAX_JSONC_CHARS, notes);
  let hasCreds = false;
  if (credsText !== undefined) {
    const parsed = parseJsonWithComments(credsText);
    if (!parsed.ok || !isRecord(parsed.value)) {
      notes.push(
        `${credsFile} is not valid JSON${parsed.ok ? '' : parsed.where}; the Qwen OAuth login in it cannot be read.`,
      );
    } else {
      hasCreds = true;
      for (const field of ['access_token', 'refresh_token', 'id_token']) {
        const token = parsed.value[field];
        if (typeof token === 'string') secrets.push(token);
      }
      const expiry = parsed.value.expiry_date;
      if (typeof expiry === 'number' && expiry < now) {
        notes.push(`The Qwen OAuth login in ${credsFile} expired on ${new Date(expiry).toISOString().slice(0, 10)}.`);
      }
    }
  }
  if (hasCreds || selectedType === 'qwen-oauth') {
    if (!hasCreds && credsText === undefined)
      notes.push(`Qwen Code is set to Qwen OAuth but ${credsFile} does not exist.`);
    addEntry({ preset: 'qwen-oauth', name: 'Qwen OAuth (from Qwen Code)', discontinued: QWEN_OAUTH_DISCONTINUED });
    notes.push(`Qwen Code used the Qwen OAuth login. ${QWEN_OAUTH_DISCONTINUED}`);
  }

  // --- API-key backends ---
  const providers = modelProviders(settings.modelProviders, expand);
  const resolveApi = (authType: AuthType, provider: ModelProvider | undefined): void => {
    const envMap = AUTH_ENV[authType];
    const model = provider?.id ?? envMap.model.map((v) => lookup(v)?.value.trim()).find(Boolean) ?? modelName;
    const keyVariable = [provider?.envKey, envMap.apiKey].find((variable) => lookup(variable) !== undefined);
    const key = lookup(keyVariable);
    const rawBaseUrl = provider?.baseUrl ?? lookup(envMap.baseUrl)?.value ?? expand(pick(auth, 'baseUrl'));
    const baseUrl = rawBaseUrl ? cleanBaseUrl(rawBaseUrl) : undefined;
    if (rawBaseUrl && !baseUrl) {
      notes.push(
        `Skipped a Qwen Code ${authType} model${model ? ` (${model})` : ''}: its base URL is not an http(s) URL.`,
      );
      return;
    }
    const preset = presetFor(authType, baseUrl);
    if (!preset) {
      notes.push(
        `Skipped the Qwen Code ${authType} model at ${baseUrl}: Switchboard speaks the ${authType} protocol only to its official endpoint; add the server as a custom OpenAI-compatible one if it offers that.`,
      );
      return;
    }
    const entry: Omit<ImportedEntry, 'id'> = {
      preset,
      name: `${provider?.name ?? findPreset(preset)?.name ?? (baseUrl ? new URL(baseUrl).host : preset)} (from Qwen Code)`,
    };
    if (model) entry.chatModel = model;
    if (preset === 'custom') entry.baseUrl = baseUrl;
    if (keyVariable && key?.source === 'process') entry.apiKeyEnv = keyVariable;
    else if (keyVariable && key?.source === 'env-file')
      entry.keySource = { kind: 'env-file', file: key.file, variable: keyVariable };
    else if (key?.source === 'settings')
      entry.keySource = { kind: 'settings-file', file: settingsFile, path: key.path };
    else if (authKey) entry.keySource = { kind: 'settings-file', file: settingsFile, path: 'security.auth.apiKey' };
    if (addEntry(entry) && !entry.apiKeyEnv && !entry.keySource && !isLocal(preset, baseUrl)) {
      notes.push(`No API key found for ${entry.name}; set one with "Switchboard: Set API Key".`);
    }
  };

  const activeType = isApiAuthType(selectedType) ? selectedType : undefined;
  if (activeType) {
    resolveApi(
      activeType,
      providers[activeType]?.find((p) => p.id === modelName),
    );
  } else if (
    selectedType === undefined &&
    (fromQwenConfig(lookup('OPENAI_API_KEY')) || fromQwenConfig(lookup('OPENAI_BASE_URL')))
  ) {
    // No auth type chosen (e.g. an old setup that only wrote a .env): OPENAI_* in Qwen Code's own
    // files can only mean OpenAI-compatible mode. A key in the process environment alone is not
    // a Qwen Code setup; detectEnvKeys covers that.
    resolveApi('openai', undefined);
  } else if (selectedType && selectedType !== 'qwen-oauth') {
    notes.push(`Qwen Code is set to "${selectedType}" authentication, which Switchboard cannot import.`);
  }
  for (const authType of Object.keys(AUTH_ENV) as AuthType[]) {
    for (const provider of providers[authType] ?? []) resolveApi(authType, provider);
  }

  // Keys Qwen Code's own files hold for the backends its users moved to, e.g. a DASHSCOPE_API_KEY
  // kept in settings.json `env` beside the OAuth login: offered like a key in the environment (which
  // detectEnvKeys covers), and read only when the user picks it. Each goes to its vendor's host only.
  for (const { envVar, presetId } of MOVED_TO_KEYS) {
    const key = lookup(envVar);
    if (!key || key.source === 'process') continue;
    const preset =
      envVar === 'DASHSCOPE_API_KEY' && key.value.trim().startsWith(CODING_PLAN_KEY_PREFIX)
        ? 'coding-plan-intl'
        : presetId;
    // A key an entry already uses has its region (and host) from that entry.
    const used = entries.some(
      ({ keySource: source }) =>
        (source?.kind === 'env-file' && source.variable === envVar) ||
        (source?.kind === 'settings-file' && source.path === `env.${envVar}`),
    );
    if (used || entries.some((entry) => entry.preset === preset)) continue;
    addEntry({
      preset,
      name: `${findPreset(preset)?.name ?? preset} (from Qwen Code)`,
      keySource:
        key.source === 'env-file'
          ? { kind: 'env-file', file: key.file, variable: envVar }
          : { kind: 'settings-file', file: settingsFile, path: key.path },
    });
  }

  const qwenEnvFile = envFile !== undefined && basename(dirname(envFile)) === '.qwen';
  const found = entries.length > 0 || settingsText !== undefined || credsText !== undefined || qwenEnvFile;
  return { found, entries, notes: [...new Set(notes)].map((note) => redactSecrets(note, secrets)) };
}

/** Reads the key an entry's `keySource` points at; undefined when it is no longer there. Never throws. */
export async function readImportedKey(source: KeySource): Promise<string | undefined> {
  const text = await readText(source.file, source.kind === 'env-file' ? MAX_DOTENV_CHARS : MAX_JSONC_CHARS);
  if (text === undefined) return undefined;
  if (source.kind === 'env-file') return parseDotenv(text)[source.variable]?.trim() || undefined;
  const parsed = parseJsonWithComments(text);
  if (!parsed.ok) return undefined;
  let value: unknown = parsed.value;
  for (const part of source.path.split('.')) value = isRecord(value) ? value[part] : undefined;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function modelProviders(
  raw: unknown,
  expand: (value: unknown) => string | undefined,
): Partial<Record<AuthType, ModelProvider[]>> {
  const out: Partial<Record<AuthType, ModelProvider[]>> = {};
  if (!isRecord(raw)) return out;
  for (const authType of Object.keys(AUTH_ENV) as AuthType[]) {
    const value = raw[authType];
    // Early previews wrapped the list as { protocol, models }; current files hold the bare array.
    const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.models) ? value.models : [];
    out[authType] = list.flatMap((item): ModelProvider[] => {
      const id = isRecord(item) ? expand(item.id) : undefined;
      if (!isRecord(item) || !id) return [];
      return [{ id, name: expand(item.name), envKey: expand(item.envKey), baseUrl: expand(item.baseUrl) }];
    });
  }
  return out;
}

function presetFor(authType: AuthType, baseUrl: string | undefined): string | undefined {
  const host = baseUrl ? new URL(baseUrl).host : undefined;
  if (authType === 'openai') return baseUrl ? presetForBaseUrl(baseUrl) : 'openai';
  if (authType === 'anthropic') return !host || host === 'api.anthropic.com' ? 'anthropic' : undefined;
  return !host || host === 'generativelanguage.googleapis.com' ? 'gemini' : undefined;
}

function isLocal(preset: string, baseUrl: string | undefined): boolean {
  return isLoopbackUrl(baseUrl ?? findPreset(preset)?.baseUrl);
}

function isApiAuthType(value: string | undefined): value is AuthType {
  return value === 'openai' || value === 'anthropic' || value === 'gemini';
}

function fromQwenConfig(found: Lookup | undefined): boolean {
  return found !== undefined && found.source !== 'process';
}

function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const part of path) current = isRecord(current) ? current[part] : undefined;
  return current;
}

/** A regular file's text, or undefined when it is missing, not a file, or larger than `maxChars` bytes (noted). */
async function readText(file: string, maxChars: number, notes?: string[]): Promise<string | undefined> {
  const read = await readSmallFile(file, maxChars);
  if (read.kind === 'too-large')
    notes?.push(`${file} is larger than ${Math.round(maxChars / 1000)} kB; Switchboard did not read it.`);
  return read.kind === 'text' ? read.text : undefined;
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function firstFile(candidates: string[]): Promise<string | undefined> {
  for (const file of candidates) {
    if (
      await stat(file).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return file;
  }
  return undefined;
}
