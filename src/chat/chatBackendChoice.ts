import { nameWithHost } from '../core/net/serverLabel';
import type { Backends } from '../backends/backends';
import type { Alternative } from '../core/chat/turnViews';
import { perMTokText } from '../core/chat/usageText';
import { needsPrice, type PerMTokLookup } from '../core/usage/backendPrice';
import { loadProviderRuntime } from '../backends/lazyRuntime';
import { switchAlternatives } from '../backends/alternatives';
import { backendPrice } from '../backends/backendPrices';
import type { LimitMonitor } from '../usage/limitMonitor';
import type { BackendOption } from '../protocol/chatProtocol';

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
        const ready = await this.backends.isReady(config);
        // Plan, free and paid backends read differently: "included in plan", "free", "$0.40 / $1.60 per 1M".
        const price = config.plan ? 'included in plan' : withPrices ? perMTokText(backendPrice(config, 'chat')) : '…';
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

  /**
   * Backends worth switching to from `currentId`, best first: configured ones, then ones found on
   * this machine (which the full picker offers to add), so the view knows whether there is any.
   */
  async alternatives(currentId: string | undefined): Promise<Alternative[]> {
    const levelOf = (id: string) => this.limits?.stateOf(id)?.level;
    const ranked = await switchAlternatives(this.backends, currentId, 'chat', levelOf, true);
    return ranked.map(({ id, name, configured }) => (configured ? { id, name } : { id, name, found: true }));
  }

  /**
   * Whether chat may fall back from its backend to `providerId` after a failure: a move from local,
   * free or plan to paid is confirmed once per target, and the daily fallback budget applies.
   */
  async mayFallBackTo(providerId: string): Promise<boolean> {
    const from = this.backends.configFor('chat');
    const to = this.backends.current().providers.find((config) => config.id === providerId);
    if (!from || !to || !this.limits) return true;
    return this.limits.guardPickedFallback(from.id, to, ['chat']);
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
}
