/**
 * Checks `switchboard.budget` and `switchboard.fallbackBudget`. Their readers (the limit monitor,
 * the paid-fallback guard) leave out a value that is not an amount; without a word, a budget typed
 * as "5", below zero or under a misspelt key would cap nothing while the user counts on it. A
 * broken one gets a problem naming the setting, what is wrong and what it does meanwhile, as a
 * provider entry's `limits` do.
 */
import type { SettingsProblem } from './providerSettings';

const BUDGET_AMOUNTS = { usdPerDay: 'US dollars', usdPerMonth: 'US dollars', cnyPerDay: 'yuan', cnyPerMonth: 'yuan' };
const FALLBACK_AMOUNTS = { usdPerDay: 'US dollars', cnyPerDay: 'yuan' };

/** The problems of the two budget settings, the first of each; none when they are unset or sound. */
export function budgetProblems(budget: unknown, fallbackBudget: unknown): SettingsProblem[] {
  return [
    problemOf('switchboard.budget', budget, BUDGET_AMOUNTS, true),
    problemOf('switchboard.fallbackBudget', fallbackBudget, FALLBACK_AMOUNTS, false),
  ].filter((problem) => problem !== undefined);
}

function problemOf(
  setting: string,
  raw: unknown,
  amounts: Record<string, string>,
  hasAction: boolean,
): SettingsProblem | undefined {
  if (raw === undefined || raw === null) return undefined;
  const known = [...Object.keys(amounts), ...(hasAction ? ['action'] : [])];
  const say = (message: string) => ({ setting, message: `${setting}${message}` });
  if (typeof raw !== 'object' || Array.isArray(raw))
    return say(` must be an object like { "usdPerDay": 5 }; no budget of it is in force until it is fixed.`);
  for (const [key, value] of Object.entries(raw)) {
    const currency = Object.hasOwn(amounts, key) ? amounts[key] : undefined;
    if (currency !== undefined) {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return say(`.${key} must be a number of ${currency}; that budget caps nothing until it is fixed.`);
      if (value < 0) return say(`.${key} must not be negative; that budget caps nothing until it is fixed.`);
    } else if (hasAction && key === 'action') {
      if (value !== 'pause' && value !== 'warn')
        return say(`.action must be "pause" or "warn"; reached budgets pause completion until it is fixed.`);
    } else {
      // A dotted name is another setting, read into this one when its closing brace is missing.
      const setting = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/.test(key) && key.length <= 80;
      const name = setting || /^[A-Za-z0-9_-]{1,40}$/.test(key) ? `"${key}"` : 'a key';
      const cause = setting ? ' It reads as a setting of its own: is a closing brace missing before it?' : '';
      return say(` has ${name}, which is not one of ${known.join(', ')}; it caps nothing.${cause}`);
    }
  }
  return undefined;
}
