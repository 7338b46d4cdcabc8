import type * as vscode from 'vscode';
import type { Preset } from '../core/providers/presets';
import { rememberSecret } from '../core/providers/redact';

/** Where a key goes: a backend's id and base URL. */
export interface KeyHolder {
  id: string;
  baseUrl: string;
}

/** A configured backend, as the key store needs it (a ProviderConfig is one). */
export interface KeyOwner extends KeyHolder {
  apiKeyEnv?: string;
  preset: Pick<Preset, 'apiKeyEnv'>;
}

export interface KeyLookup {
  /** The key to send, when there is one for this backend where it points now. */
  key?: string;
  /** A key is stored for this backend, but for this other server (its entry's URL changed since). */
  storedFor?: string;
  /** The preset's variable is set in the environment but kept for the vendor's own hosts. */
  envKept?: string;
}

/**
 * API keys live in VS Code's SecretStorage, each with the server it was set for: a key goes where
 * the user gave it, and only there. A backend whose URL changed since (edited by hand, synced from
 * another machine, or a new entry that took the id of a removed one) does not get the old key; the
 * user is asked. An environment variable named by the backend is a read-only fallback, so a key
 * exported in the shell works without being copied anywhere.
 */
export class KeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async lookup(owner: KeyOwner): Promise<KeyLookup> {
    const found: KeyLookup = {};
    const stored = readStored(await this.secrets.get(secretName(owner.id)));
    if (stored) {
      // Whatever its shape, a loaded key is redacted from the log from now on.
      rememberSecret(stored.key);
      const origin = originOf(owner.baseUrl);
      if (stored.origin === undefined) {
        // Stored before keys knew their server: it belongs where the backend points now.
        found.key = stored.key;
        await this.secrets.store(secretName(owner.id), writeStored(stored.key, origin));
      } else if (stored.origin === origin) found.key = stored.key;
      else found.storedFor = stored.origin;
    }
    if (found.key === undefined && owner.apiKeyEnv) {
      const fromEnv = this.env[owner.apiKeyEnv]?.trim();
      if (fromEnv) {
        rememberSecret(fromEnv);
        found.key = fromEnv;
      }
    }
    const presetVariable = owner.preset.apiKeyEnv;
    if (found.key === undefined && presetVariable && !owner.apiKeyEnv && this.env[presetVariable]?.trim())
      found.envKept = presetVariable;
    return found;
  }

  async get(owner: KeyOwner): Promise<string | undefined> {
    return (await this.lookup(owner)).key;
  }

  async has(owner: KeyOwner): Promise<boolean> {
    return (await this.get(owner)) !== undefined;
  }

  set(holder: KeyHolder, key: string): Thenable<void> {
    rememberSecret(key);
    return this.secrets.store(secretName(holder.id), writeStored(key, originOf(holder.baseUrl)));
  }

  /** The stored key, from now on for the server the backend points at (the user said so). */
  async rebind(holder: KeyHolder): Promise<void> {
    const stored = readStored(await this.secrets.get(secretName(holder.id)));
    if (stored) await this.set(holder, stored.key);
  }

  /** Whether secret storage holds a key under this backend's id, whichever server it was set for. */
  async stored(providerId: string): Promise<boolean> {
    return (await this.secrets.get(secretName(providerId))) !== undefined;
  }

  delete(providerId: string): Thenable<void> {
    return this.secrets.delete(secretName(providerId));
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key.startsWith(PREFIX)) listener();
    });
  }
}

const PREFIX = 'switchboard.apiKey.';
const secretName = (providerId: string) => `${PREFIX}${providerId}`;

/** The scheme, host and port a key is bound to; the URL itself when it does not parse. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** `{"key", "origin"}`; a bare string is a key stored before keys knew their server. */
function readStored(raw: string | undefined): { key: string; origin?: string } | undefined {
  if (!raw) return undefined;
  if (raw.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw) as { key?: unknown; origin?: unknown };
      if (typeof parsed.key === 'string' && parsed.key && typeof parsed.origin === 'string')
        return { key: parsed.key, origin: parsed.origin };
    } catch {
      // Not ours: read as a bare key below.
    }
  }
  return { key: raw };
}

function writeStored(key: string, origin: string): string {
  return JSON.stringify({ key, origin });
}
