import type { ProviderConfig } from '../core/settings/providerSettings';

/**
 * The say of the budgets on a chat request to `config`, asked before it goes: undefined sends it;
 * a sentence is why it was not sent, shown after "Not sent: " where the question was asked (the
 * chat view, `@switchboard`, the model picker's caller). Past a budget that holds, it may ask first.
 */
export type ChatGate = (config: ProviderConfig) => Promise<string | undefined>;

/** The user said no to a request past a budget that holds. */
export const BUDGET_DECLINED = 'the budget is reached. Raise it, switch to another backend, or send again and confirm.';

/**
 * The limit monitor's `movingAway`: while an automatic move away from the backend is decided, what
 * a request waits for (bounded); undefined when nothing is moving.
 */
export type MovingAway = (backendId: string | undefined) => Promise<void> | undefined;
