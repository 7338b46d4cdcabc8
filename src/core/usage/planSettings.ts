/**
 * A backend's plan as it applies: the preset's subscription at the tier the user chose (or the
 * smallest, until they do), with any custom numbers of theirs on top.
 */
import type { PlanTierId, SubscriptionPlan } from '../providers/subscriptionPlans';
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
      ...(tier.note && { note: tier.note }),
      ...(preset && { sources: preset.sources }),
      ...(preset?.usageEndpoint && { usageEndpoint: preset.usageEndpoint }),
    },
    ...(problem && { problem }),
  };
}
