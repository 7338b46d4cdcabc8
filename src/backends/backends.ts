import { configuredAlready } from '../core/detection/configuredAlready';
import { withLocalPatience } from '../core/providers/localPatience';
import * as vscode from 'vscode';
import type { RateLimitSnapshot } from '../core/providers/rateLimitHeaders';
import type { Provider, ProviderHooks } from '../core/providers/types';
import type { DetectedBackend } from './detection';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { loadProviderRuntime } from './lazyRuntime';
import { originOf, type KeyLookup, type KeyStore } from './keyStore';
import { readSettings, SECTION, SettingsProblemReporter, type Settings } from './settings';
import { VsCodeLmProvider } from '../chat/vscodeChat/vscodeLmProvider';
import { guardedProvider } from '../core/providers/guardedProvider';
import { askPlainHttpKey } from './plainHttpConsent';
import { failedTest, failedTestsToStore, storedFailedTests, type FailedTest } from '../core/settings/failedTests';

/** Where failed connection tests are kept: global state, so a reload and every window see them. */
export const FAILED_TESTS_KEY = 'switchboard.failedConnectionTests';

export type Feature = 'chat' | 'completion';

/** A switch VS Code would not write: nothing moved. */
export interface RefusedSwitch {
  providerId: string;
  features: Feature[];
}

export interface KeptKey {
  providerId: string;
  message: string;
}

/**
 * Knows which backend serves which feature and hands out ready clients. Settings are re-read
 * when they change; clients are rebuilt only when their configuration or key changes.
 */
export class Backends implements vscode.Disposable {
  private settings: Settings;
  private readonly clients = new Map<string, { fingerprint: string; provider: Provider }>();
  private detectedBackends: DetectedBackend[] = [];
  /** Kept keys already told of (see sayKeyKept). */
  private readonly keptSaid = new Set<string>();
  /** Backends whose key was kept from where they point (see sayKeyKept), as of their last request. */
  private readonly withheld = new Set<string>();
  /** The latest rate-limit headers each backend sent, for the usage meter. */
  readonly rateLimits = new Map<string, RateLimitSnapshot>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;
  private readonly keyKept = new vscode.EventEmitter<KeptKey>();
  /** A key was not sent, and the user was told (see sayKeyKept). */
  readonly onDidKeepKey = this.keyKept.event;
  /**
   * Backends whose last connection test failed (added with "Add Anyway", or a key saved that the
   * server refused), with what the test said, until one of their requests is served, a test passes
   * or the entry points elsewhere. Kept in `state` when there is one, so a reload still says so.
   */
  private failedTests: Map<string, FailedTest>;
  private readonly switchRefused = new vscode.EventEmitter<RefusedSwitch>();
  /**
   * A switch whose settings write VS Code refused before any role moved: whoever counted it as
   * begun (the fallback budget) takes it back. The caller of `choose` says what went wrong.
   */
  readonly onDidRefuseSwitch = this.switchRefused.event;
  private readonly testsChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeTests = this.testsChanged.event;

  constructor(
    private readonly keys: KeyStore,
    private readonly problems = new SettingsProblemReporter(),
    private readonly state?: vscode.Memento,
  ) {
    this.settings = readSettings();
    this.problems.report(this.settings.problems);
    this.failedTests = storedFailedTests(state?.get(FAILED_TESTS_KEY), this.settings.providers);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(SECTION)) return;
        this.settings = readSettings();
        this.problems.report(this.settings.problems);
        this.forgetMovedTests();
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
    const found = await this.keys.lookup(config);
    if (found.key === undefined && (found.storedFor || found.envKept)) {
      this.withheld.add(config.id);
      this.sayKeyKept(config, found);
    } else this.withheld.delete(config.id);
    const key = found.key;
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

  /**
   * Whether the backend's last request went without the key it has, kept from the server it now
   * points at: the user was told why, so the server's refusal needs no second notification.
   */
  keyWithheld(providerId: string): boolean {
    return this.withheld.has(providerId);
  }

  /** Whether a backend has what it needs to answer without asking the user: a key, where it takes one. */
  async isReady(config: ProviderConfig): Promise<boolean> {
    return !config.preset.requiresKey || (await this.keys.has(config));
  }

