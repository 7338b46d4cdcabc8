import * as vscode from 'vscode';
import type { Provider } from './core/providers/types';
import type { ProviderConfig } from './core/settings/providerSettings';
import { loadProviderRuntime } from './lazyRuntime';
import type { KeyStore } from './secrets';
import { readSettings, SECTION, SettingsProblemReporter, type Settings } from './settings';

export type Feature = 'chat' | 'completion';

/**
 * Knows which backend serves which feature and hands out ready clients. Settings are re-read
 * when they change; clients are rebuilt only when their configuration or key changes.
 */
export class Backends implements vscode.Disposable {
  private settings: Settings;
  private readonly clients = new Map<string, { fingerprint: string; provider: Provider }>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly keys: KeyStore,
    private readonly problems = new SettingsProblemReporter(),
  ) {
    this.settings = readSettings();
    this.problems.report(this.settings.problems);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(SECTION)) return;
        this.settings = readSettings();
        this.problems.report(this.settings.problems);
        this.changed.fire();
      }),
      keys.onDidChange(() => {
        this.clients.clear();
        this.changed.fire();
      }),
    );
  }

  current(): Settings {
    return this.settings;
  }

  configFor(feature: Feature): ProviderConfig | undefined {
    const id = feature === 'chat' ? this.settings.chatProviderId : this.settings.completionProviderId;
    return this.settings.providers.find((provider) => provider.id === id);
  }

  /** A client for the backend serving `feature`, or undefined when none is configured. */
  async providerFor(feature: Feature): Promise<Provider | undefined> {
    const config = this.configFor(feature);
    if (!config) return undefined;
    const key = await this.keys.get(config.id, config.apiKeyEnv);
    // Key changes clear the cache (see the constructor), so the fingerprint needs no key material.
    const fingerprint = JSON.stringify([config, key !== undefined]);
    const cached = this.clients.get(config.id);
    if (cached?.fingerprint === fingerprint) return cached.provider;
    const provider = loadProviderRuntime().createProvider(config, key);
    this.clients.set(config.id, { fingerprint, provider });
    return provider;
  }

  async choose(providerId: string, features: readonly Feature[]): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    for (const feature of features) {
      await config.update(`${feature}.provider`, providerId, vscode.ConfigurationTarget.Global);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
