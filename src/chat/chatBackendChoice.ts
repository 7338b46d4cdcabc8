import { isLoopbackUrl } from '../core/net/loopback';
import { nameWithHost } from '../core/net/serverLabel';
import type { Backends } from '../backends/backends';
import type { Alternative } from '../core/chat/turnViews';
import { perMTokText } from '../core/chat/usageText';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { backendPerMTok, needsPrice, type PerMTokLookup } from '../core/usage/backendPrice';
import type { PerMTok } from '../core/usage/pricing';
import { rankAlternatives, type Candidate } from '../core/usage/switchAdvice';
import { loadProviderRuntime } from '../backends/lazyRuntime';
import type { LimitMonitor } from '../usage/limitMonitor';
import type { BackendOption } from '../protocol/chatProtocol';
import type { KeyStore } from '../backends/keyStore';

const lookup: PerMTokLookup = (presetId, model, local, baseUrl) =>
  loadProviderRuntime().pricePerMTok(presetId, model, local, baseUrl);

/** How long a settings write may take to reach `Backends` before the switch is reported as not taken. */
const SWITCH_WAIT_MS = 3_000;

/**
 * The chat's side of choosing a backend: the header picker's entries with their prices, the
 * alternatives offered when a backend fails (ranked as the usage meter ranks them), and the
 * switch itself, which writes `switchboard.chat.provider` globally.
 */
export class ChatBackendChoice {
  constructor(
    private readonly backends: Backends,
    private readonly keys: KeyStore,
    private readonly limits: LimitMonitor | undefined,
  ) {}

  /**
   * The picker's entries. Prices come from the lazily loaded runtime; with `withPrices` false the
   * runtime is not loaded and prices read "…", so opening the view does not pay for the SDKs.
   */
  async options(withPrices: boolean): Promise<{ options: BackendOption[]; selectedId?: string }> {
    const providers = this.backends.current().providers;
    const options = await Promise.all(
      providers.map(async (config) => {
        const ready = await this.ready(config);
        // Plan, free and paid backends read differently: "included in plan", "free", "$0.40 / $1.60 per 1M".
        const price = config.plan ? 'included in plan' : withPrices ? perMTokText(this.price(config)) : '…';
        return {
          id: config.id,
          label: `${nameWithHost(config.name, config.preset.id, config.baseUrl)} · ${config.chatModel} · ${price}${ready ? '' : ' · no key'}`,
          ready,
          ...(withPrices && needsPrice(config, config.chatModel, lookup) && { priceUnknown: true }),
        };
      }),
    );
    const selectedId = this.backends.configFor('chat')?.id;
    return selectedId === undefined ? { options } : { options, selectedId };
  }

  /** Configured backends worth switching to from `currentId`, best first. */
  async alternatives(currentId: string | undefined): Promise<Alternative[]> {
    const candidates: Candidate[] = await Promise.all(
      this.backends.current().providers.map(async (config) => {
        const price = this.price(config);
        return {
          id: config.id,
          name: nameWithHost(config.name, config.preset.id, config.baseUrl),
          level: this.limits?.stateOf(config.id)?.level ?? 'ok',
          ready: await this.ready(config),
          local: config.preset.local === true && isLoopbackUrl(config.baseUrl),
          // Nothing more to pay per request on a plan: ranked with the free ones.
          pricePerMTok: config.plan ? 0 : price ? price.input + price.output : undefined,
          configured: true,
        };
      }),
    );
    return rankAlternatives(currentId ?? '', candidates).map(({ id, name }) => ({ id, name }));
  }

  isConfigured(providerId: string): boolean {
    return this.backends.current().providers.some((config) => config.id === providerId);
  }

  /** Makes `providerId` the chat backend; false when it did not take effect (a workspace setting overrides it). */
  async select(providerId: string): Promise<boolean> {
    if (!this.isConfigured(providerId)) return false;
    if (this.backends.configFor('chat')?.id === providerId) return true;
    await this.backends.choose(providerId, ['chat']);
    if (this.backends.configFor('chat')?.id !== providerId) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, SWITCH_WAIT_MS);
        const subscription = this.backends.onDidChange(() => {
          if (this.backends.configFor('chat')?.id === providerId) done();
        });
        function done() {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        }
      });
    }
    return this.backends.configFor('chat')?.id === providerId;
  }

  private async ready(config: ProviderConfig): Promise<boolean> {
    return !config.preset.requiresKey || (await this.keys.has(config.id, config.apiKeyEnv));
  }

  private price(config: ProviderConfig): PerMTok | undefined {
    return backendPerMTok(config, config.chatModel, lookup);
  }
}