  /**
   * Says, once per backend and server, why a key was not sent: the stored one was set for another
   * server (the entry's URL changed since), or the preset's variable is the vendor's and the entry
   * points elsewhere. The user decides; until then requests go without it.
   */
  private sayKeyKept(config: ProviderConfig, found: KeyLookup): void {
    const origin = originOf(config.baseUrl);
    if (found.storedFor) {
      const event = `${config.id}\u0000${found.storedFor}\u0000${origin}`;
      if (this.keptSaid.has(event)) return;
      this.keptSaid.add(event);
      const send = `Send It to ${hostOf(config.baseUrl)}`;
      const message = `Switchboard: the key stored for ${config.name} was set for ${found.storedFor}, and ${config.name} now points at ${origin}. The key was not sent there.`;
      this.keyKept.fire({ providerId: config.id, message });
      void vscode.window.showWarningMessage(message, send, 'Set New Key').then(async (choice) => {
        // Only to where it points still: the URL may have changed again meanwhile.
        const now = this.settings.providers.find((provider) => provider.id === config.id);
        if (choice === send && now && originOf(now.baseUrl) === origin) await this.keys.rebind(now);
        else if (choice === 'Set New Key') await vscode.commands.executeCommand('switchboard.setApiKey', config.id);
      });
    } else if (found.envKept && config.preset.requiresKey) {
      const event = `${config.id}\u0000env\u0000${origin}`;
      if (this.keptSaid.has(event)) return;
      this.keptSaid.add(event);
      const message = `Switchboard: ${config.name} has no key. $${found.envKept} is sent only to ${hostOf(config.preset.baseUrl)} and the vendor's other hosts, and ${config.name} points at ${hostOf(config.baseUrl)}. Set a key for it, or add "apiKeyEnv": "${found.envKept}" to its entry to send the variable there.`;
      this.keyKept.fire({ providerId: config.id, message });
      void vscode.window.showWarningMessage(message, 'Set Key').then(async (choice) => {
        if (choice === 'Set Key') await vscode.commands.executeCommand('switchboard.setApiKey', config.id);
      });
    }
  }

  /** What the backend's last connection test said, while it failed and nothing since was served. */
  failedTest(providerId: string): string | undefined {
    return this.failedTests.get(providerId)?.detail;
  }

  /**
   * Records a connection test of `provider` as it points now: a failure stays on show (status
   * bar, pickers, after a reload too) until fixed; `undefined` clears it.
   */
  noteTest(provider: { id: string; baseUrl: string }, failure: string | undefined): void {
    if (failure === undefined && !this.failedTests.has(provider.id)) return;
    if (failure === undefined) this.failedTests.delete(provider.id);
    else this.failedTests.set(provider.id, failedTest(failure, Date.now(), provider.baseUrl));
    this.testsChanged.fire();
    this.saveTests();
  }

  /** A request of the backend was served at `time` (in any window): a test failed before it is old news. */
  noteServed(providerId: string, time: number): void {
    const failed = this.failedTests.get(providerId);
    if (failed && time >= failed.at) this.noteTest({ id: providerId, baseUrl: failed.baseUrl }, undefined);
  }

  /** Drops the failures of backends removed or pointed at another server since their test. */
  private forgetMovedTests(): void {
    const kept = storedFailedTests(failedTestsToStore(this.failedTests), this.settings.providers);
    if (kept.size === this.failedTests.size) return;
    this.failedTests = kept;
    this.testsChanged.fire();
    this.saveTests();
  }

  private saveTests(): void {
    // Best effort: a failure not kept only goes unsaid after a reload.
    void Promise.resolve(this.state?.update(FAILED_TESTS_KEY, failedTestsToStore(this.failedTests))).catch(
      () => undefined,
    );
  }

  /** Backends found on this machine that are not configured yet. */
  detected(): DetectedBackend[] {
    const configured = this.settings.providers.map((provider) => ({
      presetId: provider.preset.id,
      baseUrl: provider.baseUrl,
    }));
    return this.detectedBackends.filter((candidate) => !configuredAlready(candidate.entry, configured));
  }

  setDetected(found: DetectedBackend[]): void {
    this.detectedBackends = found;
    this.changed.fire();
  }

  /** Writes `providerId` as the backend of `features`; rejects as VS Code's write does. */
  async choose(providerId: string, features: readonly Feature[]): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    let written = 0;
    try {
      for (const feature of features) {
        await config.update(`${feature}.provider`, providerId, vscode.ConfigurationTarget.Global);
        written++;
      }
    } catch (error) {
      if (written === 0) this.switchRefused.fire({ providerId, features: [...features] });
      throw error;
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.keyKept.dispose();
    this.testsChanged.dispose();
    this.switchRefused.dispose();
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
  const client = loadProviderRuntime().createProvider(config, apiKey, { hooks });
  // A local server loads the model on its first request: more time to start than a hosted API.
  return guardedProvider(withLocalPatience(client, config.preset.local === true));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
