/**
 * A backend's plan as it applies: the preset's subscription at the tier the user chose (or the
 * smallest, until they do), with any custom numbers of theirs on top.
 */
import type { PlanFigure, PlanTier, PlanTierId, SubscriptionPlan } from '../providers/subscriptionPlans';
import type { PlanDraw } from './planDraw';
import type { PlanWindow } from './planWindows';

const WEEKDAY_INDEX: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};

/** The `plan` object of a `switchboard.providers` entry, already validated. */
export interface PlanSettingsInput {
  tier?: PlanTierId | 'custom';
  requestsPer5h?: number;
  requestsPerWeek?: number;
  requestsPerMonth?: number;
  weeklyResetDay?: string;
  weeklyResetHour?: number;
  monthlyResetDay?: number;
  resetTimeZone?: string;
}

export interface ResolvedPlan {
  /** Short, for the status bar. */
  label: string;
  tier: PlanTierId | 'custom';
  /** True when the user has not chosen a tier and the smallest is assumed. */
  tierAssumed: boolean;
  unit: 'requests' | 'prompts';
  windows: PlanWindow[];
  price?: string;
  note?: string;
  sources?: string;
  usageEndpoint?: SubscriptionPlan['usageEndpoint'];
  /** Models whose request draws more than one unit of the quota (see planDraw.ts). */
  draw?: PlanDraw;
}

export interface PlanResolution {
  plan?: ResolvedPlan;
  /** Why the settings could not be used as written (then the preset's default tier applies). */
  problem?: string;
}

export function resolvePlan(
  preset: SubscriptionPlan | undefined,
  settings: PlanSettingsInput | undefined,
): PlanResolution {
  if (!preset && !settings) return {};
  let problem: string | undefined;
  let tierId: PlanTierId | 'custom' = settings?.tier ?? preset?.defaultTier ?? 'custom';
  if (tierId !== 'custom' && preset && !preset.tiers[tierId]) {
    problem = `has no "${tierId}" tier for ${preset.label}; use ${Object.keys(preset.tiers)
      .map((id) => `"${id}"`)
      .join(', ')} or "custom" with your own numbers`;
    tierId = preset.defaultTier;
  }
  const tier = tierId === 'custom' || !preset ? {} : (preset.tiers[tierId] ?? {});
  const zone = settings?.resetTimeZone;
  const weekly = preset?.weeklyReset ?? { weekday: 1, hour: 0, timeZone: 'UTC' };
  const monthly = preset?.monthlyReset ?? { day: 1, hour: 0, timeZone: 'UTC' };
  const per5h = settings?.requestsPer5h ?? tier.requestsPer5h;
  const perWeek = settings?.requestsPerWeek ?? tier.requestsPerWeek;
  const perMonth = settings?.requestsPerMonth ?? tier.requestsPerMonth;
  const note = tierNote(tier, settings);
  const windows: PlanWindow[] = [];
  if (per5h !== undefined) windows.push({ kind: 'rolling', hours: 5, limit: per5h });
  if (perWeek !== undefined)
    windows.push({
      kind: 'weekly',
      limit: perWeek,
      reset: {
        weekday:
          settings?.weeklyResetDay !== undefined ? (WEEKDAY_INDEX[settings.weeklyResetDay] ?? 1) : weekly.weekday,
        hour: settings?.weeklyResetHour ?? weekly.hour,
        timeZone: zone ?? weekly.timeZone,
      },
    });
  if (perMonth !== undefined)
    windows.push({
      kind: 'monthly',
      limit: perMonth,
      reset: { day: settings?.monthlyResetDay ?? monthly.day, hour: monthly.hour, timeZone: zone ?? monthly.timeZone },
    });
  return {
    plan: {
      label: preset?.label ?? 'Plan',
      tier: tierId,
      tierAssumed: settings?.tier === undefined && preset !== undefined,
      unit: preset?.unit ?? 'requests',
      windows,
      ...(tier.price && { price: tier.price }),
      ...(note && { note }),
      ...(preset && { sources: preset.sources }),
      ...(preset?.usageEndpoint && { usageEndpoint: preset.usageEndpoint }),
      ...(preset?.draw && { draw: preset.draw }),
    },
    ...(problem && { problem }),
  };
}

const FIGURE_NAMES: Record<PlanFigure, string> = {
  requestsPer5h: '5-hour',
  requestsPerWeek: 'weekly',
  requestsPerMonth: 'monthly',
};

/**
 * What the tooltip says of the tier's figures: nothing about one the user set ("the 5-hour limit
 * is Alibaba's" beside the user's own 5-hour limit would contradict it).
 */
function tierNote(tier: PlanTier, settings: PlanSettingsInput | undefined): string | undefined {
  const own = (figure: PlanFigure) => settings?.[figure] !== undefined;
  const notes: string[] = [];
  if (tier.note && !(tier.noteOn?.length && tier.noteOn.every(own))) notes.push(tier.note);
  const inferred = tier.inferred?.figures.filter((figure) => !own(figure)) ?? [];
  if (tier.inferred && inferred.length) {
    const names = inferred.map((figure) => FIGURE_NAMES[figure]);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
    notes.push(
      names.length > 1
        ? `The ${list} limits are those ${tier.inferred.from}; if yours differ, set them in the backend’s plan settings.`
        : `The ${list} limit is the one ${tier.inferred.from}; if yours differs, set it in the backend’s plan settings.`,
    );
  }
  return notes.length ? notes.join(' ') : undefined;
}
