import * as vscode from 'vscode';
import { loadProviderRuntime } from '../backends/lazyRuntime';
import { isBudgetReading, uncountedBudgets } from '../core/usage/budgetAction';
import { uncountedBudgetNote } from '../core/usage/budgetText';
import { backendSpend } from '../core/usage/costClass';
import type { LimitState } from '../core/usage/limits';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { log } from '../log';

const SET_PRICE = 'Set Price…';
const OPEN_SETTINGS = 'Open Settings';

/**
 * Says, once, that a backend's own budget can never hold it: set in dollars on a backend billed in
 * yuan (or the reverse), or on a backend whose price is unknown. Such a budget reads 0% however
 * much is spent; without a word the user finds out from the bill.
 */
export class UncountedBudgetNotices {
  /** What was said in this window; a budget fixed and set wrong again is said again. */
  private said = new Set<string>();

  constructor(
    private readonly notify: (level: 'warning', message: string, buttons: string[]) => Thenable<string | undefined>,
  ) {}

  check(providers: readonly ProviderConfig[], states: ReadonlyMap<string, LimitState>): void {
    const now = new Set<string>();
    for (const config of providers) {
      const readings = states.get(config.id)?.readings.filter(isBudgetReading) ?? [];
      // With no budget on the backend nothing is priced: the price data loads only where needed.
      if (!readings.length) continue;
      const spends = (['completion', 'chat'] as const).map((role) =>
        backendSpend(config, role, (presetId, model, local, baseUrl) =>
          loadProviderRuntime().pricePerMTok(presetId, model, local, baseUrl),
        ),
      );
      for (const uncounted of uncountedBudgets(readings, spends)) {
        const key = `${config.id}:${uncounted.reading.kind}:${uncounted.spend ?? 'unknown'}`;
        now.add(key);
        if (this.said.has(key)) continue;
        const message = uncountedBudgetNote(config.name, uncounted);
        log().warn(message);
        const button = uncounted.spend === undefined ? SET_PRICE : OPEN_SETTINGS;
        void this.notify('warning', message, [button]).then((choice) => {
          if (choice === SET_PRICE) void vscode.commands.executeCommand('switchboard.setPrice', config.id);
          if (choice === OPEN_SETTINGS)
            void vscode.commands.executeCommand('workbench.action.openSettings', 'switchboard.providers');
        });
      }
    }
    this.said = now;
  }
}
