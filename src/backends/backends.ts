import * as vscode from 'vscode';
import type { RateLimitSnapshot } from '../core/providers/rateLimitHeaders';
import type { Provider, ProviderHooks } from '../core/providers/types';
import type { DetectedBackend } from './detection';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { loadProviderRuntime } from './lazyRuntime';
import type { KeyStore } from './keyStore';
import { readSettings, SECTION, SettingsProblemReporter, type Settings } from './settings';
import { VsCodeLmProvider } from '../chat/vscodeChat/vscodeLmProvider';
import { guardedProvider } from '../core/providers/guardedProvider';
import { askPlainHttpKey } from './plainHttpConsent';

export type Feature = 'chat' | 'completion';

/**
 * Knows which backend serves which feature and hands out ready clients. Settings are re-read
 * when they change; clients are rebuilt only when their configuration or key changes.
 */
export class Backends implements vscode.Disposable {
  private settings: Settings;
  private readonly clients = new Map<string, { fingerprint: string; provider: Provider }>();
  private detectedBackends: DetectedBackend[] = [];
  /** The latest rate-limit headers each backend sent, for the usage meter. */
  readonly rateLimits = new Map<string, RateLimitSnapshot>();
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
    return config && this.providerForConfig(config);
  }

  /** A client for one configured backend, built once per configuration and key. */
  async providerForConfig(config: ProviderConfig): Promise<Provider> {
    const key = await this.keys.get(config.id, config.apiKeyEnv);
    // Key changes clear the cache (see the constructor), so the fingerprint needs no key material.
    const fingerprint = JSON.stringify([config, key !== undefined]);
    const cached = this.clients.get(config.id);
    if (cached?.fingerprint === fingerprint) return cached.provider;
    const provider = createClient(config, key, {
      onRateLimit: (providerId, snapshot) => this.rateLimits.set(providerId, snapshot),
    });
    this.clients.set(config.id, { fingerprint, provider });
    return provider;
  }

  /** Whether a backend has what it needs to answer without asking the user: a key, where it takes one. */
  async isReady(config: ProviderConfig): Promise<boolean> {
    return !config.preset.requiresKey || (await this.keys.has(config.id, config.apiKeyEnv));
  }

  /** Backends found on this machine that are not configured yet. */
  detected(): DetectedBackend[] {
    const configured = this.settings.providers;
    return this.detectedBackends.filter(
      (candidate) =>
        !configured.some(
          (provider) =>
            provider.preset.id === candidate.entry.preset &&
            (candidate.entry.baseUrl === undefined || sameServer(provider.baseUrl, candidate.entry.baseUrl)),
        ),
    );
  }

  setDetected(found: DetectedBackend[]): void {
    this.detectedBackends = found;
    this.changed.fire();
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

/**
 * A new client for a backend. VS Code's own language models are reached through the editor, so
 * that client lives here rather than in the provider runtime, which must not load `vscode`.
 */
export function createClient(config: ProviderConfig, apiKey: string | undefined, hooks: ProviderHooks = {}): Provider {
  hooks = { ...hooks, confirmPlainHttpKey: (origin) => askPlainHttpKey(origin, config.name) };
  // Whatever the client, what a server names (models, reasons) reaches the UI inert and bounded.
  if (config.preset.protocol === 'vscode-lm') return guardedProvider(new VsCodeLmProvider(config));
  return guardedProvider(loadProviderRuntime().createProvider(config, apiKey, { hooks }));
}

function sameServer(a: string, b: string): boolean {
  const root = (url: string) => url.replace(/\/+$/, '').replace(/\/v1$/, '');
  return root(a) === root(b);
}
