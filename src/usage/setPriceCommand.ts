/**
 * Switchboard: Set Price… — asks a backend's input and output price per 1M tokens for one model
 * and writes it into that backend's `prices` in user settings (where spend settings belong).
 */
import * as vscode from 'vscode';
import { savedOrSaid } from '../backends/settingsWrite';
import type { Backends } from '../backends/backends';
import { loadProviderRuntime } from '../backends/lazyRuntime';
import { SECTION } from '../backends/settings';
import { parsePerMTok, withPrice } from '../core/settings/setPrice';
import { backendPerMTok } from '../core/usage/backendPrice';
import { billingCurrencyOf } from '../core/usage/priceList';
import type { Currency } from '../core/usage/money';
import { sayNoBackendYet } from '../backends/noBackendYet';

export async function setPrice(backends: Backends, providerId?: string, model?: string): Promise<void> {
  const { providers } = backends.current();
  let config = providers.find((provider) => provider.id === providerId);
  if (!config && !providers.length) {
    await sayNoBackendYet('set a price for');
    return;
  }
  if (!config) {
    const picked = await vscode.window.showQuickPick(
      providers.map((provider) => ({ label: provider.name, description: provider.id, provider })),
      { title: 'Set price: for which backend?' },
    );
    if (!picked) return;
    config = picked.provider;
  }
  const target = config;
  let chosen = model;
  if (!chosen) {
    const models = [...new Set([target.chatModel, target.completionModel])];
    chosen =
      models.length === 1
        ? models[0]
        : await vscode.window.showQuickPick(models, { title: `Set price: which model of ${target.name}?` });
    if (!chosen) return;
  }
  const known = backendPerMTok(target, chosen, (presetId, id, local, baseUrl) =>
    loadProviderRuntime().pricePerMTok(presetId, id, local, baseUrl),
  );
  // A price nobody knows is asked in the currency the backend bills in (yuan on a mainland host).
  const currency: Currency = known?.currency ?? billingCurrencyOf(target.preset.id, target.baseUrl);
  const unit = currency === 'CNY' ? 'yuan' : 'US dollars';
  const ask = async (what: string, value: number | undefined) => {
    const text = await vscode.window.showInputBox({
      title: `Set price of ${chosen} on ${target.name}`,
      prompt: `${what} price in ${unit} per 1M tokens`,
      value: value === undefined ? '' : String(value),
      validateInput: (input) =>
        parsePerMTok(input) === undefined ? 'A number of at least 0, such as 0.3 or 12' : undefined,
    });
    return text === undefined ? undefined : parsePerMTok(text);
  };
  const input = await ask('Input', known?.input);
  if (input === undefined) return;
  const output = await ask('Output', known?.output);
  if (output === undefined) return;
  const settings = vscode.workspace.getConfiguration(SECTION);
  const entries = settings.inspect<unknown[]>('providers')?.globalValue ?? [];
  const next = withPrice(Array.isArray(entries) ? entries : [], target.id, chosen, {
    inputPerMTok: input,
    outputPerMTok: output,
    currency,
  });
  if (!next) {
    void vscode.window.showWarningMessage(
      `Switchboard: ${target.name} is not in your user settings, so its price cannot be set there. Add a "prices" entry to it where it is defined.`,
    );
    return;
  }
  const what = `The price of ${chosen} on ${target.name}`;
  if (!(await savedOrSaid(what, () => settings.update('providers', next, vscode.ConfigurationTarget.Global)))) return;
  void vscode.window.setStatusBarMessage(`Switchboard: price of ${chosen} on ${target.name} set`, 5_000);
}
