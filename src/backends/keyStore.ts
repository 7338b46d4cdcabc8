import type * as vscode from 'vscode';
import { rememberSecret } from '../core/providers/redact';

/**
 * API keys live in VS Code's SecretStorage. An environment variable named by the provider is a
 * read-only fallback, so a key exported in the shell works without being copied anywhere.
 */
export class KeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(providerId: string, envName?: string): Promise<string | undefined> {
    const stored = await this.secrets.get(secretName(providerId));
    const fromEnv = envName ? this.env[envName] : undefined;
    const key = stored || (fromEnv && fromEnv.trim() ? fromEnv.trim() : undefined);
    // Whatever its shape, a loaded key is redacted from the log from now on.
    rememberSecret(key);
    return key;
  }

  async has(providerId: string, envName?: string): Promise<boolean> {
    return (await this.get(providerId, envName)) !== undefined;
  }

  set(providerId: string, key: string): Thenable<void> {
    rememberSecret(key);
    return this.secrets.store(secretName(providerId), key);
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
